"""In the browser: the search pages work by keyboard, a followed result pings the click log, axe is clean."""

from __future__ import annotations


def test_search_page_with_suggestion_filters_and_notice_is_accessible(page, live_server, axe):
    page.goto(f"{live_server}/soeg?q=partshørring")
    assert page.locator("p.suggestion").count() == 1
    assert axe(page) == []
    page.goto(f"{live_server}/soeg?q=og+i+at")
    assert page.locator("p.notice").count() == 1
    assert axe(page) == []


def test_filters_work_by_keyboard(page, live_server):
    page.goto(f"{live_server}/soeg?q=partshøring")
    page.locator("#type").focus()
    page.keyboard.press("ArrowDown")  # the first kind (Afsnit)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**type=**")
    assert page.locator("ol.results > li").count() > 0


def test_following_a_result_pings_the_click_log(page, live_server):
    pings = []
    page.on("request", lambda r: pings.append(r) if "/soeg/klik" in r.url else None)
    page.goto(f"{live_server}/soeg?q=fvl+§+19")
    first = page.locator("ol.results > li h2 a").first
    href = first.get_attribute("href")
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/partshoering.html#*")
    page.wait_for_timeout(300)
    assert href.startswith("/foer-afgoerelsen/partshoering.html#")
    assert pings and pings[0].method == "POST"


def test_editors_statistics_page_is_accessible(page, live_server, axe):
    page.goto(f"{live_server}/soeg?q=qqqzzz")
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("erik@demo.klarret.dk")
    page.get_by_label("Adgangskode").fill("klarret-demo")
    page.get_by_role("button", name="Log ind").click()
    page.goto(f"{live_server}/soeg/statistik")
    assert page.get_by_role("heading", name="Søgestatistik").is_visible()
    assert axe(page) == []
