"""What the issue-9 text rules (tool residue, invisible characters, ALL-CAPS titles) add to
stage 1: `.venv/bin/python bench/cleanup.py [--rounds 5] [--copies 10]`.

On the real gov.kz bodies of tests/fixtures/govkz/news-ru.jsonl (HTML as the API gave it,
COPIES times over; every third title shouted in capitals), it times `pipeline.body.clean_title`
and `clean_body` as they run in production, and, in the same run on the same items, with
`text.residue`, `text.titles` and `normalize.strip_invisible` replaced by identities: the
stage as it was before the rules. Prints both (best of ROUNDS) and their ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from aqparat.model import RawItem
from aqparat.pipeline import body
from aqparat.text import normalize, residue, titles

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "govkz" / "news-ru.jsonl"


def items(copies: int) -> list[RawItem]:
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    found = []
    for n, row in enumerate(rows * copies):
        title = str(row["title"])
        found.append(RawItem(
            source_kind="govkz", source_key="mfa", external_id=str(row["id"]),
            title=title.upper() if n % 3 == 0 else title, body=str(row.get("body") or ""),
            body_format="html", published=dt.date(2026, 3, 17), source_url=None,
            declared_lang="ru", base_url="https://www.gov.kz"))
    return found


def stage_one(raws: list[RawItem]) -> float:
    start = time.perf_counter()
    for raw in raws:
        title = body.clean_title(raw.title, "ru")
        body.clean_body(title, raw, "ru")
    return time.perf_counter() - start


def _same(text: str, *_args: object) -> str:
    return text


def _never(_line: str) -> bool:
    return False


@contextmanager
def without_rules() -> Iterator[None]:
    with mock.patch.object(residue, "clean_inline", _same), \
            mock.patch.object(residue, "clean_text", _same), \
            mock.patch.object(residue, "is_residue", _never), \
            mock.patch.object(titles, "sentence_case", _same), \
            mock.patch.object(normalize, "strip_invisible", _same):
        yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    raws = items(args.copies)
    size = sum(len(r.body.encode()) for r in raws) / 1_000_000
    stage_one(raws[:20])  # warm caches (gazetteer, lingua is not used here)
    ours_s, before_s = [], []
    for _ in range(args.rounds):  # alternated, so a change in the machine's load hits both
        ours_s.append(stage_one(raws))
        with without_rules():
            before_s.append(stage_one(raws))
    ours, before = min(ours_s), min(before_s)
    print(f"input: {len(raws)} gov.kz items, {size:.2f} MB of HTML, best of {args.rounds}")
    print(f"stage 1 with the issue-9 rules:  {ours:7.3f} s  {len(raws) / ours:8.0f} items/s")
    print(f"stage 1 without them (baseline): {before:7.3f} s  {len(raws) / before:8.0f} items/s")
    print(f"ratio: {ours / before:.2f}x the baseline")


if __name__ == "__main__":
    main()
