// Type-ahead on every search box (input[data-suggest]): an ARIA 1.2 combobox with a listbox popup.
// Without JavaScript the box is a plain search form. Arrow keys move through the suggestions
// (aria-activedescendant), Enter opens the chosen one, Escape closes the list (or clears the box).
(function () {
  "use strict";
  var KINDS = {paragraf: "Paragraf", side: "Side", begreb: "Begreb", afsnit: "Afsnit"};
  var counter = 0;

  function setup(input) {
    var url = input.getAttribute("data-suggest");
    if (!url || input.getAttribute("role") === "combobox") return;
    var n = ++counter;
    var wrap = input.parentElement;
    if (!wrap.classList.contains("kr-suggest")) {
      wrap = document.createElement("div");
      wrap.className = "kr-suggest";
      input.parentElement.insertBefore(wrap, input);
      wrap.appendChild(input);
    }
    var list = document.createElement("ul");
    list.id = "kr-suggest-list-" + n;
    list.className = "kr-suggest__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Forslag");
    list.hidden = true;
    wrap.appendChild(list);
    var status = document.createElement("div");
    status.className = "sr-only";
    status.setAttribute("role", "status");
    wrap.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    var items = [], active = -1, timer = null, asked = 0, lastQuery = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function open() {
      if (!items.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function select(i) {
      var options = list.children;
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = i;
      if (i < 0) { input.removeAttribute("aria-activedescendant"); return; }
      options[i].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({block: "nearest"});
    }
    function go(i) {
      if (items[i]) window.location.href = items[i].url;
    }
    function render(suggestions) {
      items = suggestions;
      list.textContent = "";
      active = -1;
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.className = "kr-suggest__option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.className = "kr-suggest__title";
        title.textContent = s.title;
        if (s.detail) {
          var detail = document.createElement("span");
          detail.className = "kr-suggest__detail";
          detail.textContent = " – " + s.detail;
          title.appendChild(detail);
        }
        var kind = document.createElement("span");
        kind.className = "kr-suggest__kind";
        kind.textContent = s.label || KINDS[s.kind] || "";
        li.appendChild(title);
        li.appendChild(kind);
        // mousedown, not click: the box keeps the focus, so the list is still there when the click lands.
        li.addEventListener("mousedown", function (event) { event.preventDefault(); go(i); });
        list.appendChild(li);
      });
      status.textContent = suggestions.length
        ? suggestions.length + " forslag. Brug pil op og ned for at vælge."
        : "";
      if (suggestions.length) open(); else close();
    }
    function ask() {
      var q = input.value.trim();
      if (q === lastQuery) return;
      lastQuery = q;
      if (q.length < 2) { render([]); return; }
      var mine = ++asked;
      fetch(url + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
        .then(function (body) { if (mine === asked) render(body.suggestions || []); })
        .catch(function () { if (mine === asked) render([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (event) {
      var key = event.key;
      if (key === "ArrowDown" || key === "Down") {
        event.preventDefault();
        if (list.hidden) { open(); if (!list.hidden) select(0); return; }
        select(active + 1 < items.length ? active + 1 : 0);
      } else if (key === "ArrowUp" || key === "Up") {
        event.preventDefault();
        if (list.hidden) { open(); if (!list.hidden) select(items.length - 1); return; }
        select(active > 0 ? active - 1 : items.length - 1);
      } else if (key === "Enter") {
        if (!list.hidden && active >= 0) { event.preventDefault(); go(active); }
      } else if (key === "Escape" || key === "Esc") {
        if (!list.hidden) { event.preventDefault(); close(); }
        else if (input.value) { event.preventDefault(); input.value = ""; lastQuery = ""; items = []; }
      } else if (key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { close(); });
  }

  function init() {
    var boxes = document.querySelectorAll("input[data-suggest]");
    for (var i = 0; i < boxes.length; i++) setup(boxes[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
