"""In the browser: take a course with the keyboard alone; axe finds no WCAG 2.1 A/AA violation."""

from __future__ import annotations

from quizzes.courses.loader import load_courses
from tests.support.browser import tab_to

COURSE = "kend-borgerraadgiveren"


def keyboard_login(page, live_server: str) -> None:
    page.goto(f"{live_server}/login")
    tab_to(page, "#email")
    page.keyboard.type("anna@demo.klarret.dk")
    tab_to(page, "#password")
    page.keyboard.type("klarret-demo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/min-side")


def answer_module_by_keyboard(page, course) -> None:
    """Select the right answer of every question on the page with Tab, arrows and Space."""
    for fieldset in page.locator("fieldset[data-question]").all():
        q = course.question(fieldset.get_attribute("data-question"))
        name = f"q-{q.id}"
        if q.type == "multiple":
            for oid in sorted(q.correct_ids):
                tab_to(page, f"input[name='{name}'][value='{oid}']")
                page.keyboard.press("Space")
            continue
        (want,) = q.correct_ids
        tab_to(page, f"input[name='{name}']")
        page.keyboard.press("Space")
        for _ in range(len(q.options)):
            if page.evaluate("() => document.activeElement.value") == want:
                break
            page.keyboard.press("ArrowDown")
        assert page.evaluate("() => document.activeElement.checked && document.activeElement.value") == want


def test_take_a_course_by_keyboard_alone_and_check_accessibility(page, live_server, axe):
    course = {c.id: c for c in load_courses()[0]}[COURSE]
    keyboard_login(page, live_server)
    page.goto(f"{live_server}/kurser/{COURSE}")
    assert axe(page) == [], "course overview"
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/modul/0")
    assert axe(page) == [], "a module with its questions"
    for _ in range(len(course.modules)):
        answer_module_by_keyboard(page, course)
        tab_to(page, "button[value=next]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    page.wait_for_url("**/gennemse")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/resultat")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bestået")
    assert axe(page) == [], "the feedback page"
    tab_to(page, "a.button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/bevis/*")
    assert "Kursusbevis" in page.content()
    assert axe(page) == [], "the certificate"


def test_error_summary_takes_focus(page, live_server, axe):
    page.goto(f"{live_server}/login")
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'fejlopsummering'")
    assert axe(page) == []
