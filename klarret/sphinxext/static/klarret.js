// Open the case example a link or a search result points to (#partshoering-sag-...), so the
// reader lands on its text, not on a closed dropdown.
(function () {
  function openTarget() {
    if (!location.hash) return;
    var el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!el) return;
    var details = el.closest("details");
    if (details) { details.open = true; el.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("DOMContentLoaded", openTarget);
})();
