"""Legal-citation roles, one per law in ``klarret_laws``: {fvl}`19, stk. 2` -> a link to the law."""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from docutils.parsers.rst import roles
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from klarret.export import Citation
from klarret.legal import EU_EXAMPLES, EXAMPLES, CitationError, format_citation, parse_reference

logger = logging.getLogger(__name__)

REQUIRED_KEYS = ("name", "genitive", "url")


class law_citation(nodes.reference):  # noqa: N801 - docutils node naming
    """A link to a law that records which provisions it cites (read by the export)."""


def make_citation_node(laws: dict[str, Any], law: str, text: str, rawtext: str = "") -> law_citation:
    """Parse ``text`` as a reference into law ``law``; raise CitationError if malformed."""
    info = laws[law]
    cits, pkts = parse_reference(law, text)
    label = format_citation(info["genitive"], cits, pkts, eu=bool(info.get("eu")))
    node = law_citation(rawtext or label, label, refuri=info["url"], internal=False,
                    classes=["klarret-cite"], reftitle=f"{info['name']} (åbner lovteksten)")
    node["klarret_citations"] = [dict(vars(c)) for c in cits]
    return node


def known_laws_hint(laws: dict[str, Any]) -> str:
    """The list of law roles an editor may use, for error messages."""
    return "Kendte love: " + ", ".join(sorted(laws)) + "."


def _law_role(law: str, laws: dict[str, Any]):
    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        try:
            node = make_citation_node(laws, law, text, rawtext)
        except CitationError:
            examples = EU_EXAMPLES if laws[law].get("eu") else EXAMPLES
            msg = inliner.reporter.error(
                f"Ugyldig lovhenvisning {rawtext}: '{text}' kan ikke læses som en paragraf. "
                f"Skriv fx: {examples}.",
                line=lineno,
            )
            prb = inliner.problematic(rawtext, rawtext, msg)
            return [prb], [msg]
        return [node], []

    return role


def check_law_table(app: Sphinx, config: Config) -> None:
    """Validate the law table in conf.py and register one role per law."""
    laws = config.klarret_laws
    for key, info in laws.items():
        missing = [k for k in REQUIRED_KEYS if not info.get(k)]
        if missing:
            raise ValueError(f"conf.py: klarret_laws['{key}'] mangler {', '.join(missing)}.")
        roles.register_local_role(key, _law_role(key, laws))


# Smart quotes may have turned the quotes of MyST's message into »…«.
_UNKNOWN_ROLE = re.compile(r'Unknown interpreted text role \W?([\w:.-]+)\W')


class UnknownLawRole(SphinxTransform):
    """Turn MyST's 'unknown role' warning into an error that lists the known laws.

    Runs before Sphinx's FilterSystemMessages (priority 999) removes the warning nodes.
    """

    default_priority = 880

    def apply(self, **kwargs: Any) -> None:
        laws = self.config.klarret_laws
        for msg in list(self.document.findall(nodes.system_message)):
            m = _UNKNOWN_ROLE.search(msg.astext())
            if m:
                logger.error(
                    "Ukendt rolle {%s}. Er det en lovhenvisning, så brug en af rollerne fra klarret_laws "
                    "i conf.py. %s", m.group(1), known_laws_hint(laws),
                    location=(self.env.docname, msg.get("line")),
                )


def visit_law_citation(self, node: law_citation) -> None:
    """Render as an ordinary external link."""
    self.visit_reference(node)


def depart_law_citation(self, node: law_citation) -> None:
    self.depart_reference(node)


def setup_citations(app: Sphinx) -> None:
    """Register the citation table, its roles and the unknown-role check."""
    app.add_config_value("klarret_laws", {}, "env", types=frozenset({dict}))
    app.add_node(law_citation, html=(visit_law_citation, depart_law_citation))
    app.connect("config-inited", check_law_table)
    app.add_transform(UnknownLawRole)


__all__ = ["Citation", "law_citation", "make_citation_node", "setup_citations", "known_laws_hint"]
