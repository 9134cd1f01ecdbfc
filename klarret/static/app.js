// KlarRet's page behaviour, from data-attributes: the pages hold no inline script (Content-Security-Policy).
(function () {
  // An error summary takes the focus, so a screen reader reads the problems first.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();
  // A button with data-print prints the page (the certificate).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  // A wide table scrolls inside its own box on a phone, never the page: wrap each table that has none.
  // The box can take the focus, so it can be scrolled with the keyboard too.
  function focusable(box, table) {
    if (box.hasAttribute("tabindex")) return;
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    var caption = table && table.querySelector("caption");
    box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tabel");
  }
  var tables = document.querySelectorAll("main table");
  for (var i = 0; i < tables.length; i++) {
    var table = tables[i];
    var box = table.closest(".table-scroll");
    if (!box) {
      box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    focusable(box, table);
  }
})();
