"""Browser fixtures: a live KlarRet server in a thread and Debian's chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import make_app, require

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
WCAG = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"


@pytest.fixture(scope="session")
def live_server(guidance_build, tmp_path_factory):
    """KlarRet on a free port of 127.0.0.1, for the length of the session."""
    from werkzeug.serving import make_server

    tmp = tmp_path_factory.mktemp("live")
    # As the demo (make run): e-mails are stored for administrators, not sent.
    app = make_app(guidance_build, f"sqlite:///{tmp / 'live.db'}", tmp, long_lived=True, KLARRET_MAIL="outbox")
    with app.app_context():
        from klarret import mail
        from klarret.demo import load_demo_data

        load_demo_data()
        mail.send("anna@demo.klarret.dk", "Påmindelse: Grundkursus", "Kære Anna Demo\n\nHusk kurset.")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium")
    require(chromium is not None, "Debian's chromium is not installed (make system-deps)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Python Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def axe():
    """Run axe-core (WCAG 2.1 A and AA) on a page; return the violations."""
    require(AXE.exists(), "axe-core is not installed (npm ci)")

    def run(pg) -> list[dict]:
        pg.add_script_tag(path=str(AXE))
        result = pg.evaluate(f"axe.run(document, {{runOnly: {WCAG}}})")
        assert result["passes"], "axe-core ran no check: the page did not load"
        return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]

    return run
