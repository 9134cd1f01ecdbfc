"""The grammar of Danish legal references: "19, stk. 2, nr. 1", "19-21", "9 b", "art. 6, stk. 1, litra e"."""

from __future__ import annotations

import re

from klarret.export import Citation

_PAR = r"\d+(?:\s?[a-zæøå](?![a-zæøå]))?"
_ONE = re.compile(
    rf"""^\s*(?:(?:§§?|art\.|artikel)\s*)?
    (?P<par>{_PAR})(?:\s*-\s*(?P<par_to>{_PAR}))?
    (?:\s*,\s*stk\.\s*(?P<stk>\d+))?
    (?:\s*,\s*(?P<pkt1>\d+)\.\s*pkt\.)?
    (?:\s*,\s*(?:nr\.\s*(?P<nr>\d+)|litra\s+(?P<litra>[a-z])))?
    (?:\s*,\s*(?P<pkt2>\d+)\.\s*pkt\.)?
    \s*$""",
    re.VERBOSE | re.IGNORECASE,
)
EXAMPLES = "19 | 19-21 | 9 b | 19, stk. 2 | 19, stk. 2, nr. 1 | 7, stk. 1, 1. pkt. | 13 og 15"
EU_EXAMPLES = "art. 15 | art. 6, stk. 1, litra e"


class ReferenceError(ValueError):
    """A paragraph reference that does not follow the grammar."""


def _norm_par(par: str) -> str:
    m = re.match(r"(\d+)\s?([a-zæøå]?)", par.strip().lower())
    assert m
    return f"{m.group(1)} {m.group(2)}" if m.group(2) else m.group(1)


def parse_reference(law: str, text: str) -> tuple[list[Citation], list[str]]:
    """Parse the paragraph part of a citation into citations and the pkt. parts (for display)."""
    parts = [p for p in re.split(r"\s+og\s+", text.strip()) if p]
    if not parts:
        raise ReferenceError("empty reference")
    cits, pkts = [], []
    for part in parts:
        m = _ONE.match(part)
        if not m:
            raise ReferenceError(part)
        par, par_to = _norm_par(m["par"]), m["par_to"] and _norm_par(m["par_to"])
        if par_to is not None and par_to == par:
            par_to = None
        nr = m["nr"] or (m["litra"].lower() if m["litra"] else None)
        cits.append(Citation(law, par, par_to, int(m["stk"]) if m["stk"] else None, nr))
        pkts.append(m["pkt1"] or m["pkt2"] or "")
    return cits, pkts


def format_citation(genitive: str, cits: list[Citation], pkts: list[str], eu: bool = False) -> str:
    """Render citations the way Danish guidance writes them: "forvaltningslovens § 19, stk. 2, nr. 1"."""
    many = len(cits) > 1 or cits[0].par_to is not None
    sign = ("artikel" if eu else ("§§" if many else "§"))
    bits = []
    for c, pkt in zip(cits, pkts):
        s = c.par if c.par_to is None else f"{c.par}-{c.par_to}"
        if c.stk is not None:
            s += f", stk. {c.stk}"
        if pkt:
            s += f", {pkt}. pkt."
        if c.nr is not None:
            s += f", litra {c.nr}" if c.nr.isalpha() else f", nr. {c.nr}"
        bits.append(s)
    return f"{genitive} {sign} {' og '.join(bits)}"
