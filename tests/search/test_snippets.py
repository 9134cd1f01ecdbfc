"""Snippets from a record's text cut once per index mark exactly what the regular expression marks."""

from __future__ import annotations

import pytest

from search.analysis import analysed, content_stems, words
from search.snippets import Marks, _matches, cut, snippet

TEXTS = [
    "Sagsbehandleren skal høre parten, før der træffes afgørelse i sagen. Sag-behandling og e-mail.",
    "Ikke-part: en saglig grund; sagens parter (partshøring) -- se § 19, stk. 1, og art. 15.",
    "<b>alert</b> & co. Partshøring-partshøring-sag. 4 uger, 4-ugers-fristen, e-mail-adresse.",
]
QUERIES = ["sag", "partshøring sag", "e-mail", "ikke part", "4 uger", "alert", "saglig", "fristen", "co"]


@pytest.mark.parametrize("q", QUERIES)
def test_cut_marks_what_the_pattern_marks(q):
    stems = frozenset(content_stems(q)) | frozenset(words(q))
    for text in TEXTS:
        pre = cut(text)
        assert pre is not None
        assert pre.spans(Marks(stems)) == _matches(text, stems)
        assert snippet(text, stems, pre=pre) == snippet(text, stems)


def test_text_whose_lowercase_changes_length_is_not_cut():
    assert cut("İstanbul sag") is None
    assert "<mark>sag</mark>" in snippet("İstanbul sag", frozenset({"sag"}), pre=None)


def test_analysed_is_what_the_index_analyzers_make(guidance_build):
    """``analysed`` stands in for the schema's analyzers: the same terms for queries and the guidance's words."""
    from search.engine import Engine
    from search.query import _compound_filter

    engine = Engine(guidance_build / "index", cache_size=0)
    opened, s = engine.current()
    assert opened.builder.kinds["text"] == "da" and opened.builder.kinds["compound"] == "compound"
    splitter = _compound_filter(s)
    texts = ["skal borgeren høres før jeg giver afslag", "sagsbehandlingstiden i e-mail-sager", "fvl § 19, stk. 1",
             "Partshøring og AGTERSKRIVELSE", "i a å", *(d["text"][:300] for d in opened.stored[:80] if d)]
    memo: dict = {}
    for text in texts:
        assert analysed(text) == [t.text for t in s.schema["text"].analyzer(text)]
        assert analysed(text, splitter, memo) == [t.text for t in s.schema["compound"].analyzer(text)]
