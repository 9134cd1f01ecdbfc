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


# Reported by every page before its own scripts run: what the Content-Security-Policy blocked.
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (e) => console.error(
  `CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || "inline code"}`
  + ` (${e.sourceFile}:${e.lineNumber})`));"""
_csp_violations: dict[int, list[str]] = {}  # id(page) -> what its context's pages reported


@pytest.fixture
def page(browser):
    """A fresh browser page; the test fails if the Content-Security-Policy blocks anything on it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    context.add_init_script(CSP_LISTENER)
    violations: list[str] = []

    def on_console(msg) -> None:
        # Chromium's own report ("Refused to execute inline script because it violates …") and the listener's.
        text = msg.text
        if msg.type == "error" and ("Content Security Policy" in text or text.startswith("CSP violation")):
            violations.append(f"{text} [{msg.page.url if msg.page else '?'}]")

    context.on("console", on_console)
    pg = context.new_page()
    _csp_violations[id(pg)] = violations
    yield pg
    context.close()
    del _csp_violations[id(pg)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a browser test whose pages reported a CSP violation (after it ran, so the test itself fails)."""
    result = yield  # a test that failed on its own raises here, with its own message
    pg = item.funcargs.get("page")
    violations = _csp_violations.get(id(pg), []) if pg is not None else []
    if violations:
        pytest.fail("The Content-Security-Policy blocked something:\n" + "\n".join(violations), pytrace=False)
    return result


@pytest.fixture
def axe():
    """Run axe-core (WCAG 2.1 A and AA) on a page; return the violations."""
    require(AXE.exists(), "axe-core is not installed (npm ci)")

    def run(pg) -> list[dict]:
        # Evaluated through the DevTools protocol, which the CSP does not govern (a <script> tag it would block).
        pg.evaluate(AXE.read_text() + "\n;undefined")
        result = pg.evaluate(f"axe.run(document, {{runOnly: {WCAG}}})")
        assert result["passes"], "axe-core ran no check: the page did not load"
        return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]

    return run
