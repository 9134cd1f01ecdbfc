"""The ``case`` directive (sagseksempel): a worked case in four parts, shown as a sphinx-design dropdown.

````
```{case} Naboen blev ikke hørt
:name: partshoering-sag-nabo
:hjemmel: fvl 19, stk. 1

Situation:
...
Spørgsmål:
...
Vurdering:
...
Resultat:
...
```
````
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx_design.shared import create_component

from klarret.legal import CitationError
from klarret.sphinxext.citations import known_laws_hint, make_citation_node

PARTS = ("Situation", "Spørgsmål", "Vurdering", "Resultat")
_PART_LINE = re.compile(r"^\s*(" + "|".join(PARTS) + r")\s*:\s*(.*)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class CaseDirective(SphinxDirective):
    """A case example with Situation, Spørgsmål, Vurdering and Resultat, and optional legal basis."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {
        "name": directives.unchanged_required,
        "hjemmel": directives.unchanged,
        "open": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        name = self.options.get("name", "").strip()
        if not name:
            raise self.error(
                "Sagseksemplet mangler :name: (et id som 'partshoering-sag-nabo'), så det kan linkes og findes."
            )
        if not _NAME.match(name):
            raise self.error(f"Ugyldigt :name: '{name}': brug små bogstaver a-z, tal og bindestreger.")
        parts = self._split_parts()
        title = self.arguments[0].strip()
        container = create_component(
            "dropdown", opened="open" in self.options, type="dropdown", has_title=True,
            icon=None, chevron=None, container_classes=["sd-mb-3", "klarret-case"],
            title_classes=["klarret-case-title"], body_classes=["klarret-case-body"],
        )
        self.set_source_info(container)
        container["klarret_case"] = {"id": name, "title": title}
        rubric = nodes.rubric(title, "", nodes.inline("", "Sagseksempel: ", classes=["klarret-case-kind"]),
                              nodes.Text(title))
        rubric["names"].append(name)
        self.state.document.note_explicit_target(rubric, rubric)
        container += rubric
        for part, (offset, lines) in parts.items():
            box = nodes.container(classes=["klarret-case-part", "klarret-case-" + _slug(part)])
            box += nodes.rubric(part, part, classes=["klarret-case-part-title"])
            self.state.nested_parse(StringList(lines, items=[(self.get_source_info()[0], offset + i)
                                                              for i in range(len(lines))]),
                                    offset, box)
            container += box
        if self.options.get("hjemmel"):
            container += self._legal_basis(self.options["hjemmel"])
        return [container]

    def _split_parts(self) -> dict[str, tuple[int, list[str]]]:
        """Split the body at the lines 'Situation:', 'Spørgsmål:', ... and check all four are there."""
        found: dict[str, tuple[int, list[str]]] = {}
        current = None
        for i, line in enumerate(self.content):
            m = _PART_LINE.match(line)
            if m and m.group(1) not in found:
                current = m.group(1)
                found[current] = (self.content_offset + i + 1, [m.group(2)] if m.group(2) else [])
            elif current is None:
                if line.strip():
                    raise self.error(
                        f"Tekst før 'Situation:' i sagseksemplet '{self.arguments[0]}'. "
                        "Start brødteksten med linjen 'Situation:'."
                    )
            else:
                found[current][1].append(line)
        missing = [p for p in PARTS if p not in found or not "".join(found[p][1]).strip()]
        if missing:
            raise self.error(
                f"Sagseksemplet '{self.arguments[0]}' mangler {', '.join(missing)}. Et sagseksempel skal "
                f"have de fire dele {', '.join(p + ':' for p in PARTS)} hver på sin egen linje med tekst efter."
            )
        order = [p for p in found]
        if order != list(PARTS):
            raise self.error(
                f"Delene i sagseksemplet '{self.arguments[0]}' står i forkert rækkefølge: "
                f"{', '.join(order)}. Brug rækkefølgen {', '.join(PARTS)}."
            )
        return found

    def _legal_basis(self, value: str) -> nodes.Node:
        """The ':hjemmel:' option as a paragraph of citation links: 'fvl 19, stk. 1; offl 13'."""
        laws = self.config.klarret_laws
        para = nodes.paragraph(classes=["klarret-case-basis"])
        para += nodes.strong("", "Hjemmel: ")
        for i, item in enumerate(p.strip() for p in value.split(";") if p.strip()):
            law, _, ref = item.partition(" ")
            if law not in laws:
                raise self.error(f"Ukendt lov '{law}' i :hjemmel: '{item}'. {known_laws_hint(laws)}")
            try:
                node = make_citation_node(laws, law, ref)
            except CitationError:
                raise self.error(
                    f"Ugyldig henvisning i :hjemmel: '{item}'. Skriv fx 'fvl 19, stk. 2, nr. 1'."
                ) from None
            if i:
                para += nodes.Text("; ")
            para += node
        return para


def _slug(part: str) -> str:
    return part.lower().replace("ø", "oe").replace("å", "aa")


def setup_case(app: Sphinx) -> None:
    """Register the case directive."""
    app.add_directive("case", CaseDirective)
