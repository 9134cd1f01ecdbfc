"""In the browser: the privacy notice and the login page pass axe and fit a 320 px wide phone."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/privatliv", "/login"])
def test_page_is_accessible_and_fits_a_phone(page, live_server, axe, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server}{path}")
    assert axe(page) == []
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 320, f"{path} scrolls sideways at 320 px ({wide} px)"


def test_privacy_link_in_the_footer_by_keyboard(page, live_server):
    page.goto(f"{live_server}/login")
    link = page.get_by_role("link", name="Privatliv")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/privatliv")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Sådan behandler KlarRet")
