"""The content schema of a topic page: which role each section plays, and the page's lay-language lists.

Every topic page has the sections *Kort fortalt*, *Reglen*, *Sådan gør du*, *Typiske fejl*,
*Sagseksempler* and *Se også*, labelled ``<page id>-<name>``. The export records each section's role
(subsections inherit their parent's), so search and other features never recognise Danish headings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from klarret.export import ROLES

# Label suffix (after "<page id>-") -> role; the heading is the fallback for an unlabelled section.
LABEL_ROLES = {"kort": "summary", "reglen": "rule", "saadan": "how-to", "fejl": "mistakes",
               "sager": "case", "se-ogsaa": "see-also"}
HEADING_ROLES = {"kort fortalt": "summary", "reglen": "rule", "sådan gør du": "how-to",
                 "typiske fejl": "mistakes", "sagseksempler": "case", "se også": "see-also"}
QUESTIONS_KEY = "spørgsmål"  # front matter: questions and situations in a case worker's own words
PAGE_KEY = "siden"  # under `spørgsmål:` or `ogsaa_kaldet:` as a mapping: what is about the whole page
ALSO_CALLED_KEY = "ogsaa_kaldet"  # front matter: everyday words for the page's topic
if not set(LABEL_ROLES.values()) <= set(ROLES):  # the schema and the export must agree on the roles
    raise ImportError(f"unknown section roles: {set(LABEL_ROLES.values()) - set(ROLES)}")
# The words just before a citation that state the rule ("Reglen står i", "Det følger af",
# "myndighed efter"), as opposed to "jf." or "se", which only refer to it.
# Nothing before it, or the end of a sentence (not of an abbreviation: "jf.", "stk.", "fx.").
SENTENCE_START = re.compile(r"(?:^|(?<!\bjf)(?<!\bfx)(?<!\bnr)(?<!\bstk)(?<!\bpkt)(?<!\blitra)[.!?:])\s*$")
STATING = re.compile(r"(?:\b(?:står|fremgår|følger|findes|reguleres)(?:\s+\w+){0,2}\s+(?:i|af)|\b[Ee]fter)\s*$")


def section_role(page: str, ids: Iterable[str], heading: str) -> str:
    """The role of one section by its label (or, unlabelled, its heading); "" if the schema has none."""
    for i in ids:
        if i.startswith(page + "-") and i[len(page) + 1:] in LABEL_ROLES:
            return LABEL_ROLES[i[len(page) + 1:]]
    return HEADING_ROLES.get(heading.strip().casefold(), "")


def inherited_role(page: str, chain: list[tuple[list[str], str]]) -> str:
    """The role of the innermost section in ``chain`` ((ids, heading) from the page title down):
    its own role, else the nearest ancestor's."""
    for ids, heading in reversed(chain[1:]):  # chain[0] is the page title
        role = section_role(page, ids, heading)
        if role:
            return role
    return ""


def stating(before: str) -> bool:
    """Whether the text just before a citation states the provision rather than refers to it: a
    stating phrase, or nothing, since a citation that opens a sentence is what the sentence is about
    ("Art. 5, stk. 1 har seks principper")."""
    return bool(STATING.search(before[-80:]) or SENTENCE_START.search(before))


def _decoded(value: Any) -> Any:
    """A front-matter value as written: MyST hands non-string values over as JSON."""
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            pass
    return value


def text_list(value: Any) -> list[str]:
    """A front-matter list of sentences (one string is a list of one)."""
    value = _decoded(value)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [" ".join(str(v).split()) for v in value if str(v).strip()]


def by_section(value: Any, page: str) -> dict[str, list[str]]:
    """`spørgsmål:` or `ogsaa_kaldet:` as {anchor: lines}, "" for the page's own: a plain list is the
    page's; a mapping files each line under the section that answers it (``undtagelser:`` or ``<page id>-undtagelser:``)
    or ``siden:``."""
    value = _decoded(value)
    if not isinstance(value, dict):
        return {"": text_list(value)}
    out: dict[str, list[str]] = {}
    for key, lines in value.items():
        key = str(key).strip()
        anchor = "" if key == PAGE_KEY else key if key.startswith(page + "-") else f"{page}-{key}"
        out.setdefault(anchor, []).extend(text_list(lines))
    return out
