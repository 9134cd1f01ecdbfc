"""The one settings object: only klarret/settings.py reads the environment; bad values stop start-up."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from klarret import settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("klarret", "search", "quizzes")
ENV_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def environment_uses(source: str) -> list[int]:
    """Line numbers where the code touches the process environment through the os module."""
    tree = ast.parse(source)
    os_names = {"os"} | {a.asname for n in ast.walk(tree) if isinstance(n, ast.Import)
                         for a in n.names if a.name == "os" and a.asname}
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ENV_NAMES and isinstance(node.value, ast.Name) \
                and node.value.id in os_names:
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and \
                any(a.name in ENV_NAMES for a in node.names):
            lines.append(node.lineno)
    return sorted(lines)


def test_the_scan_finds_every_way_of_reaching_the_environment():
    code = ("import os\nimport os as o\nfrom os import getenv\n# os.environ in a comment\n"
            "a = os.environ.get('X')\nb = o.environ['Y']\nc = os.getenv('Z')\nos.putenv('A', 'b')\n"
            "s = 'os.environ'\n")
    assert environment_uses(code) == [3, 5, 6, 7, 8]


def test_no_module_but_settings_reads_or_writes_the_environment():
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            lines = environment_uses(path.read_text(encoding="utf-8"))
            if lines and path != ROOT / "klarret" / "settings.py":
                found[str(path.relative_to(ROOT))] = lines
    assert found == {}, "read settings through klarret.settings.current(), not os.environ"


def start(monkeypatch, tmp_path, **env: str):
    """create_app with these environment variables (and the tests' usual folders)."""
    from klarret.app import create_app

    monkeypatch.setenv("KLARRET_INSTANCE_PATH", str(tmp_path / "instance"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/k.db",
                       "KLARRET_BUILD_DIR": tmp_path, "KLARRET_HTML_DIR": tmp_path / "html",
                       "KLARRET_INDEX_DIR": tmp_path / "index"})


@pytest.mark.parametrize("name, value, what", [
    ("KLARRET_SMTP_PORT", "smtp", "et portnummer"),
    ("KLARRET_SMTP_PORT", "70000", "et portnummer"),
    ("KLARRET_SEARCH_CACHE", "-5", "et helt antal svar"),
    ("KLARRET_SEARCH_LOG_SECONDS", "nan", "et antal sekunder over 0"),
    ("KLARRET_RETENTION_YEARS", "fem", "et helt antal år"),
    ("KLARRET_RETENTION_YEARS", "0", "et helt antal år"),
    ("KLARRET_TODAY", "1/3/2027", "en dato skrevet ÅÅÅÅ-MM-DD"),
    ("KLARRET_MAIL", "sendmail", "'smtp'"),
    ("KLARRET_SMTP_STARTTLS", "måske", "1 eller 0"),
    ("KLARRET_BASE_URL", "klarret.kk.dk", "en adresse, der begynder med http"),
    ("KLARRET_WORKERS", "mange", "et helt antal arbejdsprocesser"),
    ("PORT", "0", "et portnummer"),
])
def test_a_bad_value_stops_start_up_with_a_danish_message(monkeypatch, tmp_path, name, value, what):
    with pytest.raises(settings.SettingsError) as caught:
        start(monkeypatch, tmp_path, **{name: value})
    message = str(caught.value)
    assert message.startswith(f"{name} skal være {what}") and f"ikke '{value}'" in message
    assert message.endswith("Ret eller fjern indstillingen, og start igen.")


def test_the_command_line_shows_the_message_without_a_traceback(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from klarret.cli import cli

    monkeypatch.setenv("KLARRET_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("KLARRET_SMTP_PORT", "femogtyve")
    r = CliRunner().invoke(cli, ["remind", "--dry-run"])
    assert r.exit_code != 0
    assert "KLARRET_SMTP_PORT skal være et portnummer (1-65535), ikke 'femogtyve'" in r.output
    assert "Traceback" not in r.output


def test_values_are_typed_and_test_config_overrides_the_environment(monkeypatch, tmp_path):
    app = start(monkeypatch, tmp_path, KLARRET_SMTP_PORT=" 2525 ", KLARRET_SMTP_STARTTLS="ja",
                KLARRET_TODAY="2027-03-01", KLARRET_BASE_URL="https://klarret.kk.dk/", KLARRET_MAIL="Outbox",
                KLARRET_SEARCH_CACHE="7", PORT="8080")
    s = settings.of(app)
    assert (s.smtp_port, s.smtp_starttls, s.today, s.base_url, s.mail, s.search_cache, s.port) == (
        2525, True, dt.date(2027, 3, 1), "https://klarret.kk.dk", "outbox", 7, 8080)
    assert s.database_url == f"sqlite:///{tmp_path}/k.db" == app.config["SQLALCHEMY_DATABASE_URI"]
    assert s.html_dir == tmp_path / "html" and s.secret_key == "test"
    from search import search_engine

    assert search_engine(app).cache_size == 7
    with app.app_context():
        assert settings.current() is s
    assert "secret_key" not in repr(s) and "smtp_password" not in repr(s), "secrets are kept out of logs"


def test_defaults_without_any_variable(tmp_path):
    s = settings.load({"KLARRET_INSTANCE_PATH": str(tmp_path)})
    assert (s.smtp_host, s.smtp_port, s.retention_years, s.mail, s.today, s.port) == ("localhost", 25, 5, "smtp",
                                                                                     None, 5000)
    assert s.database_url == f"sqlite:///{tmp_path / 'klarret.db'}"
    assert s.html_dir == settings.ROOT / "build" / "html" and 1 <= s.workers <= 8
    assert settings.with_secret_key(s).secret_key == settings.with_secret_key(s).secret_key != ""


def test_the_readme_lists_every_variable():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Settings"):]
    table = table[:table.index("\n## ", 1)]
    rows = "\n".join(line.split(" | ")[0] for line in table.splitlines() if line.startswith("| `"))
    listed = set(re.findall(r"`((?:KLARRET_[A-Z_]+)|PORT)`", rows)) - {"KLARRET_TEST_DATABASE_URL"}
    assert listed == set(settings.VARIABLES)
