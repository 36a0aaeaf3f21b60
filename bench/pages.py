"""Paragraph precision and recall of sources/pages.py on the kk/ru/en fixture pages.

    .venv/bin/python bench/pages.py            # per page, then the totals
    .venv/bin/python bench/pages.py --quiet    # totals only

A paragraph counts as found when the extractor returned exactly the gold paragraph (spaces
collapsed); precision is found / returned, recall is found / gold. Title and date are scored
as exact matches. A baseline (every <p> and <li> of the page) is printed alongside, so the
numbers say what the extractor adds over reading all paragraphs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

from aqparat.sources import pages

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pages"
_BLOCK = re.compile(r"<(p|li)\b[^>]*>(.*?)</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def gold_pages() -> list[dict[str, object]]:
    lines = (FIXTURES / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def baseline(html: str) -> list[str]:
    import html as htmllib

    found = (" ".join(htmllib.unescape(_TAG.sub(" ", m[2])).split()) for m in
             _BLOCK.finditer(html))
    return [p for p in found if p]


def score(returned: list[str], gold: list[str]) -> tuple[int, int, int]:
    wanted = list(gold)
    hits = 0
    for p in returned:
        if p in wanted:
            wanted.remove(p)
            hits += 1
    return hits, len(returned), len(gold)


def same_date(found: dt.date | dt.datetime | None, gold: str) -> bool:
    if found is None:
        return False
    want = dt.date.fromisoformat(gold) if len(gold) == 10 else dt.datetime.fromisoformat(gold)
    return bool(found == want)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    totals = {"ours": [0, 0, 0], "baseline": [0, 0, 0]}
    titles = dates = 0
    started = time.perf_counter()
    for g in gold_pages():
        body = (FIXTURES / f"{g['name']}.html").read_bytes()
        article = pages.extract_article(body, str(g["url"]))
        gold = [str(p) for p in g["paragraphs"]]  # type: ignore[attr-defined]
        ours = score(list(article.paragraphs), gold)
        base = score(baseline(body.decode("utf-8")), gold)
        for key, got in (("ours", ours), ("baseline", base)):
            totals[key] = [a + b for a, b in zip(totals[key], got, strict=True)]
        titles += article.title == g["title"]
        dates += same_date(article.published, str(g["date"]))
        if not args.quiet:
            print(f"{g['name']:28} paragraphs {ours[0]}/{ours[2]} (returned {ours[1]}), "
                  f"title {'ok' if article.title == g['title'] else 'WRONG'}, "
                  f"date {article.published}")
    elapsed = (time.perf_counter() - started) * 1000 / len(gold_pages())
    for key, (hits, returned, wanted) in totals.items():
        p, r = hits / max(returned, 1), hits / max(wanted, 1)
        print(f"{key:9} precision {p:.3f} recall {r:.3f} ({hits} of {returned} returned, "
              f"{hits} of {wanted} gold)")
    print(f"titles {titles}/{len(gold_pages())}, dates {dates}/{len(gold_pages())}, "
          f"{elapsed:.1f} ms a page (ratio to baseline: see the two lines above)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
