"""Single sign-on in tests: a real OpenID provider (oidc-provider-mock), a relay that tampers with its
answers, and the browser's part of the login driven over HTTP."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "klarret-test"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length", "te",
              "trailer", "upgrade", "proxy-authenticate", "proxy-authorization"}


def claims_of(id_token: str) -> dict:
    """The payload of a JWT, unverified (the relay alters it)."""
    payload = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Relay:
    """An HTTP relay in front of the provider that can alter the ID token or the key set it hands out.

    It forwards with its own Host header, so the provider names the relay as issuer and in every endpoint
    of its discovery document: KlarRet talks only to the relay. ``mode``:
    ``None`` forwards unchanged; ``"aud"``, ``"iss"``, ``"nonce"``, ``"expired"`` re-sign the ID token with
    the relay's own key (published instead of the provider's) after changing that claim; ``"forged"``
    changes the e-mail in the payload and keeps the provider's signature; ``"foreign-key"`` publishes the
    relay's key set, so the provider's genuine signature matches no published key.
    """

    def __init__(self, upstream: str) -> None:
        from joserfc.jwk import RSAKey

        self.upstream = upstream.rstrip("/")
        self.mode: str | None = None
        self.key = RSAKey.generate_key(2048, parameters={"kid": "relay-key", "use": "sig"})
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def _resign(self, claims: dict) -> str:
        from joserfc import jwt

        return jwt.encode({"alg": "RS256", "kid": "relay-key"}, claims, self.key)

    def _id_token(self, original: str) -> str:
        claims = claims_of(original)
        if self.mode == "forged":
            header, _payload, signature = original.split(".")
            claims["email"] = "admin@demo.klarret.dk"
            return ".".join([header, _b64(json.dumps(claims).encode()), signature])
        if self.mode == "aud":
            claims["aud"] = "another-client"
            claims.pop("azp", None)  # a token issued to another client names no party of ours
        elif self.mode == "iss":
            claims["iss"] = "https://evil.example"
        elif self.mode == "nonce":
            claims["nonce"] = "not-the-nonce-klarret-sent"
        elif self.mode == "expired":
            claims["iat"], claims["exp"] = int(time.time()) - 7200, int(time.time()) - 3600
        return self._resign(claims)

    def _alter(self, path: str, body: bytes) -> bytes:
        publishes_own_key = self.mode in ("aud", "iss", "nonce", "expired", "foreign-key")
        if path.endswith("/jwks") and publishes_own_key:
            return json.dumps({"keys": [self.key.as_dict(private=False)]}).encode()
        if path.endswith("/oauth2/token") and self.mode not in (None, "foreign-key"):
            token = json.loads(body)
            if "id_token" in token:
                token["id_token"] = self._id_token(token["id_token"])
            return json.dumps(token).encode()
        return body

    def app(self, environ, start_response):
        """Forward one request to the provider, keeping the relay's Host, and alter the answer."""
        req = Request(environ)
        headers = {k: v for k, v in req.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream = requests.request(req.method, self.upstream + req.full_path.rstrip("?"), headers=headers,
                                    data=req.get_data(), allow_redirects=False, timeout=10)
        body = self._alter(req.path, upstream.content)
        out = [(k, v) for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP]
        return Response(body, status=upstream.status_code, headers=out)(environ, start_response)

    @contextmanager
    def running(self) -> Iterator[Relay]:
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            thread.join(5)


def set_user(provider_url: str, sub: str, claims: dict) -> None:
    """Give the provider's user ``sub`` these claims (the provider's own API)."""
    r = requests.put(f"{provider_url}/users/{sub}", json=claims, timeout=10)
    assert r.status_code == 204, r.text


def start_login(client, next_url: str | None = None) -> str:
    """Click "Log ind med Københavns Kommunes login": KlarRet's redirect to the provider's login page."""
    r = client.get("/login/sso" + (f"?next={next_url}" if next_url else ""))
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return r.headers["Location"]


def provider_login(authorize_url: str, sub: str) -> str:
    """Log in at the provider as ``sub`` (its form posts the subject): the callback URL it sends back to."""
    page = requests.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text[:500]
    r = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert r.status_code == 302, r.text[:500]
    return r.headers["Location"]


def local(url: str) -> str:
    """The path and query of an absolute URL, for Flask's test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sso_login(client, sub: str, next_url: str | None = None):
    """The whole login through the provider as ``sub``: KlarRet's answer to the callback."""
    callback = provider_login(start_login(client, next_url), sub)
    return client.get(local(callback))
