#!/usr/bin/env python3
"""Dump /api/search's full answer for every judged query (answer cache off) and compare with a saved dump.

A speed change must not change any answer: run this before the change with ``--save`` and after
it without, on the same build (``KLARRET_BUILD_DIR``). The search id (random per request) is left
out and scores are rounded to 6 digits.

  KLARRET_BUILD_DIR=/tmp/build .venv/bin/python bench/search_answers.py --save /tmp/answers.json
  KLARRET_BUILD_DIR=/tmp/build .venv/bin/python bench/search_answers.py --compare /tmp/answers.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "eval"
FILES = (ROOT / "tests" / "data" / "search-queries.tsv", SHARED / "queries-dev.tsv",
         ROOT / "tests" / "data" / "search-sections.tsv", SHARED / "sections-dev.tsv")


def queries() -> list[str]:
    """Every query of the four judged files, in order, without repeats."""
    from bench.search import load_queries

    seen: dict[str, None] = {}
    for path in FILES:
        for q in load_queries(path):
            seen.setdefault(q, None)
    return list(seen)


def _rounded(value: Any) -> Any:
    # Floats are summed in a different order by an equivalent computation: 6 digits are the answer.
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items() if k != "search_id"}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def answers(build_dir: Path) -> dict[str, Any]:
    """Query -> its answer (limit=10, answer cache bypassed) through Flask's test client."""
    from klarret.app import create_app

    with tempfile.TemporaryDirectory(prefix="klarret-answers-") as tmp:
        os.environ["KLARRET_INSTANCE_PATH"] = str(Path(tmp) / "instance")
        app = create_app({"TESTING": True, "SECRET_KEY": "answers", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/a.db",
                          "KLARRET_BUILD_DIR": build_dir, "KLARRET_HTML_DIR": build_dir / "html",
                          "KLARRET_INDEX_DIR": build_dir / "index"})
        client = app.test_client()
        out = {}
        for q in queries():
            r = client.get("/api/search", query_string={"q": q, "limit": 10}, headers={"X-KlarRet-Bench": "nocache"})
            out[q] = {"status": r.status_code, "body": _rounded(r.get_json())}
        return out


def main() -> None:
    """Save or compare the dump; exit 1 on any difference."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", type=Path, default=Path(os.environ.get("KLARRET_BUILD_DIR", ROOT / "build")))
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    a = ap.parse_args()
    got = answers(a.build)
    if a.save:
        a.save.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        print(f"{len(got)} answers saved to {a.save}")
        return
    saved = json.loads(a.compare.read_text(encoding="utf-8"))
    differ = [q for q in saved.keys() | got.keys() if saved.get(q) != got.get(q)]
    for q in differ[:10]:
        print(f"DIFFERS: {q!r}")
    print(f"{len(got)} answers, {len(differ)} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
