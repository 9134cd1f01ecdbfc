"""In the browser: the pages of issue 12 (min-side, /leder with its bulk reminder, /admin/, search statistics)
pass axe-core (WCAG 2.1 A/AA) and keep the order the issue asks for."""

from __future__ import annotations


def login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", "klarret-demo")
    with page.expect_navigation():
        page.press("#password", "Enter")
    assert "/login" not in page.url, f"login as {email} failed"


def test_my_page_starts_with_what_is_due(page, live_server, axe):
    login(page, live_server, "bo@demo.klarret.dk")  # started 30 days ago: a newcomer
    page.goto(f"{live_server}/min-side")
    headings = page.locator("main h2").all_inner_texts()
    assert headings[:2] == ["Start her", "Det skal du gøre"], headings
    assert axe(page) == [], "/min-side"


def test_leader_page_bulk_reminder_confirmation(page, live_server, axe):
    login(page, live_server, "leila@demo.klarret.dk")
    page.goto(f"{live_server}/leder")
    headings = page.locator("main h2").all_inner_texts()
    assert headings.index("Nøgletal") < headings.index("Gennemførelse pr. enhed") < headings.index(
        "Det skal du handle på"), headings
    assert axe(page) == [], "/leder"
    boxes = page.locator("input[name=valgt]")
    if boxes.count():  # the demo's overdue people: tick two and ask for the confirmation (nothing is sent)
        boxes.nth(0).check()
        if boxes.count() > 1:
            boxes.nth(1).check()
        with page.expect_navigation():
            page.click("#paamind-flere button[value=valgte]")
        assert "får en påmindelse" in page.locator("main").inner_text()
        assert axe(page) == [], "the bulk reminder's confirmation"


def test_admin_overview_and_search_statistics(page, live_server, axe):
    login(page, live_server, "admin@demo.klarret.dk")
    page.goto(f"{live_server}/admin/")
    assert "aktive medarbejdere" in page.locator("main").inner_text()
    assert axe(page) == [], "/admin/"
    page.goto(f"{live_server}/admin/revisionslog")
    assert axe(page) == [], "the audit log"
    login(page, live_server, "erik@demo.klarret.dk")
    page.goto(f"{live_server}/soeg/statistik")
    assert "kontradiktion" in page.locator("main").inner_text(), "the demo's search history"
    page.locator("a", has_text="Tilføj ord").first.click()
    page.wait_for_load_state()
    assert page.locator("#ord").input_value() != ""
    assert axe(page) == [], "the search statistics with the add-word form"
