"""URLs: the one check for redirect targets from the request, and absolute links built from KLARRET_BASE_URL."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# C0 controls, DEL and the C1 controls: browsers drop tab/LF/CR inside URLs ("/\t/evil" becomes "//evil").
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A proxy or framework may decode a target more than once: look at every decoding up to this depth.
_DECODINGS = 3


def _forms(target: str) -> list[str]:
    """``target`` and its successive percent-decodings, backslashes read as slashes (as browsers do)."""
    forms = [target]
    for _ in range(_DECODINGS):
        decoded = unquote(forms[-1])
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    return [f.replace("\\", "/") for f in forms]


def _local(form: str) -> bool:
    if _CONTROL.search(form) or not form.startswith("/") or form.startswith("//"):
        return False
    parts = urlsplit(form)
    return not parts.scheme and not parts.netloc and parts.path.startswith("/") and not parts.path.startswith("//")


def is_local_url(target: object) -> bool:
    """Whether ``target`` is a path on this site in every form a browser or proxy could read it.

    Refused: other hosts (``//evil``, ``/\\evil``, ``https://evil``), schemes (``javascript:``), control
    characters raw or percent-encoded (tab, CR, LF, NUL: they hide a ``//`` or split the header),
    and encoded slashes or backslashes that decode to another host (``/%2F%2Fevil``)."""
    return isinstance(target, str) and bool(target) and all(_local(form) for form in _forms(target))



def absolute_url(path: str) -> str:
    """``path`` on this site as an absolute URL, from KLARRET_BASE_URL (never the request's Host header)."""
    from klarret import settings

    return settings.current().base_url.rstrip("/") + "/" + path.lstrip("/")
