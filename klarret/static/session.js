// The guidance's pages are static files: they learn who is logged in from /api/mig and show that
// person's name, "Log ud" and menu links in the shared header. Without JavaScript they show "Log ind".
(function () {
  "use strict";
  function menu(list, links) {
    var here = window.location.pathname, best = null;
    links.forEach(function (l) {
      var inside = here === l.url || (l.url !== "/" && here.indexOf(l.url.replace(/\/$/, "") + "/") === 0);
      if (inside && (!best || l.url.length > best.url.length)) best = l;
    });
    list.textContent = "";
    links.forEach(function (l) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = l.url;
      a.textContent = l.label;
      if (l === best) a.setAttribute("aria-current", "page");
      li.appendChild(a);
      list.appendChild(li);
    });
  }
  function person(box, me) {
    box.textContent = "";
    if (!me.logged_in) {
      var login = document.createElement("a");
      login.className = "kr-user__login";
      login.href = me.login_url + "?next=" + encodeURIComponent(window.location.pathname + window.location.hash);
      login.textContent = "Log ind";
      box.appendChild(login);
      return;
    }
    var name = document.createElement("span");
    name.className = "kr-user__name";
    name.textContent = me.name;
    var form = document.createElement("form");
    form.method = "post";
    form.action = me.logout.url;
    form.className = "kr-user__logout";
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf_token";
    token.value = me.logout.csrf_token;
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "kr-link-button";
    button.textContent = "Log ud";
    form.appendChild(token);
    form.appendChild(button);
    box.appendChild(name);
    box.appendChild(form);
  }
  function init() {
    var box = document.querySelector("[data-kr-session]");
    var url = box && box.getAttribute("data-kr-session");
    if (!url) return;
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (me) {
        person(box, me);
        var list = document.querySelector("[data-kr-links]");
        if (list && me.links) menu(list, me.links);
      })
      .catch(function () { /* offline or the app is not running: the page keeps "Log ind" */ });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
