"""In the browser: search from a guidance page lands on the right section; axe finds no violations."""

from __future__ import annotations


def test_search_box_on_a_guidance_page_lands_on_the_section(page, live_server):
    page.goto(f"{live_server}/afgoerelsen/begrundelse.html")
    box = page.get_by_role("combobox", name="Søg i vejledningen")  # the type-ahead (suggest.js)
    box.fill("skal borgeren høres før jeg giver afslag")
    box.press("Enter")
    page.wait_for_url("**/soeg?**")
    first = page.locator("ol.results > li h2 a").first
    href = first.get_attribute("href")
    assert href.startswith("/foer-afgoerelsen/partshoering.html#"), href
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/partshoering.html#*")
    anchor = href.split("#", 1)[1]
    assert page.locator(f"[id='{anchor}']").first.is_visible()


def test_case_example_opens_from_a_link_and_by_keyboard(page, live_server):
    page.goto(f"{live_server}/foer-afgoerelsen/partshoering.html")
    summary = page.locator("details.klarret-case > summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.klarret-case").first.get_attribute("open") is not None
    case_id = page.locator("details.klarret-case").nth(1).get_attribute("id")
    page.goto(f"{live_server}/foer-afgoerelsen/partshoering.html#{case_id}")
    page.wait_for_function(f"document.getElementById('{case_id}').open")


def test_front_page_is_accessible(page, live_server, axe):
    page.goto(f"{live_server}/")
    assert axe(page) == []


def test_guidance_page_with_open_case_is_accessible(page, live_server, axe):
    page.goto(f"{live_server}/foer-afgoerelsen/partshoering.html")
    page.locator("details.klarret-case > summary").first.click()
    assert axe(page) == []


def test_search_results_page_is_accessible(page, live_server, axe):
    page.goto(f"{live_server}/soeg?q=partshøring")
    assert page.locator("ol.results > li").count() > 0
    assert axe(page) == []
