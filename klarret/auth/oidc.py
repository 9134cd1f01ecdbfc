"""Single sign-on with the municipality's OpenID provider (Entra ID, ADFS): Authlib's Flask client.

Discovery, the authorization-code flow with PKCE (S256), ``state`` and ``nonce``; the ID token's
signature, expiry, ``nonce``, ``aud`` and ``iss`` are checked before anyone is matched. Every failure
becomes a ``Failed`` with a Danish message; the views audit it and never answer 500.
"""

from __future__ import annotations

from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError

from klarret import settings
from klarret.roles import Role

EXTENSION = "klarret.oidc"
NAME = "kommune"  # Authlib's name for the provider (its session keys start _state_kommune_)
TIMEOUT = 10  # seconds for each call to the provider: a hung provider must not hold a worker


class Failed(Exception):
    """A single sign-on that did not succeed; ``str()`` is the Danish message, ``reason`` is for the audit log."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


UNREACHABLE = "udbyder utilgængelig"  # the audit reason; the views answer 502 for it
UNREACHABLE_TEXT = ("Kommunens login svarer ikke lige nu. Prøv igen om et par minutter. Virker det stadig ikke, så "
                    "kontakt IT-support.")
STATE_TEXT = ("Login-svaret passer ikke til et login, der er startet i denne browser (det kan være for gammelt, eller "
              "være åbnet i en anden browser). Start forfra med knappen herunder.")
TOKEN_TEXT = ("Svaret fra kommunens login kunne ikke godkendes, så du er ikke logget ind. Start forfra med knappen "
              "herunder. Sker det igen, så kontakt IT-support.")


def client() -> Any:
    """The registered Authlib client of this app (None when single sign-on is off)."""
    return current_app.extensions.get(EXTENSION)


def _token_failure(exc: Exception) -> Failed:
    """A Failed naming what was wrong with the ID token (expired, nonce, audience, signature)."""
    if isinstance(exc, ExpiredTokenError):
        reason = "id-token udløbet"
    elif isinstance(exc, InvalidClaimError) or "claim" in type(exc).__name__.lower():
        reason = f"forkert {getattr(exc, 'claim', '') or 'claim'} i id-token"
    else:
        reason = f"id-token afvist ({type(exc).__name__})"
    return Failed(reason, TOKEN_TEXT)


def login_redirect(redirect_uri: str):
    """The redirect to the provider's login (discovery is fetched on first use)."""
    try:
        return client().authorize_redirect(redirect_uri)
    except (requests.RequestException, ValueError, KeyError, RuntimeError) as exc:
        raise Failed(UNREACHABLE, UNREACHABLE_TEXT) from exc


def finish() -> tuple[dict[str, Any], str]:
    """Exchange the code and check the ID token; its claims and the raw token (for logout)."""
    oauth = client()
    config = settings.current()
    # Authlib checks ``aud`` only when told which audience to expect (otherwise only through ``azp``).
    expected = {"iss": {"essential": True, "values": [config.oidc_issuer]},
                "aud": {"essential": True, "values": [config.oidc_client_id]}}
    try:
        token = oauth.authorize_access_token(claims_options=expected)
    except requests.RequestException as exc:
        raise Failed(UNREACHABLE, UNREACHABLE_TEXT) from exc
    except OAuthError as exc:
        if exc.error == "mismatching_state":
            raise Failed("ugyldig state", STATE_TEXT) from exc
        raise Failed(f"udbyderen afviste ({exc.error})", TOKEN_TEXT) from exc
    except JoseError as exc:
        raise _token_failure(exc) from exc
    except (ValueError, KeyError, RuntimeError) as exc:  # a malformed answer from the provider
        raise Failed(f"ugyldigt svar ({type(exc).__name__})", TOKEN_TEXT) from exc
    claims = token.get("userinfo")
    if not claims:
        raise Failed("intet id-token", TOKEN_TEXT)
    # Checked again here, so that a change of the library's defaults cannot open the door.
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if config.oidc_client_id not in audiences:
        raise Failed("forkert aud i id-token", TOKEN_TEXT)
    if claims.get("iss") != oauth.load_server_metadata().get("issuer") or \
            claims.get("iss", "").rstrip("/") != config.oidc_issuer:
        raise Failed("forkert iss i id-token", TOKEN_TEXT)
    return dict(claims), token.get("id_token", "")


def mapped_roles(claims: dict[str, Any]) -> frozenset[Role]:
    """The KlarRet roles the token's roles claim maps to (unknown names are ignored)."""
    config = settings.current()
    given = claims.get(config.oidc_roles_claim) or []
    if isinstance(given, str):
        given = [given]
    mapping = dict(config.oidc_role_map)
    return frozenset({Role.EMPLOYEE, *(Role(mapping[name]) for name in given if name in mapping)})


def logout_url(id_token: str, back_to: str) -> str | None:
    """The provider's end-session URL (RP-initiated logout), or None if it offers none or cannot be reached."""
    oauth = client()
    try:
        if oauth is None or not oauth.load_server_metadata().get("end_session_endpoint"):
            return None
        return oauth.create_logout_url(post_logout_redirect_uri=back_to, id_token_hint=id_token or None,
                                       client_id=settings.current().oidc_client_id)["url"]
    except (requests.RequestException, ValueError, KeyError, RuntimeError):
        return None  # logged out here in any case; the provider's own session then ends with the browser


def init_app(app: Flask) -> None:
    """Register the provider with Authlib when single sign-on is configured."""
    config = settings.of(app)
    if not config.sso:
        return
    oauth = OAuth(app)
    app.extensions[EXTENSION] = oauth.register(
        NAME, client_id=config.oidc_client_id, client_secret=config.oidc_client_secret or None,
        server_metadata_url=f"{config.oidc_issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256",
                       "default_timeout": TIMEOUT})
