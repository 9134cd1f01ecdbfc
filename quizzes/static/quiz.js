// Save each answer as it is given, so a half-done attempt survives a closed browser.
// Without JavaScript the answers are saved when the module's button is pressed.
(function () {
  var form = document.getElementById("modul-form");
  if (!form) return;
  var token = form.querySelector("input[name=csrf_token]").value;
  var status = document.getElementById("gemt");
  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[data-question]");
    if (!fieldset) return;
    var chosen = Array.prototype.map.call(fieldset.querySelectorAll("input:checked"), function (i) { return i.value; });
    fetch(form.dataset.saveUrl, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token},
      body: JSON.stringify({question: fieldset.dataset.question, options: chosen})
    }).then(function (r) {
      if (r.ok) { status.textContent = "Dit svar er gemt."; return; }
      // 409: the attempt was handed in (e.g. in another tab); the server's Danish message says what to do.
      return r.json().then(function (body) {
        status.textContent = (body && body.error && body.error.message) ||
          "Svaret blev ikke gemt. Prøv igen, eller tryk på knappen nederst.";
      }, function () {
        status.textContent = "Svaret blev ikke gemt. Prøv igen, eller tryk på knappen nederst.";
      });
    }).catch(function () {
      status.textContent = "Svaret blev ikke gemt (ingen forbindelse). Det gemmes, når du trykker på knappen nederst.";
    });
  });
})();
