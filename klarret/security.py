"""Security headers on every response: the content policy, no framing, no sniffing, HSTS, no caching."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request

from klarret import settings

# Scripts only from KlarRet's own files: no inline script, no eval, no other site. Styles may be inline:
# the report charts size their bars with style="width: …" and Sphinx writes style attributes. A style
# cannot run code; injecting one would first need an HTML injection, which the escaping prevents.
# Images may be data: URLs (icons in CSS). Forms post only to KlarRet; nothing may frame it.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    # Search URLs carry what people typed: never send a path or query string to another site.
    "Referrer-Policy": "same-origin",
}


def content_security_policy(config: settings.Settings) -> str:
    """The content policy; with single sign-on, form-action also allows the provider (the login and logout
    forms' redirects go there, and Chromium applies form-action to redirects after a form)."""
    if not config.sso:
        return CONTENT_SECURITY_POLICY
    parts = urlsplit(config.oidc_issuer)
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}")


# One year; without includeSubDomains, since the municipality's other sites are not KlarRet's to decide.
HSTS = "max-age=31536000"


def is_public(response: Response) -> bool:
    """Whether the response is the same for everyone: the guidance and static files (they may be cached)."""
    endpoint = request.endpoint or ""
    shared = endpoint.startswith("guidance.") or endpoint == "static" or endpoint.endswith(".static")
    return shared and response.status_code in (200, 304)


def add_headers(response: Response) -> Response:
    """Add the security headers; every answer but the guidance and static files is ``no-store``."""
    config = settings.current()
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if config.sso and response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY:
        response.headers["Content-Security-Policy"] = content_security_policy(config)
    if config.base_url.startswith("https://"):
        response.headers["Strict-Transport-Security"] = HSTS
    # Default deny: a page, an export or an API answer may hold someone's data (or what they searched for),
    # so a shared computer's browser or a proxy must not keep it; a new page is covered without a list.
    if not is_public(response):
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the headers hook."""
    app.after_request(add_headers)
