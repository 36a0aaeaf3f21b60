"""Dump import → pipeline → store, on SQLite and PostgreSQL: right rows, idempotent, atomic."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from aqparat.ingest import import_dumps
from aqparat.store import articles
from aqparat.store.schema import fetch_log, item, item_rubric, source

PORTAL = "enbekshiqazaq.kz"


def snapshot(engine: sa.Engine) -> dict[str, list[tuple[object, ...]]]:
    """What a reader can see: every row of the content tables, minus bookkeeping times."""
    with engine.connect() as conn:
        return {
            "source": sorted(conn.execute(sa.select(source.c.kind, source.c.key)).all()),
            "item": sorted(conn.execute(sa.select(
                item.c.id, item.c.external_id, item.c.lang, item.c.title, item.c.body_text,
                item.c.content_hash)).all()),
            "item_rubric": sorted(conn.execute(sa.select(
                item_rubric.c.item_id, item_rubric.c.rubric_slug, item_rubric.c.origin)).all()),
        }


SEED_RUBRICS = {  # what an editor gives them (tests/quality/rubrics/devset.jsonl, seed-*)
    "1183538": {"news", "economy", "regions"},  # finance vice-minister meets Akmola residents
    "1183541": {"news", "politics"},  # referendum result
    "1183542": {"news", "politics", "world"},  # foreign observers at the referendum
    "1183449": {"news", "society", "culture", "regions"},  # Nauryz charity feast in Kostanay
    "1183442": {"news", "education"},  # higher-education council of the science ministry
}


def test_seed_page_yields_five_articles_in_news_and_their_own_topics(
        engine: sa.Engine, seed_path: Path) -> None:
    [report] = import_dumps(engine, [seed_path], portal=PORTAL)
    assert report.ok, report.error
    assert report.counts["new"] == 5
    state = snapshot(engine)
    assert [key for _, key in state["source"]] == sorted(
        ["kgd-akmola", "mfa-geneva", "kostanai-kalasy-akimat", "sci"])
    assert sorted(row[1] for row in state["item"]) == sorted(
        ["1183538", "1183541", "1183542", "1183449", "1183442"])
    assert {row[2] for row in state["item"]} == {"kk"}
    external = {row[0]: row[1] for row in state["item"]}
    by_item: dict[object, set[object]] = {}
    for item_id, slug, _origin in state["item_rubric"]:
        by_item.setdefault(external[item_id], set()).add(slug)
    assert by_item == SEED_RUBRICS  # the portal printed Қоғам for all five: not trusted
    with engine.connect() as conn:
        reasons = conn.execute(sa.select(item_rubric.c.reason)
                               .where(item_rubric.c.rubric_slug == "news")).scalars().all()
    # Each article was listed under both printed rubrics: one row each, the listing recorded.
    assert len(reasons) == 5
    assert all("“Қоғам”" in reason for reason in reasons)


def test_seed_bodies_are_cleaned_into_paragraphs(engine: sa.Engine, seed_path: Path) -> None:
    import_dumps(engine, [seed_path], portal=PORTAL)
    with engine.connect() as conn:
        rows = {r.external_id: r for r in conn.execute(sa.select(item))}
    meeting = rows["1183538"]
    assert meeting.body_text.split("\n\n") == [
        "2026 жылғы 18 наурыз сағ.11:30",
        "Көкшетау қ., Назарбаев даңғылы 2/5, Қазақстан халқы Ассамблеясы",
        "Кездесу барысында тұрғындар өз сұрақтарын қойып, ұсыныстарын білдіре алады.",
    ]
    referendum = rows["1183541"].body_text
    assert "87,15%-ы" in referendum
    assert "12 482 613" in referendum
    assert "қолдады.\n\nЖалпы" in referendum
    assert "Ақпарат көзі" not in referendum
    assert not rows["1183442"].body_text.startswith("Стратегиялық серіктестер")
    assert "Байгабулов О. К. да" in rows["1183449"].body_text
    assert rows["1183541"].body_html.startswith("<p>")


def test_reimport_adds_nothing(engine: sa.Engine, seed_path: Path) -> None:
    import_dumps(engine, [seed_path], portal=PORTAL)
    before = snapshot(engine)
    [again] = import_dumps(engine, [seed_path], portal=PORTAL)
    assert again.ok
    assert (again.counts["new"], again.counts["unchanged"]) == (0, 5)
    assert snapshot(engine) == before


def test_changed_body_updates_the_same_row(engine: sa.Engine, seed_path: Path,
                                           tmp_path: Path) -> None:
    import_dumps(engine, [seed_path], portal=PORTAL)
    before = snapshot(engine)
    edited = tmp_path / "edited.txt"
    text = seed_path.read_text(encoding="utf-8")
    edited.write_text(text.replace("Мерекеге 300-ден астам", "Мерекеге 400-ден астам"),
                      encoding="utf-8")
    [report] = import_dumps(engine, [edited], portal=PORTAL)
    assert (report.counts["updated"], report.counts["new"]) == (1, 0)
    after = snapshot(engine)
    assert len(after["item"]) == len(before["item"]) == 5
    assert sum("400-ден" in row[4] for row in after["item"]) == 1


def _truncated(seed_path: Path, tmp_path: Path) -> Path:
    text = seed_path.read_text(encoding="utf-8")
    cut = text.rindex("https://www.gov.kz/memleket/") + len("https://www.gov.kz/memleket/")
    broken = tmp_path / "truncated.txt"
    broken.write_text(text[:cut], encoding="utf-8")
    return broken


def test_failed_import_leaves_the_store_as_it_was(engine: sa.Engine, seed_path: Path,
                                                  tmp_path: Path) -> None:
    import_dumps(engine, [seed_path], portal=PORTAL)
    before = snapshot(engine)
    broken = _truncated(seed_path, tmp_path)
    [report] = import_dumps(engine, [broken], portal=PORTAL)
    assert not report.ok
    assert str(broken) in (report.error or "")
    line_count = broken.read_text(encoding="utf-8").count("\n") + 1
    assert f":{line_count}:" in (report.error or "")
    assert snapshot(engine) == before
    with engine.connect() as conn:
        logged = conn.execute(sa.select(fetch_log.c.status, fetch_log.c.target)
                              .order_by(fetch_log.c.id)).all()
    assert logged[-1] == ("error", str(broken))


def test_each_file_is_its_own_transaction(engine: sa.Engine, seed_path: Path,
                                          tmp_path: Path) -> None:
    broken = _truncated(seed_path, tmp_path)
    good, bad = import_dumps(engine, [seed_path, broken], portal=PORTAL)
    assert good.ok
    assert not bad.ok
    assert len(snapshot(engine)["item"]) == 5


def test_crash_mid_file_rolls_back_everything(engine: sa.Engine, seed_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    real_save = articles.save_row
    calls = {"n": 0}

    def failing_save(*args: object, **kwargs: object) -> tuple[str, int]:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        return real_save(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(articles, "save_row", failing_save)
    with pytest.raises(RuntimeError, match="power cut"):
        import_dumps(engine, [seed_path], portal=PORTAL)
    assert snapshot(engine) == {"source": [], "item": [], "item_rubric": []}


def test_text_language_is_detected_not_taken_from_the_url(engine: sa.Engine,
                                                          tmp_path: Path) -> None:
    dump = tmp_path / "en.txt"
    dump.write_text(
        "News More\n"
        "Kazakhstan approves new Constitution in national referendum 17.03.2026\n"
        "According to the Central Referendum Commission, most voters supported the new "
        "Constitution.Source : "
        "https://www.gov.kz/memleket/entities/mfa-geneva/press/news/details/1183541?lang=kk\n",
        encoding="utf-8")
    [report] = import_dumps(engine, [dump], portal=PORTAL)
    assert report.ok, report.error
    with engine.connect() as conn:
        row = conn.execute(sa.select(item.c.lang, item.c.original_lang)).one()
    assert tuple(row) == ("en", "kk")


def test_item_without_source_line_is_attributed_to_the_portal(engine: sa.Engine,
                                                              tmp_path: Path) -> None:
    dump = tmp_path / "nosource.txt"
    dump.write_text("Жаңалықтар\nҚосымша\nШымкентте экологиялық сабақтар өтті\n17.03.2026\n"
                    "Қала мектептерінде оқушыларға табиғатты қорғау туралы сабақ өтті.\n",
                    encoding="utf-8")
    for _ in range(2):
        [report] = import_dumps(engine, [dump], portal=PORTAL)
        assert report.ok, report.error
    state = snapshot(engine)
    assert state["source"] == [("dump", PORTAL)]
    assert len(state["item"]) == 1
