"""In the browser, keyboard only: an employee books a seat; the trainer marks attendance on the roster.
axe finds no WCAG 2.1 A/AA violation on the classroom pages."""

from __future__ import annotations

from tests.support.browser import tab_to

COURSE = "kend-borgerraadgiveren"


def keyboard_login(page, live_server: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password")
    page.keyboard.type("klarret-demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_employee_books_a_seat_by_keyboard(page, live_server, axe):
    keyboard_login(page, live_server, "anna@demo.klarret.dk")
    page.goto(f"{live_server}/kurser/{COURSE}")
    assert axe(page) == [], "the course page with its classroom part"
    tab_to(page, f"a[href='/kurser/{COURSE}/hold']")
    press_enter_and_wait(page)
    assert axe(page) == [], "the course's sessions"
    tab_to(page, "form[action$='/tilmeld'] button[type=submit]")
    press_enter_and_wait(page)
    assert "har fået en plads på holdet" in page.locator(".flash").inner_text()
    assert page.locator("form[action$='/afmeld']").count() == 1
    assert axe(page) == [], "the sessions page after booking"
    page.goto(f"{live_server}/min-side")
    assert "Tilmeldt " in page.locator("main table").inner_text()


def test_trainer_marks_attendance_by_keyboard(page, live_server, axe):
    keyboard_login(page, live_server, "underviser@demo.klarret.dk")
    page.goto(f"{live_server}/hold")
    assert axe(page) == [], "the trainer's list of sessions"
    # The introduction meeting two days ago: open for marking, nobody marked yet.
    link = page.locator("main table a").filter(has_text="kl. 13.00").first.get_attribute("href")
    tab_to(page, f"a[href='{link}']")
    press_enter_and_wait(page)
    assert axe(page) == [], "the roster"
    tab_to(page, "form[action$='/alle-moedt'] button")
    press_enter_and_wait(page)
    assert "Fremmødet er gemt (10 ændret)" in page.locator(".flash").inner_text()
    # Bo did not come: untick him and save.
    tab_to(page, "#moedt-000102")
    page.keyboard.press("Space")
    tab_to(page, "#fremmoede button[type=submit]")
    press_enter_and_wait(page)
    assert "Fremmødet er gemt (1 ændret)" in page.locator(".flash").inner_text()
    row = page.locator("#fremmoede tr").filter(has_text="000102")
    assert "Udeblev" in row.inner_text()
    page.goto(f"{live_server}/hold/ny")
    assert axe(page) == [], "the new-session form"


def test_capacity_page_for_administrators(page, live_server, axe):
    keyboard_login(page, live_server, "admin@demo.klarret.dk")
    page.goto(f"{live_server}/hold/kapacitet")
    assert "mangler et hold" in page.locator("main").inner_text()
    assert axe(page) == [], "capacity planning"
