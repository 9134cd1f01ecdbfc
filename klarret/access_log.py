"""gunicorn's access log without what people typed into search, and with personal data masked."""

from __future__ import annotations

from urllib.parse import urlsplit

from gunicorn.glogging import Logger

from klarret import settings
from klarret.logs import HEADER, JsonFormatter
from klarret.personal_data import MaskingFilter, mask

# Routes whose query string is a person's question: only the path is logged.
PRIVATE_QUERY_PATHS = ("/soeg", "/api/search", "/api/suggest")


def _private(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in PRIVATE_QUERY_PATHS)


def scrub_url(url: str) -> str:
    """A URL (path or absolute) without its query string when it is a search route; masked otherwise."""
    parts = urlsplit(url)
    if _private(parts.path):
        return parts._replace(query="", fragment="").geturl()
    return mask(url)


class AccessLogger(Logger):
    """Writes the same access log lines as gunicorn, less search queries and personal data."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        # Every handler of both logs masks what it writes, including the app's errors that propagate here.
        self.json = settings.load().log_format == "json"
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(MaskingFilter())
                if self.json:
                    handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time) -> None:
        """The access line; as JSON, its fields apart and with the request id the app gave the response."""
        if not self.json:
            return super().access(resp, req, environ, request_time)
        atoms = self.atoms(resp, req, environ, request_time)
        ids = [value for name, value in resp.headers if name.lower() == HEADER.lower()]
        self.access_log.info(atoms["r"], extra={
            "method": environ["REQUEST_METHOD"], "path": scrub_url(environ.get("RAW_URI", "")),
            "status": resp.status_code, "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_id": ids[0] if ids else "-"})

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        raw = environ.get("RAW_URI", "")
        atoms["r"] = f"{environ['REQUEST_METHOD']} {scrub_url(raw)} {environ['SERVER_PROTOCOL']}"
        atoms["q"] = "" if _private(environ.get("PATH_INFO", "")) else mask(atoms.get("q") or "")
        atoms["f"] = scrub_url(atoms.get("f") or "-")
        for key in [k for k in atoms if k.endswith("}e") or k in ("{referer}i",)]:
            atoms[key] = "-"  # the environment repeats the raw URI and query string
        return atoms
