"""`aqparat export`: articles as JSON Lines, CSV or Parquet, for people building corpora.

Every format has the same flat row (`COLUMNS`), and every row names the original (`source_url`)
and carries a licence note (`licence.py`). Items are read a keyset page at a time, newest first,
so memory stays flat however large the store is.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, Literal

import sqlalchemy as sa

from aqparat import licence
from aqparat.errors import ConfigError
from aqparat.model import LANGS
from aqparat.store import articles
from aqparat.store.articles import ItemFilter, ItemRecord

Format = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "parquet")
Row = dict[str, Any]
COLUMNS = (
    "id", "lang", "original_lang", "title", "lead", "body_text", "body_html", "published_at",
    "date_only", "updated_at", "source_url", "image_url", "source_id", "source_kind", "source_key",
    "source_name_kk", "source_name_ru", "source_name_en", "rubrics", "licence",
)
PARQUET_BATCH = 1000


def row(r: ItemRecord) -> Row:
    s = r.summary
    return {
        "id": s.id, "lang": s.lang, "original_lang": r.original_lang, "title": s.title,
        "lead": s.lead, "body_text": r.body_text, "body_html": r.body_html,
        "published_at": s.published_at, "date_only": s.date_only, "updated_at": r.updated_at,
        "source_url": r.source_url, "image_url": r.image_url, "source_id": s.source.id,
        "source_kind": s.source.kind, "source_key": s.source.key,
        **{f"source_name_{lang}": s.source.names.get(lang) for lang in LANGS},
        "rubrics": list(r.rubrics), "licence": licence.note(s.source.kind),
    }


def _text(value: object) -> object:
    """A value as JSON and CSV write it: instants in RFC 3339 (UTC)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value


def write_jsonl(rows: Iterable[Row], out: IO[str]) -> int:
    n = 0
    for n, r in enumerate(rows, 1):  # noqa: B007  (n is the count afterwards)
        out.write(json.dumps({k: _text(v) for k, v in r.items()}, ensure_ascii=False) + "\n")
    return n


def write_csv(rows: Iterable[Row], out: IO[str]) -> int:
    """RFC 4180 CSV with a header; rubrics space-separated, booleans `true`/`false`."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    n = 0
    for n, r in enumerate(rows, 1):  # noqa: B007
        cells = {**r, "rubrics": " ".join(r["rubrics"]),
                 "date_only": "true" if r["date_only"] else "false"}
        writer.writerow(["" if cells[c] is None else _text(cells[c]) for c in COLUMNS])
    return n


def _pyarrow() -> tuple[Any, Any]:
    try:  # imported here: pyarrow is optional, and only parquet needs it
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError("export: parquet needs pyarrow, which is not installed; install "
                          "`aqparat[parquet]` (pip install 'aqparat[parquet]') or use "
                          "--format jsonl or csv") from exc
    return pa, pq


def require(fmt: Format) -> None:
    """Fail before any output is opened when a format's library is missing."""
    if fmt == "parquet":
        _pyarrow()


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for r in rows:
        batch.append(r)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def parquet_schema(pa: Any) -> Any:
    text, instant = pa.string(), pa.timestamp("us", tz="UTC")
    types = {"id": pa.int64(), "source_id": pa.int64(), "date_only": pa.bool_(),
             "published_at": instant, "updated_at": instant, "rubrics": pa.list_(text)}
    return pa.schema([(c, types.get(c, text)) for c in COLUMNS])


def write_parquet(rows: Iterable[Row], out: IO[bytes]) -> int:
    pa, pq = _pyarrow()
    schema = parquet_schema(pa)
    n = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for batch in _batches(rows, PARQUET_BATCH):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


def write(conn: sa.Connection, f: ItemFilter, fmt: Format, out: IO[Any]) -> int:
    """Every shown item matching `f`, newest first, to `out` (binary for parquet); the count."""
    rows = (row(r) for r in articles.iter_records(conn, f))
    if fmt == "parquet":
        return write_parquet(rows, out)
    return write_csv(rows, out) if fmt == "csv" else write_jsonl(rows, out)
