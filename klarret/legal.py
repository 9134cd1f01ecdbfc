"""The grammar of Danish legal references: "19, stk. 2, nr. 1", "19-21", "9 b", "art. 6, stk. 1, litra e".

The one home of the citation rules: parsing and display (the Sphinx roles), a paragraph's normal form
("9 b") and token form ("9b", what search indexes), its order, and the paragraphs a range covers (the
export's ``Citation.covers`` and search's index tokens).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


MAX_RANGE = 60  # a range wider than this is not expanded: only its ends are listed
_PAR_PARTS = re.compile(r"(\d+)\s*([a-zæøå]?)")


class CitationError(ValueError):
    """A paragraph reference that does not follow the grammar."""


def normal_par(par: str) -> str:
    """A paragraph number as the guidance writes it: "9b", "9 B" -> "9 b"; "19" -> "19"."""
    m = _PAR_PARTS.fullmatch(par.strip().lower())
    if m is None:
        raise CitationError(par)
    return f"{m.group(1)} {m.group(2)}" if m.group(2) else m.group(1)


def par_token(par: str) -> str:
    """A paragraph number as one token, without spaces ("9 b" -> "9b"): the form search indexes and parses."""
    return re.sub(r"\s+", "", par).lower()


def par_key(par: str) -> tuple[int, str]:
    """The sort key of a paragraph number: 9 < 9 a < 9 b < 10."""
    num = "".join(ch for ch in par if ch.isdigit())
    letter = "".join(ch for ch in par if ch.isalpha()).lower()
    return (int(num) if num else 0, letter)


def covers(par: str, par_to: str | None, target: str) -> bool:
    """Whether the paragraph ``par`` (or the range ``par``-``par_to``) includes paragraph ``target``."""
    if par_to is None:
        return par_key(par) == par_key(target)
    return par_key(par) <= par_key(target) <= par_key(par_to)


def expand_range(par: str, par_to: str | None, limit: int = MAX_RANGE) -> list[str]:
    """The paragraphs of a range ("19"-"21" -> 19, 20, 21); its ends only if they are not plain numbers
    or the range is wider than ``limit``. Each paragraph keeps the form it was given in."""
    if par_to is None or par_to == par:
        return [par]
    if par.isdigit() and par_to.isdigit() and 0 < int(par_to) - int(par) <= limit:
        return [str(p) for p in range(int(par), int(par_to) + 1)]
    return [par, par_to]


def parse_reference(law: str, text: str) -> tuple[list[Citation], list[str]]:
    """Parse the paragraph part of a citation into citations and the pkt. parts (for display)."""
    from klarret.export import Citation  # the export schema imports this grammar: import it when used

    parts = [p for p in re.split(r"\s+og\s+", text.strip()) if p]
    if not parts:
        raise CitationError("empty reference")
    cits, pkts = [], []
    for part in parts:
        m = _ONE.match(part)
        if not m:
            raise CitationError(part)
        par, par_to = normal_par(m["par"]), m["par_to"] and normal_par(m["par_to"])
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
    for c, pkt in zip(cits, pkts, strict=False):
        s = c.par if c.par_to is None else f"{c.par}-{c.par_to}"
        if c.stk is not None:
            s += f", stk. {c.stk}"
        if pkt:
            s += f", {pkt}. pkt."
        if c.nr is not None:
            s += f", litra {c.nr}" if c.nr.isalpha() else f", nr. {c.nr}"
        bits.append(s)
    return f"{genitive} {sign} {' og '.join(bits)}"
