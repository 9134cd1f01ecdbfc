"""Legal citations typed into the search box: "fvl § 19", "§ 24 forvaltningsloven", "GDPR artikel 15"."""

from __future__ import annotations

import re
from typing import Any

_PAR = r"(?P<par>\d+)(?:\s?(?P<letter>[a-zæøå])(?![a-zæøå]))?"
_STK = r"(?:\s*,?\s*stk\.?\s*(?P<stk>\d+))?"
_SIGN = r"(?:§§?|art(?:ikel|\.)?|paragraf)"


class CitationParser:
    """Find citations of known laws in a query and turn them into citation-field tokens."""

    def __init__(self, laws: dict[str, dict[str, Any]]):
        alias_to_law: dict[str, str] = {}
        for key, info in laws.items():
            for alias in {key, *info.get("aliases", []), info["name"].lower(), info.get("genitive", "").lower()}:
                if alias:
                    alias_to_law[alias.lower()] = key
        self.alias_to_law = alias_to_law
        names = "|".join(re.escape(a) for a in sorted(alias_to_law, key=len, reverse=True))
        law = rf"(?P<law>{names})\.?"
        self.forward = re.compile(rf"(?<!\w){law}\s*{_SIGN}?\s*{_PAR}{_STK}(?!\w)", re.IGNORECASE)
        self.backward = re.compile(rf"(?<!\w){_SIGN}\s*{_PAR}{_STK}\s+(?:i\s+)?{law}(?!\w)", re.IGNORECASE)
        self.bare = re.compile(rf"(?<!\w){_SIGN}\s*{_PAR}{_STK}(?!\w)", re.IGNORECASE)
        self.law_only = re.compile(rf"(?<!\w){law}(?!\w)", re.IGNORECASE)

    def parse(self, text: str) -> tuple[list[tuple[str, float]], str]:
        """(citation tokens with boosts, the text left for the word search)."""
        tokens: list[tuple[str, float]] = []

        def take(m: re.Match, with_law: bool = True) -> str:
            par = m["par"] + (m["letter"] or "").lower()
            law = self.alias_to_law[m["law"].lower()] if with_law else None
            if law:
                tokens.append((f"{law}:{par}", 3.0))
                if m["stk"]:
                    tokens.append((f"{law}:{par}:{m['stk']}", 1.5))
            else:
                tokens.append((f"§{par}", 1.5))
            return " "

        text = self.backward.sub(take, text)
        text = self.forward.sub(take, text)
        text = self.bare.sub(lambda m: take(m, with_law=False), text)
        for m in self.law_only.finditer(text):
            # A law's name alone: a weak hint, and the words still count as words.
            tokens.append((self.alias_to_law[m["law"].lower()], 0.3))
        return tokens, text
