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

// Sphinx's doctools.js compiles the catalogue's plural rule with new Function, which the
// Content-Security-Policy blocks (no eval). Danish has two forms, singular for 1 and plural otherwise,
// so the rule is written out here. This file loads after doctools.js and before translations.js
// (Sphinx adds translations.js after the extensions' scripts), so the catalogue comes through this.
(function () {
  if (typeof Documentation === "undefined" || !Documentation.addTranslations) return;
  Documentation.addTranslations = function (catalog) {
    Object.assign(Documentation.TRANSLATIONS, catalog.messages);
    Documentation.PLURAL_EXPR = function (n) { return n === 1 ? 0 : 1; };
    Documentation.LOCALE = catalog.locale;
  };
})();

// "På denne side" is a disclosure, closed on a phone so the page starts with its title; on a screen
// wide enough for its own column it is open.
(function () {
  function openToc() {
    var toc = document.querySelector("details[data-kr-toc]");
    if (toc && window.matchMedia("(min-width: 900px)").matches) toc.open = true;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", openToc);
  else openToc();
})();
