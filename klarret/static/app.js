// KlarRet's page behaviour, from data-attributes: the pages hold no inline script (Content-Security-Policy).
(function () {
  // An error summary takes the focus, so a screen reader reads the problems first.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();
  // A button with data-print prints the page (the certificate).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
