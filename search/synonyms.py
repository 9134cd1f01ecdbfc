"""Synonyms and abbreviations: the editors' file, the glossary's variants and the law aliases.

``synonymer.txt`` (next to this module) is the one file editors maintain, one rule a line::

    habilitet => inhabilitet                  # a query with the left side also searches the right
    chatgpt, copilot => kunstig intelligens   # several words or phrases on the left
    sagsbehandlingstid, svartid               # no arrow: the phrases mean the same (all ways)

The glossary's variants (``variant => term``) and the law table's aliases (``fvl => forvaltningsloven``)
come with the export, so they are never copied into the file. The index build merges the three and
stores the table in the index folder; a malformed line stops the build with the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from search.analysis import stem, words

SYNONYMS_FILE = Path(__file__).with_name("synonymer.txt")
MAX_PHRASE = 6  # words in one phrase


class SynonymError(ValueError):
    """A line of the synonym file that cannot be read (the message names file and line)."""


@dataclass(frozen=True)
class Rule:
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    origin: str  # "synonymer.txt:12", "ordliste", "lovtabel"

    def to_json(self) -> list:
        return [list(self.sources), list(self.targets), self.origin]


def _phrases(side: str, where: str) -> tuple[str, ...]:
    out = []
    for raw in side.split(","):
        phrase = " ".join(words(raw))
        if not phrase:
            raise SynonymError(f"{where}: en tom frase (to kommaer efter hinanden eller et komma til sidst).")
        if len(phrase.split()) > MAX_PHRASE:
            raise SynonymError(f"{where}: »{raw.strip()}« er for lang (højst {MAX_PHRASE} ord).")
        out.append(phrase)
    return tuple(dict.fromkeys(out))


def parse_rules(text: str, name: str = SYNONYMS_FILE.name) -> list[Rule]:
    """The rules of a synonym file; ``SynonymError`` names the line of the first malformed rule."""
    rules = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{name}:{lineno}"
        if line.count("=>") > 1:
            raise SynonymError(f"{where}: højst én pil (=>) pr. linje.")
        if "=>" in line:
            left, right = line.split("=>")
            if not left.strip() or not right.strip():
                raise SynonymError(f"{where}: der skal stå ord på begge sider af =>.")
            rules.append(Rule(_phrases(left, where), _phrases(right, where), where))
        else:
            group = _phrases(line, where)
            if len(group) < 2:
                raise SynonymError(f"{where}: skriv mindst to ord adskilt af komma, eller brug =>.")
            rules.append(Rule(group, group, where))
    return rules


def read_file(path: Path = SYNONYMS_FILE) -> list[Rule]:
    """The editors' rules (none if the file does not exist)."""
    if not path.exists():
        return []
    return parse_rules(path.read_text(encoding="utf-8"), path.name)


def glossary_rules(terms: Iterable[tuple[str, list[str]]]) -> list[Rule]:
    """Every glossary variant also searches its main term ("høring af part" => partshøring)."""
    rules = []
    for term, variants in terms:
        sources = tuple(p for p in (" ".join(words(v)) for v in variants) if p)
        target = " ".join(words(term))
        if sources and target:
            rules.append(Rule(sources, (target,), "ordliste"))
    return rules


def law_rules(laws: dict[str, dict[str, Any]]) -> list[Rule]:
    """A law's abbreviations and other names also search its name (fvl => forvaltningsloven)."""
    rules = []
    for key, info in laws.items():
        name = " ".join(words(info["name"]))
        aliases = {" ".join(words(a)) for a in [key, info.get("abbr", ""), *info.get("aliases", [])]}
        sources = tuple(sorted(a for a in aliases if a and _key(a) != _key(name)))
        if sources:
            rules.append(Rule(sources, (name,), "lovtabel"))
    return rules


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in phrase.split())


class SynonymTable:
    """Looks up the phrases of a query (compared stem by stem) and gives what they also search."""

    def __init__(self, rules: Iterable[Rule]):
        table: dict[tuple[str, ...], dict[str, None]] = {}
        for rule in rules:
            for source in rule.sources:
                targets = table.setdefault(_key(source), {})
                for target in rule.targets:
                    if _key(target) != _key(source):
                        targets[target] = None
        self.table = {k: list(v) for k, v in table.items() if v}
        self.longest = max((len(k) for k in self.table), default=0)
        self.words = frozenset(w for k in self.table for w in k)

    def expand(self, tokens: list[str]) -> list[tuple[int, int, str]]:
        """(start, end, target phrase) for every phrase of ``tokens`` (lowercase words) with synonyms."""
        stems = [stem(t) for t in tokens]
        out = []
        for i in range(len(stems)):
            for n in range(min(self.longest, len(stems) - i), 0, -1):
                for target in self.table.get(tuple(stems[i:i + n]), ()):
                    out.append((i, i + n, target))
        return out
