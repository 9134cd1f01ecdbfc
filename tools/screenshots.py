#!/usr/bin/env python3
"""Screenshots of KlarRet's main pages at desktop and phone width, for the README (``make screenshots``).

Serves the built guidance (``klarret build`` first) with the demo data in a temporary SQLite database,
opens each page in Debian's chromium (Playwright), logged in as the demo person who uses it, and writes
``docs/screenshots/<page>-desktop.png`` and ``<page>-mobil.png``. Nothing is sent anywhere.

  .venv/bin/klarret build && .venv/bin/python tools/screenshots.py
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WIDTHS = {"desktop": (1366, 900), "mobil": (390, 844)}
PASSWORD = "klarret-demo"  # klarret.demo.DEMO_PASSWORD: the demo accounts only
# (file name, path, demo account or None for not logged in, what the README says it shows)
PAGES = [
    ("forside", "/", None, "Forsiden af vejledningen"),
    ("vejledning", "/foer-afgoerelsen/partshoering.html", "anna", "En side i vejledningen, logget ind"),
    ("soegning", "/soeg?q=partshøring", None, "Søgeresultater"),
    ("min-side", "/min-side", "anna", "Mine kurser (medarbejder)"),
    ("leder", "/leder", "leila", "Mine medarbejdere (leder)"),
    ("administration", "/admin/", "admin", "Administration"),
    ("soegestatistik", "/soeg/statistik", "erik", "Søgestatistik (redaktør)"),
    ("hold", "/kurser/kend-borgerraadgiveren/hold", "anna", "Tilmelding til hold (medarbejder)"),
    ("fremmoede", "/hold", "underviser", "Hold og fremmøde (underviser)"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def serve(build: Path, tmp: Path) -> str:
    """KlarRet with the demo data on a free port in this process; returns its address."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from klarret.app import create_app
    from klarret.demo import load_demo_data

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'screenshots.db'}", "SECRET_KEY": "screenshots",
                      "KLARRET_BUILD_DIR": build, "KLARRET_HTML_DIR": build / "html",
                      "KLARRET_INDEX_DIR": build / "index", "KLARRET_MAIL": "outbox"})
    with app.app_context():
        upgrade()
        load_demo_data()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def login(page, base: str, who: str) -> None:
    """Log in as a demo account (anna@demo.klarret.dk …)."""
    page.goto(f"{base}/login")
    page.fill("#email", f"{who}@demo.klarret.dk")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()


def shoot(base: str, out: Path) -> list[Path]:
    """Every page at every width; the type-ahead open on the phone's front page too."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("tools/screenshots.py: chromium findes ikke (make system-deps).")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for width_name, (width, height) in WIDTHS.items():
            contexts: dict[str | None, object] = {}
            for name, path, who, _ in PAGES:
                if who not in contexts:
                    contexts[who] = browser.new_context(viewport={"width": width, "height": height}, locale="da-DK")
                    if who:
                        login(contexts[who].new_page(), base, who)
                page = contexts[who].new_page()
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                target = out / f"{name}-{width_name}.png"
                page.screenshot(path=str(target))
                written.append(target)
                page.close()
            page = contexts[None].new_page()
            page.goto(base + "/")
            page.fill("#kr-search-q", "fvl 19")
            page.wait_for_selector(".kr-suggest__list:not([hidden])")
            target = out / f"typeahead-{width_name}.png"
            page.screenshot(path=str(target))
            written.append(target)
            for context in contexts.values():
                context.close()
        browser.close()
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", type=Path, default=ROOT / "build", help="the build folder (klarret build)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    a = ap.parse_args()
    if not (a.build / "html" / "index.html").exists() or not (a.build / "index").exists():
        sys.exit(f"tools/screenshots.py: ingen vejledning i {a.build}. Kør 'klarret build' først.")
    with tempfile.TemporaryDirectory() as tmp:
        base = serve(a.build.resolve(), Path(tmp))
        for path in shoot(base, a.out):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
