"""Editorial checks on the guidance's sources: the style guide's word list, "jf.", and open usikker marks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

USIKKER = re.compile(r"<!--\s*usikker:\s*(.*?)\s*-->", re.DOTALL | re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
_ROLE = re.compile(r"\{([\w:-]+)\}`([^`<]*?)\s*(?:<[^`]*>)?`")
_TEXT_ROLES = frozenset({"term", "doc", "ref", "numref", "abbr"})
_LIST_ITEM = re.compile(r"^(?:[-*]|\d+\.)\s+")
# Case-directive part labels are not prose.
SECTION_LABELS = frozenset({"Situation:", "Spørgsmål:", "Vurdering:", "Resultat:"})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ»\"(])")
_CASE_TITLE = re.compile(r"```\{case\}\s*(.+)")

# The style guide's word list (README, "Writing guidance"): discouraged word -> preferred word.
# Each pattern matches the word's inflected forms, case-insensitively, as a whole word.
DISCOURAGED_WORDS: tuple[tuple[str, str, str], ...] = (
    (r"book(?:e|er|ede|et)", "booke", "bestille"),
    (r"sparr(?:ing|e|er|ede)", "sparring", "rådgivning, drøfte"),
    (r"fair", "fair", "retfærdig, rimelig"),
    (r"e-mail(?:s|en|ene)?", "e-mail", "mail"),
    (r"deadline(?:s|n|r|rne)?", "deadline", "frist"),
    (r"case(?:n|s)", "casen", "sagen"),
    (r"i henhold til", "i henhold til", "efter"),
    (r"såfremt", "såfremt", "hvis"),
    (r"endvidere", "endvidere", "også"),
    (r"nærværende", "nærværende", "denne"),
    (r"(?:den )?pågældende", "pågældende", "borgeren, parten, medarbejderen"),
    (r"vedkommende", "vedkommende", "borgeren, parten, medarbejderen"),
    (r"vedrørende", "vedrørende", "om"),
    (r"han/hun|hun/han|han eller hun|hun eller han|ham eller hende|hende eller ham|hans eller hendes|hendes eller hans",
     "han eller hun", "hun (om borgeren i almindelig tekst)"),
)
_DISCOURAGED = [(re.compile(rf"(?<![\w-]){pattern}(?![\w-])", re.IGNORECASE), word, better)
                for pattern, word, better in DISCOURAGED_WORDS]
# "jf." is for lawyers; in running text write "efter" or "se". At most this many in all.
JF_LIMITS = {"guidance": 40, "courses": 20}
_JF = re.compile(r"(?<![\w])jf\.", re.IGNORECASE)


def discouraged_words(text: str) -> dict[str, tuple[str, int]]:
    """Discouraged words in a text: word -> (preferred word, number of hits)."""
    hits: dict[str, tuple[str, int]] = {}
    for pattern, word, better in _DISCOURAGED:
        n = len(pattern.findall(text))
        if n:
            hits[word] = (better, n)
    return hits


def count_jf(text: str) -> int:
    """How many times a text says "jf."."""
    return len(_JF.findall(text))


@dataclass
class UncertainMark:
    """One open `<!-- usikker: ... -->` mark: where it is, what it doubts, what the jurist must answer."""

    page: str
    section: str
    sentence: str
    question: str
    source: str
    line: int


def _plain(text: str) -> str:
    """MyST as plain text: {fvl}`19` -> fvl. § 19, {term}`parten <part>` -> parten, no bold, one space."""
    def role(m: re.Match) -> str:
        name, body = m.group(1), m.group(2)
        if name in _TEXT_ROLES:
            return body
        return f"{name} {body}" if body.startswith("art.") else f"{name}. § {body}"

    return " ".join(_ROLE.sub(role, text).replace("**", "").split())


def uncertain_marks(source_dir: Path) -> list[UncertainMark]:
    """Every open usikker mark in the guidance's sources, with the section and the sentence just before it."""
    marks: list[UncertainMark] = []
    for path in sorted(source_dir.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "usikker" not in text.lower():
            continue
        section, paragraph = "", []
        offsets = [0]
        for line in text.splitlines(keepends=True):
            offsets.append(offsets[-1] + len(line))
        for m in USIKKER.finditer(text):
            before = text[:m.start()]
            section, paragraph = _context(before)
            marks.append(UncertainMark(
                page=path.stem, section=section, sentence=_doubted_sentence(paragraph, text[m.end():]),
                question=" ".join(m.group(1).split()), source=str(path.relative_to(source_dir)),
                line=before.count("\n") + 1))
    return marks


def _doubted_sentence(paragraph: list[str], after: str) -> str:
    """The sentence a mark doubts: the last one before it that cites or counts, else the last one.

    A mark placed before a case (no prose above it) doubts that case; its title is given.
    """
    sentences = [x for x in _SENTENCE_END.split(_plain(" ".join(paragraph))) if x]
    if not sentences:
        case = _CASE_TITLE.search(after[:400])
        return f"Sagseksemplet »{case.group(1).strip()}«" if case else ""
    factual = [x for x in sentences if re.search(r"\d|§", x)]
    return (factual or sentences)[-1]


def _context(before: str) -> tuple[str, list[str]]:
    """The nearest heading above a position and the last paragraph of prose before it."""
    section, paragraph, current, in_fence = "", [], [], False
    for line in before.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
            continue
        heading = None if in_fence else _HEADING.match(line)
        if heading:
            section, paragraph, current = heading.group(2), [], []
        elif not stripped:
            paragraph, current = (current or paragraph), []
        elif not stripped.startswith(("(", "%", "<!--", ":")) and stripped not in SECTION_LABELS:
            if _LIST_ITEM.match(stripped):
                paragraph, current = (current or paragraph), []
            current.append(_LIST_ITEM.sub("", stripped))
    return section, current or paragraph
