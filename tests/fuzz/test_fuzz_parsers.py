"""Every parser that reads outside input, under hypothesis: no crash but our typed errors.

The budget is the hypothesis profile's (tests/conftest.py): `ci` (the default under CI) runs
each target for about a second, `fuzz` for minutes:

    .venv/bin/pytest tests/fuzz --hypothesis-profile=fuzz --durations=0

`atheris_run.py` drives the same targets coverage-guided, on raw bytes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import inputs
import pytest
import targets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                       HealthCheck.data_too_large])


def survives(target: Callable[[bytes], None], data: bytes) -> None:
    with contextlib.suppress(targets.Expected):
        target(data)


@FUZZ
@given(inputs.truncated(inputs.DUMP) | st.binary(max_size=1024))
def test_dump_parser(data: bytes) -> None:
    survives(targets.dump, data)


@FUZZ
@given(inputs.GOVKZ_ITEM)
def test_govkz_adapter_items(obj: dict[str, object]) -> None:
    targets.govkz_object(obj)  # the adapter's refusals are caught inside: none may escape


@FUZZ
@given(inputs.LISTING)
def test_govkz_listing(data: bytes) -> None:
    survives(targets.govkz_listing, data)


@FUZZ
@given(inputs.FEED)
def test_feed_parser(data: bytes) -> None:
    survives(targets.feed, data)


@FUZZ
@given(inputs.PAGE)
def test_page_extraction(data: bytes) -> None:
    survives(targets.page, data)


@FUZZ
@given(inputs.OPML)
def test_opml(data: bytes) -> None:
    survives(targets.opml_document, data)


@FUZZ
@given(inputs.DATE_TEXT.map(str.encode) | st.binary(max_size=200))
def test_date_parsers(data: bytes) -> None:
    survives(targets.date_text, data)


@FUZZ
@given(inputs.PARAMS)
def test_query_parsers(params: dict[str, str]) -> None:
    with contextlib.suppress(targets.Expected):
        targets.query_params(params)


@FUZZ
@given(inputs.HTML.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_sanitizer_output_stays_in_the_allow_list(data: bytes) -> None:
    targets.sanitized(data)  # no refusal here: any string is sanitized


@pytest.mark.parametrize("name", sorted(targets.TARGETS))
def test_every_target_takes_empty_and_junk_input(name: str) -> None:
    for data in (b"", b"\x00" * 64, b"\xff\xfe" * 32, "ә".encode() * 100):
        survives(targets.TARGETS[name], data)
