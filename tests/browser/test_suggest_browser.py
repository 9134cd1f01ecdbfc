"""In the browser: the type-ahead is an ARIA 1.2 combobox that works by keyboard alone."""

from __future__ import annotations


def test_typing_fvl_19_and_choosing_by_keyboard_opens_the_section(page, live_server, axe):
    page.goto(f"{live_server}/")
    box = page.get_by_role("combobox", name="Søg i vejledningen")
    assert box.get_attribute("aria-expanded") == "false" and box.get_attribute("aria-autocomplete") == "list"
    box.focus()
    page.keyboard.type("fvl 19")
    listbox = page.get_by_role("listbox", name="Forslag")
    listbox.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == listbox.get_attribute("id")
    first = page.get_by_role("option").first
    assert "Forvaltningslovens § 19" in first.text_content() and "Paragraf" in first.text_content()
    assert "forslag" in page.locator(".kr-header .kr-suggest [role=status]").text_content()
    assert axe(page) == []
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url("**/foer-afgoerelsen/partshoering.html#partshoering-*")


def test_escape_closes_the_list_and_enter_without_a_choice_searches(page, live_server):
    page.goto(f"{live_server}/min-side")
    box = page.get_by_role("combobox", name="Søg i vejledningen")
    box.focus()
    page.keyboard.type("parts")
    page.get_by_role("listbox").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")  # from the first suggestion round to the last
    options = page.get_by_role("option")
    assert options.last.get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and box.get_attribute("aria-activedescendant") is None
    assert box.input_value() == "parts"
    page.keyboard.press("Enter")
    page.wait_for_url("**/soeg?q=parts")


def test_the_search_page_box_has_the_type_ahead_too(page, live_server):
    page.goto(f"{live_server}/soeg?q=begrundelse")
    boxes = page.locator("input[role=combobox]")
    assert boxes.count() == 2, "the header's box and the search page's own"
    boxes.nth(1).fill("")
    boxes.nth(1).focus()
    page.keyboard.type("tavsh")
    page.locator(".kr-suggest__list:not([hidden])").wait_for()
    assert "Tavshedspligt" in page.locator(".kr-suggest__list:not([hidden])").text_content()


def test_every_search_box_is_a_combobox(page, live_server):
    for path, boxes in (("/", 2), ("/foer-afgoerelsen/partshoering.html", 1), ("/privatliv", 1), ("/soeg", 2)):
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("input[type=search]").count() == boxes, path
        assert page.locator("input[type=search][role=combobox][aria-controls]").count() == boxes, path
