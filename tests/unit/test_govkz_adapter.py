"""The gov.kz item adapter: every shape govkz.md §2 describes, and only typed errors on any
JSON at all."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aqparat.errors import ParseError
from aqparat.model import RawItem
from aqparat.pipeline.run import PipelineOptions, process
from aqparat.sources import govkz

ALMATY = ZoneInfo("Asia/Almaty")
CTX = govkz.ItemContext("mfa", "ru", "https://www.gov.kz", ALMATY, "mfa (ru page 3)")


def item(**fields: object) -> dict[str, object]:
    return {"id": 98312, "title": "О приостановлении &laquo;лицензии&raquo;",
            "created_date": "2020-09-14T12:35:00Z", "body": "<p>Текст</p>", **fields}


@pytest.mark.parametrize(("text", "expected"), [
    ("2020-09-14T12:35:00Z", dt.datetime(2020, 9, 14, 12, 35, tzinfo=ALMATY)),
    ("2020-09-14T12:35:00", dt.datetime(2020, 9, 14, 12, 35, tzinfo=ALMATY)),
    ("2020-09-14T12:35:00.250Z", dt.datetime(2020, 9, 14, 12, 35, tzinfo=ALMATY)),
    ("2020-01-24T00:00:00Z", dt.date(2020, 1, 24)),  # date only
    ("2020-01-24", dt.date(2020, 1, 24)),
    ("2021-03-01T10:00:00+06:00",
     dt.datetime(2021, 3, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=6)))),
])
def test_created_date_is_almaty_wall_time(text: str, expected: dt.date) -> None:
    assert govkz.parse_created(text, ALMATY) == expected


@pytest.mark.parametrize("text", ["", "14.09.2020", "2020-13-01T10:00:00Z",
                                  "2020-01-01T25:00:00Z", "2020-01-01T10:00:00+99:99"])
def test_unreadable_dates_are_value_errors(text: str) -> None:
    with pytest.raises(ValueError, match=r"created_date|month|hour|offset|time|unconverted"):
        govkz.parse_created(text, ALMATY)


@pytest.mark.parametrize(("value", "expected"), [
    (98312, "98312"), ("1237295", "1237295"), (" 0042 ", "42"), (True, None), (0, None),
    (-5, None), ("12a", None), ("٣", None), (1.5, None), ("9" * 19, None), (None, None)])
def test_news_ids_are_digits(value: object, expected: str | None) -> None:
    assert govkz.news_id(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("mfa", ("mfa",)), (["mfa", "mfa-geneva"], ("mfa", "mfa-geneva")),
    ("mfa, mfa-geneva", ("mfa", "mfa-geneva")), ([3, None, "ok"], ("ok",)), (None, ()),
    ({"slug": "x"}, ())])
def test_projects_as_string_or_list(value: object, expected: tuple[str, ...]) -> None:
    assert govkz.project_slugs(value) == expected


def test_a_whole_item_maps_onto_raw_item() -> None:
    raw = govkz.to_raw_item(item(heropic="/uploads/2020/9/14/ab_original.1.JPG",
                                 id="98312"), CTX, 1)
    assert raw == RawItem(
        source_kind="govkz", source_key="mfa", external_id="98312",
        title="О приостановлении «лицензии»", body="<p>Текст</p>", body_format="html",
        published=dt.datetime(2020, 9, 14, 12, 35, tzinfo=ALMATY),
        source_url="https://www.gov.kz/memleket/entities/mfa/press/news/details/98312?lang=ru",
        declared_lang="ru", origin="mfa (ru page 3) item 1", base_url="https://www.gov.kz",
        image_url="https://www.gov.kz/uploads/2020/9/14/ab_original.1.JPG",
        published_raw="2020-09-14T12:35:00Z")


def test_null_body_falls_back_to_the_short_description() -> None:
    raw = govkz.to_raw_item(item(body=None, short_description="Кратко"), CTX, 2)
    assert raw.body == "Кратко"
    assert govkz.to_raw_item(item(body=None), CTX, 2).body == ""


@pytest.mark.parametrize(("obj", "problem"), [
    ([1, 2], "expected a JSON object, got list"),
    (item(id=None), "`id` 'None' is not a news id"),
    (item(created_date=None), "news 98312 has no created_date"),
    (item(created_date="yesterday"), "news 98312: created_date 'yesterday' is not"),
    (item(title=["a"]), "`title` is a list, expected text or null"),
])
def test_unusable_items_name_source_page_and_position(obj: object, problem: str) -> None:
    with pytest.raises(ParseError, match=r"^govkz: mfa \(ru page 3\) item 4: ") as caught:
        govkz.to_raw_item(obj, CTX, 4)
    assert problem in str(caught.value)


def test_mentioned_slugs_come_from_projects_and_links() -> None:
    obj = item(projects=["mfa", "mfa-geneva"],
               body='<a href="https://www.gov.kz/memleket/entities/Almaty-Eco/press">x</a>')
    assert govkz.mentioned_slugs(obj) == {"mfa", "mfa-geneva", "almaty-eco"}


@pytest.mark.parametrize(("body", "count"), [
    (b"[]", 0), (b'[{"id": 1}]', 1), (b'{"data": {"news": [{}, {}]}}', 2),
    (b'{"content": [{}]}', 1), (b'{"items": []}', 0)])
def test_listing_shapes(body: bytes, count: int) -> None:
    assert len(govkz.listing_items(body, "mfa (ru page 1)")) == count


@pytest.mark.parametrize(("body", "problem"), [
    (b'[{"id": 1, "ti', "answer is not JSON (starts '[{\"id\": 1, \"ti', 14 bytes)"),
    (b"<html>504</html>", "answer is not JSON"),
    (b'{"error": "x"}', "expected a JSON array of news items, got an object (keys: error)"),
    (b'{"errors": [{"message": "boom"}]}', "GraphQL answered errors: boom"),
    (b'"text"', "expected a JSON array of news items, got str"),
])
def test_unusable_listings_are_parse_errors(body: bytes, problem: str) -> None:
    with pytest.raises(ParseError, match=r"^govkz: mfa \(ru page 1\): ") as caught:
        govkz.listing_items(body, "mfa (ru page 1)")
    assert problem in str(caught.value)


def test_order_check() -> None:
    newer, older = {"created_date": "2021-01-02T10:00:00Z"}, {"created_date": "2021-01-01"}
    assert govkz.newest_first([newer, older, "junk"])
    assert not govkz.newest_first([older, newer])


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=6),
    max_leaves=20)
FIELDS = st.fixed_dictionaries({}, optional={
    "id": JSON | st.integers(1, 10**7) | st.from_regex(r"\s*[0-9]{1,20}\s*", fullmatch=True),
    "title": JSON, "body": JSON, "short_description": JSON, "heropic": JSON,
    "created_date": JSON | st.from_regex(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?)?",
        fullmatch=True),
    "projects": JSON})


@settings(max_examples=400, deadline=None)
@given(JSON | FIELDS)
def test_any_json_item_gives_a_raw_item_or_a_parse_error(obj: object) -> None:
    try:
        raw = govkz.to_raw_item(obj, CTX, 1)
    except ParseError:
        return
    assert raw.external_id
    assert raw.external_id.isdigit()
    assert raw.published_raw is not None
    govkz.mentioned_slugs(obj)
    # ...and whatever the adapter lets through, the pipeline takes and a database can store.
    outcome = process(raw, PipelineOptions(rubric_aliases={}))
    if outcome.article is not None:
        outcome.article.body_html.encode()
        outcome.article.title.encode()


@settings(max_examples=300, deadline=None)
@given(st.binary() | JSON.map(lambda v: json.dumps(v).encode()))
def test_any_answer_gives_items_or_a_parse_error(body: bytes) -> None:
    with contextlib.suppress(ParseError):
        assert isinstance(govkz.listing_items(body, "mfa (ru page 1)"), list)
