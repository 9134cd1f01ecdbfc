"""The one settings object: every setting KlarRet reads from the environment, typed and checked once.

``create_app`` loads it (``load``) and keeps it on the app; code reads it with ``current()``. This is
the only module that reads ``os.environ`` (a test checks). A bad value stops start-up with a Danish
message naming the variable. Settings without an environment variable (the folders derived from
``KLARRET_BUILD_DIR``, the course folder) can still be set through ``create_app(test_config)``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import math
import multiprocessing
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = Path(__file__).resolve().parent / "vejledning"
EXTENSION = "klarret.settings"
TRUE, FALSE = ("1", "true", "ja", "yes", "on"), ("0", "false", "nej", "no", "off")
# Flask's own names for two settings, as tests pass them to create_app.
ALIASES = {"SQLALCHEMY_DATABASE_URI": "KLARRET_DATABASE_URL", "SECRET_KEY": "KLARRET_SECRET_KEY"}


class SettingsError(ValueError):
    """A setting has a value KlarRet cannot use; the message is Danish and names the variable."""


class _Bad(Exception):
    """Raised by a parser; ``load`` turns it into a SettingsError naming the variable."""


def _number(cast: Callable[[str], Any], ok: Callable[[Any], bool]) -> Callable[[str], Any]:
    def parse(raw: str) -> Any:
        try:
            value = cast(raw)
        except ValueError:
            raise _Bad from None
        if not ok(value):
            raise _Bad
        return value

    return parse


def _bool(raw: str) -> bool:
    if raw.lower() in TRUE:
        return True
    if raw.lower() in FALSE:
        return False
    raise _Bad


def _choice(*options: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw.lower() not in options:
            raise _Bad
        return raw.lower()

    return parse


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise _Bad from None


def _url(raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise _Bad
    return raw.rstrip("/")


def _text(raw: str) -> str:
    return raw


def _role_map(raw: str) -> tuple[tuple[str, str], ...]:
    """"KlarRet.Administrator=administrator,KlarRet.Redaktoer=editor": token role -> KlarRet role value."""
    from klarret.roles import ASSIGNABLE

    pairs = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        name, sep, role = (x.strip() for x in item.partition("="))
        if not sep or not name or role not in {r.value for r in ASSIGNABLE}:
            raise _Bad
        pairs.append((name, role))
    return tuple(pairs)
def _networks(raw: str) -> tuple:
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip())
    except ValueError:
        raise _Bad from None


def _setting(key: str, default: Any, parse: Callable[[str], Any], what: str = "", *, env: bool = True,
             secret: bool = False) -> Any:
    """A field of Settings: its variable (or config key), default, parser and what a good value is."""
    return dataclasses.field(default=default, repr=not secret,
                             metadata={"key": key, "parse": parse, "what": what, "env": env})


_port = _number(int, lambda n: 0 < n < 65536)
PORT_WHAT = "et portnummer (1-65535)"


@dataclasses.dataclass(frozen=True)
class Settings:
    """Every KlarRet setting with its type and default (the README's settings table lists them)."""

    instance_path: Path = _setting("KLARRET_INSTANCE_PATH", ROOT / "instance", lambda r: Path(r).resolve())
    database_url: str = _setting("KLARRET_DATABASE_URL", "", _text)  # "": SQLite in the instance folder
    secret_key: str = _setting("KLARRET_SECRET_KEY", "", _text, secret=True)  # "": kept in the instance folder
    build_dir: Path = _setting("KLARRET_BUILD_DIR", ROOT / "build", Path)
    html_dir: Path | None = _setting("KLARRET_HTML_DIR", None, Path, env=False)  # None: build_dir/html
    index_dir: Path | None = _setting("KLARRET_INDEX_DIR", None, Path, env=False)  # None: build_dir/index
    source_dir: Path = _setting("KLARRET_SOURCE_DIR", SOURCE_DIR, Path, env=False)
    conf_dir: Path = _setting("KLARRET_CONF_DIR", ROOT, Path, env=False)
    courses_dir: Path | None = _setting("KLARRET_COURSES_DIR", None, Path, env=False)  # None: quizzes' own
    staff_columns: Path | None = _setting("KLARRET_STAFF_COLUMNS", None, Path)
    retention_years: int = _setting("KLARRET_RETENTION_YEARS", 5, _number(int, lambda n: n >= 1),
                                    "et helt antal år (mindst 1)")
    # The HR import: a file with more rows is refused before it is parsed (memory, the worker's timeout).
    staff_max_rows: int = _setting("KLARRET_STAFF_MAX_ROWS", 100_000, _number(int, lambda n: n >= 1),
                                   "et helt antal rækker (mindst 1)")
    # An import that deactivates or renames more than this share of an administration must be confirmed
    # by typing the number of people affected.
    staff_guard_percent: float = _setting("KLARRET_STAFF_GUARD_PERCENT", 10.0,
                                          _number(float, lambda n: 0 <= n <= 100),
                                          "en procentsats mellem 0 og 100")
    # A negative cache size failed every search; zero or negative seconds made the log writer spin.
    search_cache: int = _setting("KLARRET_SEARCH_CACHE", 1000, _number(int, lambda n: n >= 0),
                                 "et helt antal svar (0 slår cachen fra)")
    search_log_seconds: float = _setting("KLARRET_SEARCH_LOG_SECONDS", 5.0,
                                         _number(float, lambda n: 0 < n and math.isfinite(n)),
                                         "et antal sekunder over 0")
    mail: str = _setting("KLARRET_MAIL", "smtp", _choice("smtp", "outbox"),
                         "'smtp' (send med mailserveren) eller 'outbox' (gem e-mails i databasen)")
    smtp_host: str = _setting("KLARRET_SMTP_HOST", "localhost", _text)
    smtp_port: int = _setting("KLARRET_SMTP_PORT", 25, _port, PORT_WHAT)
    smtp_user: str = _setting("KLARRET_SMTP_USER", "", _text)
    smtp_password: str = _setting("KLARRET_SMTP_PASSWORD", "", _text, secret=True)
    smtp_starttls: bool = _setting("KLARRET_SMTP_STARTTLS", False, _bool, "1 eller 0 (ja eller nej)")
    mail_from: str = _setting("KLARRET_MAIL_FROM", "KlarRet <klarret@localhost>", _text)
    base_url: str = _setting("KLARRET_BASE_URL", "http://127.0.0.1:5000", _url,
                             "en adresse, der begynder med http:// eller https://")
    login_failures: int = _setting("KLARRET_LOGIN_FAILURES", 5, _number(int, lambda n: n >= 1),
                                   "et helt antal forkerte forsøg (mindst 1)")
    login_address_failures: int = _setting("KLARRET_LOGIN_ADDRESS_FAILURES", 100, _number(int, lambda n: n >= 1),
                                           "et helt antal forkerte forsøg (mindst 1)")
    login_hash_slots: int = _setting("KLARRET_LOGIN_HASH_SLOTS", max(1, multiprocessing.cpu_count() // 2),
                                     _number(int, lambda n: n >= 1),
                                     "et helt antal samtidige kontroller (mindst 1)")
    session_idle_minutes: int = _setting("KLARRET_SESSION_IDLE_MINUTES", 240, _number(int, lambda n: n >= 5),
                                         "et helt antal minutter (mindst 5)")
    session_max_hours: int = _setting("KLARRET_SESSION_MAX_HOURS", 12, _number(int, lambda n: 1 <= n <= 24 * 31),
                                      "et helt antal timer (1-744)")
    audit_years: int = _setting("KLARRET_AUDIT_YEARS", 5, _number(int, lambda n: n >= 1),
                                "et helt antal år (mindst 1)")
    search_log_days: int = _setting("KLARRET_SEARCH_LOG_DAYS", 365, _number(int, lambda n: n >= 1),
                                    "et helt antal dage (mindst 1)")
    mail_outbox_days: int = _setting("KLARRET_MAIL_OUTBOX_DAYS", 90, _number(int, lambda n: n >= 1),
                                     "et helt antal dage (mindst 1)")
    privacy_contact: str = _setting("KLARRET_PRIVACY_CONTACT", "", _text)
    # Single sign-on (OpenID Connect) is on when both the issuer and the client id are set.
    oidc_issuer: str = _setting("KLARRET_OIDC_ISSUER", "", _url, "udbyderens adresse (issuer), der begynder med "
                                "http:// eller https://")
    oidc_client_id: str = _setting("KLARRET_OIDC_CLIENT_ID", "", _text)
    oidc_client_secret: str = _setting("KLARRET_OIDC_CLIENT_SECRET", "", _text, secret=True)
    oidc_staff_claim: str = _setting("KLARRET_OIDC_STAFF_CLAIM", "", _text)  # "": match the e-mail instead
    oidc_roles_claim: str = _setting("KLARRET_OIDC_ROLES_CLAIM", "roles", _text)
    oidc_role_map: tuple[tuple[str, str], ...] = _setting(
        "KLARRET_OIDC_ROLE_MAP", (("KlarRet.Administrator", "administrator"), ("KlarRet.Redaktoer", "editor")),
        _role_map, "en liste som KlarRet.Administrator=administrator,KlarRet.Redaktoer=editor (roller: editor, "
                   "trainer, administrator)")
    # Learning records out as xAPI (quizzes/records): nothing is queued while the endpoint is unset.
    xapi_endpoint: str = _setting("KLARRET_XAPI_ENDPOINT", "", _url,
                                  "en adresse, der begynder med http:// eller https://")
    xapi_username: str = _setting("KLARRET_XAPI_USERNAME", "", _text)
    xapi_password: str = _setting("KLARRET_XAPI_PASSWORD", "", _text, secret=True)
    xapi_homepage: str = _setting("KLARRET_XAPI_HOMEPAGE", "", _url,
                                  "en adresse, der begynder med http:// eller https://")  # "": KLARRET_BASE_URL
    xapi_batch: int = _setting("KLARRET_XAPI_BATCH", 50, _number(int, lambda n: 1 <= n <= 1000),
                               "et helt antal udsagn (1-1000)")
    xapi_timeout: float = _setting("KLARRET_XAPI_TIMEOUT", 10.0,
                                   _number(float, lambda n: 0 < n <= 300 and math.isfinite(n)),
                                   "et antal sekunder over 0 (højst 300)")
    xapi_sent_days: int = _setting("KLARRET_XAPI_SENT_DAYS", 30, _number(int, lambda n: n >= 1),
                                   "et helt antal dage (mindst 1)")
    today: dt.date | None = _setting("KLARRET_TODAY", None, _date, "en dato skrevet ÅÅÅÅ-MM-DD, fx 2027-03-01")
    # /metrics: a Bearer token, and/or client addresses or networks (comma-separated); neither: 404.
    metrics_token: str = _setting("KLARRET_METRICS_TOKEN", "", _text, secret=True)
    metrics_allow: tuple = _setting("KLARRET_METRICS_ALLOW", (), _networks,
                                    "adresser eller net adskilt af komma, fx 127.0.0.1,10.20.0.0/16")
    log_format: str = _setting("KLARRET_LOG_FORMAT", "text", _choice("text", "json"),
                               "'text' (læsbare linjer) eller 'json' (én JSON-linje pr. hændelse)")
    port: int = _setting("PORT", 5000, _port, PORT_WHAT)
    workers: int = _setting("KLARRET_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8),
                            _number(int, lambda n: n >= 1), "et helt antal arbejdsprocesser (mindst 1)")

    @property
    def sso(self) -> bool:
        """Whether single sign-on is configured (then local passwords are for emergency access only)."""
        return bool(self.oidc_issuer and self.oidc_client_id)

    def flask_config(self) -> dict[str, Any]:
        """The keys Flask and its extensions read from app.config (and the folders, for older readers)."""
        return {"SQLALCHEMY_DATABASE_URI": self.database_url, "SECRET_KEY": self.secret_key,
                "KLARRET_BUILD_DIR": self.build_dir, "KLARRET_HTML_DIR": self.html_dir,
                "KLARRET_INDEX_DIR": self.index_dir, "KLARRET_SOURCE_DIR": self.source_dir,
                "KLARRET_CONF_DIR": self.conf_dir}


FIELDS = {f.metadata["key"]: f for f in dataclasses.fields(Settings)}
VARIABLES = [key for key, f in FIELDS.items() if f.metadata["env"]]  # read from the environment


def _parse(key: str, value: Any) -> Any:
    """One setting from its raw value (a string, or an already typed value from test_config)."""
    f = FIELDS[key]
    raw = "" if value is None else str(value).strip()
    if raw == "":
        return f.default
    try:
        return f.metadata["parse"](raw)
    except _Bad:
        what = f.metadata["what"] or "en gyldig værdi"
        raise SettingsError(f"{key} skal være {what}, ikke '{value}'. Ret eller fjern indstillingen, "
                            "og start igen.") from None


def _derived(values: dict[str, Any]) -> dict[str, Any]:
    """Fill the defaults that follow from other settings."""
    if not values["database_url"]:
        values["database_url"] = f"sqlite:///{values['instance_path'] / 'klarret.db'}"
    values["html_dir"] = values["html_dir"] or values["build_dir"] / "html"
    values["index_dir"] = values["index_dir"] or values["build_dir"] / "index"
    if bool(values["oidc_issuer"]) != bool(values["oidc_client_id"]):
        raise SettingsError("KLARRET_OIDC_ISSUER og KLARRET_OIDC_CLIENT_ID skal sættes sammen (single sign-on), "
                            "eller begge fjernes. Ret indstillingerne, og start igen.")
    return values


def load(environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """The settings from the environment, then ``overrides`` (create_app's test_config) on top."""
    environ = os.environ if environ is None else environ
    given: dict[str, Any] = {k: environ[k] for k in VARIABLES if k in environ}
    for key, value in (overrides or {}).items():
        key = ALIASES.get(key, key)
        if key in FIELDS:
            given[key] = value
    values = {f.name: _parse(key, given.get(key)) for key, f in FIELDS.items()}
    return Settings(**_derived(values))


def with_secret_key(settings: Settings) -> Settings:
    """KLARRET_SECRET_KEY, or (SQLite only) a random key kept in the instance folder so sessions survive a restart."""
    if settings.secret_key:
        return settings
    if not settings.database_url.startswith("sqlite"):
        # Decision 7: instances on a shared database must share the key, so none may invent its own.
        raise SettingsError("KLARRET_SECRET_KEY skal være sat, når KlarRet bruger en fælles database "
                            "(PostgreSQL): alle instanser skal have den samme nøgle. Sæt den til en lang, "
                            "tilfældig værdi (fx fra 'openssl rand -hex 32'), og start igen.")
    path = settings.instance_path / "secret_key"
    if not path.exists():
        settings.instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return dataclasses.replace(settings, secret_key=path.read_text().strip())


def init_app(app: Flask, settings: Settings) -> None:
    """Keep the settings on the app and give Flask its keys."""
    app.extensions[EXTENSION] = settings
    app.config.from_mapping(settings.flask_config())


def of(app: Flask) -> Settings:
    """The settings ``create_app`` loaded for ``app`` (for init_app functions, before a request)."""
    return app.extensions[EXTENSION]


def current() -> Settings:
    """The current app's settings; outside an app (a helper called on its own) the environment's."""
    if has_app_context() and EXTENSION in current_app.extensions:
        return current_app.extensions[EXTENSION]
    return load()


def override(app: Flask, values: Mapping[str, Any]) -> Settings:
    """Change some of a running app's settings, checked as at start-up (tests: by variable name)."""
    changes = {FIELDS[ALIASES.get(k, k)].name: _parse(ALIASES.get(k, k), v) for k, v in values.items()}
    app.extensions[EXTENSION] = dataclasses.replace(app.extensions[EXTENSION], **changes)
    return app.extensions[EXTENSION]


def export_metrics_dir(path: Path) -> None:
    """Tell prometheus-client (which reads the environment) where the gunicorn workers share their metrics."""
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)


def metrics_dir() -> Path | None:
    """The folder of the workers' shared metrics, when ``klarret serve`` set one (multiprocess mode)."""
    value = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    return Path(value) if value else None


def child_environment(**extra: str) -> dict[str, str]:
    """The environment for a program KlarRet runs (pg_dump, pg_restore), with ``extra`` added."""
    return {**os.environ, **extra}
