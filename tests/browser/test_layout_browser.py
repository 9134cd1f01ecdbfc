"""In the browser: every page type in every role at 1366, 390 and 320 px fits the screen, passes axe
(WCAG 2.1 A/AA), speaks Danish, shows the role's header links and a visible focus."""

from __future__ import annotations

import pytest

WIDTHS = (1366, 390, 320)
GUIDE_PAGE = "/foer-afgoerelsen/partshoering.html"
# who (demo account, None = not logged in) -> (the header's role links, the pages that person uses)
ROLES = {
    None: ([], ["/", GUIDE_PAGE, "/ordliste.html", "/soeg?q=partshøring", "/soeg?q=fvl+19", "/login", "/privatliv"]),
    "anna": ([], [GUIDE_PAGE, "/min-side", "/kurser/grundkursus", "/kurser/kend-borgerraadgiveren/hold"]),
    "leila": (["Mine medarbejdere"], ["/leder", "/leder/stedfortraedere"]),
    "erik": (["Videnshuller", "Søgestatistik"], ["/soeg/statistik", "/kommune/videnshuller"]),
    "admin": (["Medarbejdernes kurser", "Hele kommunen", "Hold", "Administration"],
              ["/admin/", "/admin/medarbejdere", "/admin/revisionslog", "/admin/import", "/admin/post", "/kommune",
               "/hold/kapacitet"]),
    "underviser": (["Hold"], ["/hold", "/hold/ny", "/hold/1"]),  # the demo's first session's roster
}
ENGLISH = ["Skip to content", "On this page", "Next", "Previous", "Made with", "Furo", "Back to top",
           "Search", "Navigation", "Contents", "Log in", "Log out"]
LAYOUT = """() => ({
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right
         > document.documentElement.clientWidth + 1 && !e.closest('.table-scroll, .kr-suggest__list, .sr-only,'
         + ' .skipnav, .klarret-visually-hidden')).slice(0, 3).map(e => e.tagName + '.' + e.className),
  menu: [...document.querySelectorAll('nav[aria-label=Hovedmenu] a')].map(a => a.textContent.trim()),
  user: (document.querySelector('.kr-user') || {}).textContent || '',
  privacy: !!document.querySelector('footer a[href="/privatliv"]'),
  text: document.body.innerText,
})"""


def login(page, base: str, who: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", f"{who}@demo.klarret.dk")
    page.fill("#password", "klarret-demo")
    page.press("#password", "Enter")
    page.wait_for_load_state()
    assert "/login" not in page.url, f"login as {who} failed"


def logout(page) -> None:
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_load_state()


@pytest.mark.slow
def test_every_page_in_every_role_fits_each_width_and_passes_axe(page, live_server, axe):
    problems = []
    for who, (role_links, paths) in ROLES.items():
        if who:
            login(page, live_server, who)
        for path in paths:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                answer = page.goto(live_server + path)
                page.wait_for_load_state("networkidle")  # the guidance's header fills in from /api/mig
                got = page.evaluate(LAYOUT)
                where = f"{who or 'anonym'} {path} @ {width}px"
                if answer.status != 200:
                    problems.append(f"{where}: HTTP {answer.status}")
                if got["overflow"] > 0:
                    problems.append(f"{where}: {got['overflow']} px sideways {got['wide']}")
                if got["menu"] != ["Vejledning", "Mine kurser", *role_links]:
                    problems.append(f"{where}: menu {got['menu']}")
                if not got["privacy"]:
                    problems.append(f"{where}: no privacy link in the footer")
                if ("Log ud" if who else "Log ind") not in got["user"]:
                    problems.append(f"{where}: header shows {got['user']!r}")
                english = [w for w in ENGLISH if f" {w} " in f" {got['text']} ".replace("\n", " ")]
                if english:
                    problems.append(f"{where}: English {english}")
                violations = axe(page)
                if violations:
                    problems.append(f"{where}: axe {violations}")
        if who:
            logout(page)
    assert problems == []


def test_focus_is_visible_on_the_header_links(page, live_server):
    page.goto(f"{live_server}{GUIDE_PAGE}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Gå til indhold"
    assert page.locator("a.skipnav").bounding_box()["y"] >= 0, "the skip link shows when it has the focus"
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("Tab")
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                              return [s.outlineStyle, s.outlineWidth]; }""")
    assert style[0] != "none" and style[1] != "0px", style


def test_the_guidance_shows_who_is_logged_in_and_logs_out(page, live_server):
    login(page, live_server, "admin")
    page.goto(f"{live_server}{GUIDE_PAGE}")
    page.wait_for_selector(".kr-user__name")
    assert page.locator(".kr-user__name").text_content() == "Admin Demo"
    assert page.get_by_role("link", name="Administration").is_visible()
    assert page.get_by_role("link", name="Hent som PDF").is_visible()
    logout(page)
    page.goto(f"{live_server}{GUIDE_PAGE}")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name="Log ind").is_visible()
    assert page.get_by_role("link", name="Administration").count() == 0


def test_without_javascript_the_guidance_offers_log_in_and_search_is_a_plain_form(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}{GUIDE_PAGE}")
    assert page.get_by_role("link", name="Log ind").is_visible()
    box = page.get_by_role("searchbox", name="Søg i vejledningen")
    box.fill("partshøring")
    box.press("Enter")
    page.wait_for_url("**/soeg?q=*")
    assert page.locator("ol.results > li").count() > 0
    context.close()
