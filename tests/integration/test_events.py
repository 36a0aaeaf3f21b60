"""Events and named entities: pipeline → store (one transaction with the item) → article page,
/{lang}/events and /feeds/events.ics, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import html5lib
import icalendar
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from aqparat import config, data
from aqparat.ingest import ImportReport, default_options, import_dumps, store_items
from aqparat.model import RawItem
from aqparat.store import events, rubrics
from aqparat.store.schema import event, item, item_entity
from aqparat.web.app import create_app

ALMATY = ZoneInfo("Asia/Almaty")
MEETING = "ҚР Қаржы вице-министрі Ержан Біржанов Ақмола облысының тұрғындарымен кездесу өткізеді"
PLACE = "Көкшетау қ., Назарбаев даңғылы 2/5, Қазақстан халқы Ассамблеясы"
STARTS = dt.datetime(2026, 3, 18, 11, 30, tzinfo=ALMATY)


def assert_valid_html5(html: str) -> None:
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


@pytest.fixture
def client(engine: sa.Engine, seed_path: Path) -> Iterator[TestClient]:
    [report] = import_dumps(engine, [seed_path], portal="enbekshiqazaq.kz")
    assert report.ok, report.error
    settings = config.load(env={}, database_url="unused", page_size=2)
    with TestClient(create_app(settings, engine), follow_redirects=False) as c:
        yield c


def meeting_id(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(item.c.id).where(item.c.title == MEETING)).scalar_one())


# --- the store ---------------------------------------------------------------------------


def test_the_seed_announcement_is_one_event_at_1130_almaty_in_kokshetau(
        client: TestClient, engine: sa.Engine) -> None:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(event)).mappings().all()
        [found] = events.of_item(conn, meeting_id(engine))
    assert len(rows) == 1  # the other four seed items announce nothing
    assert found.starts_at == STARTS
    assert found.starts_at.astimezone(ALMATY).strftime("%H:%M") == "11:30"
    assert (found.all_day, found.ends_at, found.city) == (False, None, "kokshetau")
    assert found.place == PLACE
    assert found.span_text.startswith("2026 жылғы 18 наурыз сағ.11:30")
    assert found.span_text.endswith(PLACE)


def test_the_seed_announcement_names_its_person_body_and_places(
        client: TestClient, engine: sa.Engine) -> None:
    with engine.connect() as conn:
        named = events.entities_of_item(conn, meeting_id(engine))
    by_kind = {(n.kind, n.name) for n in named}
    assert ("person", "Ержан Біржанов") in by_kind
    assert ("place", "Көкшетау") in by_kind
    assert ("body", "Қазақстан халқы Ассамблеясы") in by_kind
    person = next(n for n in named if n.name == "Ержан Біржанов")
    assert person.role == "вице-министрі"


def _raw(body: str, *, external_id: str = "900001") -> RawItem:
    return RawItem(
        source_kind="govkz", source_key="kgd-akmola", external_id=external_id,
        title="Кездесу өтеді", body=body, body_format="text",
        published=dt.datetime(2026, 3, 10, 9, 0, tzinfo=ALMATY), source_url=None,
        declared_lang="kk",
    )


def _store(engine: sa.Engine, raw: RawItem) -> Counter[str]:
    report = ImportReport("test")
    with engine.begin() as conn:
        rubrics.sync(conn, data.rubrics())
        store_items(conn, [raw], default_options(), report)
    return report.counts


def _event_rows(engine: sa.Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            sa.select(event.c.id, event.c.starts_at, event.c.place).order_by(event.c.id))]


ANNOUNCED = ("2026 жылғы 20 наурыз сағ. 10:00 Астана қ., Мәңгілік Ел даңғылы 8 мекенжайында "
             "Ержан Біржанов азаматтарды қабылдайды.")
MOVED = ("2026 жылғы 21 наурыз сағ. 15:00 Көкшетау қ., Абай көшесі 10 мекенжайында "
         "Ержан Біржанов азаматтарды қабылдайды.")


def test_events_are_replaced_when_the_content_changes_and_untouched_when_not(
        engine: sa.Engine) -> None:
    assert _store(engine, _raw(ANNOUNCED))["new"] == 1
    first = _event_rows(engine)
    assert len(first) == 1
    assert first[0][1] == dt.datetime(2026, 3, 20, 10, 0, tzinfo=ALMATY)
    assert _store(engine, _raw(ANNOUNCED))["unchanged"] == 1
    assert _event_rows(engine) == first  # same row, same id: nothing rewritten
    assert _store(engine, _raw(MOVED))["updated"] == 1
    [moved] = _event_rows(engine)
    assert moved[1] == dt.datetime(2026, 3, 21, 15, 0, tzinfo=ALMATY)
    assert "Абай көшесі" in str(moved[2])
    assert _store(engine, _raw("Кездесу болмайды. Хабарландыру күшін жойды."))["updated"] == 1
    assert _event_rows(engine) == []  # an edit that drops the announcement drops the event


def test_deleting_an_item_takes_its_events_and_entities_along(engine: sa.Engine) -> None:
    _store(engine, _raw(ANNOUNCED))
    with engine.begin() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(item_entity)).scalar_one()
        conn.execute(item.delete())
    with engine.connect() as conn:
        for table in (event, item_entity):
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0


def test_listing_puts_upcoming_events_first_then_the_most_recent_past(
        engine: sa.Engine) -> None:
    for n, day in enumerate((12, 20, 14, 25)):
        _store(engine, _raw(f"2026 жылғы {day} наурыз сағ. 10:00 Астана қ. кездесу өтеді.",
                            external_id=str(900100 + n)))
    now = dt.datetime(2026, 3, 15, tzinfo=ALMATY)
    with engine.connect() as conn:
        assert events.count(conn, now, ("kk",)) == (2, 2)
        days = [[f.event.starts_at.astimezone(ALMATY).day
                 for f in events.listing(conn, now, ("kk",), limit=3, offset=offset)]
                for offset in (0, 3)]
    assert days == [[20, 25, 14], [12]]


# --- the website -------------------------------------------------------------------------


def article_link(client: TestClient) -> str:
    home = client.get("/kk/").text
    return re.findall(rf'<a href="(/kk/news/\d+)">{MEETING}</a>', home)[0]


def test_article_page_shows_the_event_in_the_readers_language(client: TestClient) -> None:
    html = client.get(article_link(client)).text
    assert_valid_html5(html)
    section = html.split('<section class="events"', 1)[1].split("</section>", 1)[0]
    assert '<time datetime="2026-03-18T11:30:00+05:00">2026 жылғы 18 наурыз, 11:30</time>' \
        in section
    assert PLACE in section
    english = client.get(article_link(client).replace("/kk/", "/en/")).text
    assert "18 March 2026, 11:30" in english
    russian = client.get(article_link(client).replace("/kk/", "/ru/")).text
    assert "18 марта 2026 г., 11:30" in russian
    assert f'<span class="place" lang="kk">{PLACE}</span>' in russian  # the item's own words


def test_article_page_links_its_named_entities_to_a_search(client: TestClient) -> None:
    html = client.get(article_link(client)).text
    person = "/kk/search?q=" + quote("Ержан Біржанов")
    assert re.search(rf'<a href="{re.escape(person)}"[^>]*>Ержан Біржанов</a>', html)
    assert "<dt>Тұлғалар</dt>" in html
    assert re.search(r'<a href="/kk/search\?q=[^"]+"[^>]*>Көкшетау</a>', html)
    assert re.search(r'<a href="/kk/search\?q=[^"]+"[^>]*>Қазақстан халқы Ассамблеясы</a>', html)


def test_events_page_lists_the_seed_event(client: TestClient) -> None:
    response = client.get("/kk/events")
    assert response.status_code == 200
    html = response.text
    assert_valid_html5(html)
    assert "<h1 class=\"page-title\">Іс-шаралар</h1>" in html
    assert "2026 жылғы 18 наурыз, 11:30" in html
    assert re.search(rf'<a href="/kk/news/\d+">{MEETING}</a>', html)
    assert '<span class="city">Көкшетау</span>' in html
    assert 'href="/feeds/events.ics"' in html
    english = client.get("/en/events").text
    assert '<span class="city">Kokshetau</span>' in english


@pytest.mark.parametrize("query", ["?page=0", "?page=x"])
def test_events_page_refuses_bad_page_numbers(client: TestClient, query: str) -> None:
    assert client.get(f"/kk/events{query}").status_code == 400
    assert client.get("/kk/events?page=2").status_code == 404  # one event, one page


# --- the iCalendar feed ------------------------------------------------------------------


def test_events_ics_parses_with_icalendar_and_holds_the_seed_event(client: TestClient) -> None:
    response = client.get("/feeds/events.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["etag"]
    calendar = icalendar.Calendar.from_ical(response.content)
    [vevent] = calendar.walk("VEVENT")
    assert vevent.decoded("DTSTART") == STARTS
    assert str(vevent["SUMMARY"]) == MEETING
    assert str(vevent["LOCATION"]) == PLACE
    assert str(vevent["URL"]).startswith("http://testserver/kk/news/")
    assert vevent.decoded("DTSTAMP").tzinfo is not None
    assert str(vevent["UID"]) == str(icalendar.Calendar.from_ical(
        client.get("/feeds/events.ics").content).walk("VEVENT")[0]["UID"])


def test_events_ics_follows_the_rfc_5545_line_rules(client: TestClient) -> None:
    body = client.get("/feeds/events.ics").content
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert not any(b"\n" in line or b"\r" in line for line in lines)  # CRLF only
    assert all(len(line) <= 75 for line in lines)  # folded at 75 octets
    assert any(line.startswith(b" ") for line in lines)  # the long Kazakh lines were folded
    for line in lines:
        line.decode()  # never folded inside a UTF-8 sequence
    text = body.decode().replace("\r\n ", "")  # unfolded
    assert "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" in text
    assert "DTSTART:20260318T063000Z" in text  # 11:30 in Almaty (UTC+5) is 06:30 UTC
    assert "LOCATION:Көкшетау қ.\\, Назарбаев даңғылы 2/5\\, Қазақстан халқы Ассамблеясы" in text
    assert re.search(r"^DTSTAMP:\d{8}T\d{6}Z\r$", text, re.M)
    assert re.search(r"^UID:[0-9a-f-]{36}\r$", text, re.M)
    assert text.count("BEGIN:VEVENT") == text.count("END:VEVENT") == 1
