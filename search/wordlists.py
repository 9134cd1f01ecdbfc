"""Danish word lists for analysis, generated once from hunspell-da and simplemma and committed.

``data/da-ord.txt.gz``: the base words of the hunspell-da dictionary, so compounds split into real
Danish words ("handicapparkeringskort" -> handicap, parkering, kort), not only the guidance's words.
``data/da-lemmaer.tsv.gz``: word form -> lemma from simplemma's Danish data, only where the lemma's
snowball stem differs from the form's ("søgt" -> søge, "børn" -> barn): elsewhere stemming suffices.

Neither hunspell nor simplemma is needed at run time (``make run`` installs neither); regenerate with
``python -m search.wordlists`` on a machine with ``hunspell-da`` and ``pip install simplemma``.
"""

from __future__ import annotations

import gzip
import sys
import threading
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
WORDS_FILE = DATA / "da-ord.txt.gz"
LEMMAS_FILE = DATA / "da-lemmaer.tsv.gz"
HUNSPELL_DIC = Path("/usr/share/hunspell/da_DK.dic")
MIN_WORD = 3
_loading = threading.Lock()  # a worker's warm-up thread and its first request load the lists once


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """The dictionary's base words (lowercase, letters only, at least three); empty without the file."""
    if not WORDS_FILE.exists():
        return frozenset()
    with _loading, gzip.open(WORDS_FILE, "rt", encoding="utf-8") as f:
        return frozenset(f.read().split())


@lru_cache(maxsize=1)
def lemmas() -> dict[str, str]:
    """Word form -> lemma, where stemming alone would not bring them together; empty without the file."""
    if not LEMMAS_FILE.exists():
        return {}
    with _loading, gzip.open(LEMMAS_FILE, "rt", encoding="utf-8") as f:
        return dict(line.split("\t", 1) for line in f.read().splitlines() if "\t" in line)


def warm_up() -> None:
    """Load both lists in a background thread, so a worker's first search does not wait for them."""
    threading.Thread(target=lambda: (lemmas(), dictionary_words()), name="klarret-wordlists", daemon=True).start()


def _letters(word: str) -> bool:
    return word.isalpha() and word == word.lower() and len(word) >= MIN_WORD


def generate(dic: Path = HUNSPELL_DIC) -> tuple[int, int]:
    """Write both files from hunspell-da's dictionary and simplemma's Danish data; return their sizes."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory  # only here: 8 s to load

    from search.analysis import snowball

    base = sorted({w for line in dic.read_text(encoding="utf-8").splitlines()[1:]
                   if _letters(w := line.split("/", 1)[0].strip())})
    table = DefaultDictionaryFactory().get_dictionary("da")
    pairs = []
    for form, lemma in table.items():
        form = form.decode() if isinstance(form, bytes) else form
        lemma = lemma.decode() if isinstance(lemma, bytes) else lemma
        if _letters(form) and lemma.isalpha() and snowball(form) != snowball(lemma.lower()):
            pairs.append(f"{form}\t{lemma.lower()}")
    DATA.mkdir(exist_ok=True)
    # mtime=0: the same input gives the same bytes, so a regeneration shows no spurious diff.
    with open(WORDS_FILE, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(("\n".join(base) + "\n").encode("utf-8"))
    with open(LEMMAS_FILE, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(("\n".join(sorted(pairs)) + "\n").encode("utf-8"))
    return len(base), len(pairs)


if __name__ == "__main__":
    n_words, n_lemmas = generate(Path(sys.argv[1]) if len(sys.argv) > 1 else HUNSPELL_DIC)
    print(f"{n_words} ord i {WORDS_FILE}, {n_lemmas} bøjningsformer i {LEMMAS_FILE}")
