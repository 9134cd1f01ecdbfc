"""In the browser: the HR import page (errors, preview) and the audit log, by keyboard, with axe-core."""

from __future__ import annotations

from tests.support.browser import tab_to


def admin_login(page, live_server: str) -> None:
    page.goto(f"{live_server}/login")
    tab_to(page, "#email")
    page.keyboard.type("admin@demo.klarret.dk")
    tab_to(page, "#password")
    page.keyboard.type("klarret-demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_import_page_errors_preview_and_audit_log(page, live_server, axe, tmp_path):
    admin_login(page, live_server)
    page.goto(f"{live_server}/admin/import")
    assert axe(page) == [], "the upload form"

    bad = tmp_path / "forkert.csv"
    bad.write_text("medarbejdernummer;navn;forvaltning;enhed\n1;A;SUFF;X\n1;B;SOF;X\n", encoding="utf-8")
    tab_to(page, "#fil")
    page.set_input_files("#fil", str(bad))
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'fejlopsummering'")
    summary = page.locator("#fejlopsummering").inner_text()
    assert "Række 2: ukendt forvaltning 'SUFF'" in summary and "står også i række 2" in summary
    assert axe(page) == [], "the error summary"

    # A valid file for one administration: preview only, then cancel (the live demo data is shared).
    good = tmp_path / "kff.csv"
    good.write_text("medarbejdernummer;navn;forvaltning;enhed;stilling\n"
                    "990001;Ny Kollega;KFF;Biblioteker / Hovedbiblioteket;Bibliotekar\n", encoding="utf-8")
    tab_to(page, "#fil")
    page.set_input_files("#fil", str(good))
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Forhåndsvisning af kff.csv" in page.content()
    assert page.locator("#tabel-nye tbody tr").count() == 1
    assert page.locator("#tabel-deaktiverede tbody tr").count() > 10, "the rest of KFF would be deactivated"
    assert axe(page) == [], "the preview"
    tab_to(page, "button[value=annuller]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Importen er annulleret" in page.content()

    page.goto(f"{live_server}/admin/revisionslog")
    assert page.get_by_role("heading", level=1).inner_text() == "Revisionslog"
    assert axe(page) == [], "the audit log"
    tab_to(page, "#handling")
    page.select_option("#handling", "staff.import")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "handling=staff.import" in page.url
    assert axe(page) == [], "the filtered audit log"

    page.goto(f"{live_server}/admin/medarbejdere?q=anna")
    assert "Anna Demo" in page.content()
    assert axe(page) == [], "employee search"
    page.goto(f"{live_server}/admin/medarbejdere/000101")
    assert axe(page) == [], "an employee's role form"


def test_outbox_page_by_keyboard(page, live_server, axe):
    admin_login(page, live_server)
    page.goto(f"{live_server}/admin/post")
    assert page.get_by_role("heading", level=1).inner_text() == "Post"
    tab_to(page, "main summary")
    page.keyboard.press("Enter")
    assert "Husk kurset." in page.locator("main details pre").inner_text()
    assert axe(page) == [], "the outbox with an opened e-mail"

