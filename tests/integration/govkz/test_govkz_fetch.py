"""fetch.client against a real loopback server: the body-size cap and what every request
carries."""

from __future__ import annotations

import pytest

from aqparat.errors import FetchError
from aqparat.fetch.client import FetchClient, FetchLimits
from aqparat.testing.fake_govkz import FakeGovKz


def test_an_answer_over_the_size_cap_is_refused(fake: FakeGovKz) -> None:
    limits = FetchLimits(user_agent="aqparat/test", rate=0, max_bytes=100)
    url = f"{fake.url}/memleket/entities/mfa/press/news"
    with FetchClient(limits) as client, pytest.raises(FetchError) as caught:
        client.request("GET", url, what="mfa (spa shell)")
    assert str(caught.value) == (f"fetch: 127.0.0.1 sent more than 100 bytes for mfa (spa shell)"
                                 f" ({url}); raise fetch_max_bytes if that is expected")
    assert caught.value.status == 200


def test_requests_say_who_we_are(fake: FakeGovKz) -> None:
    limits = FetchLimits(user_agent="aqparat/0.1 (+mailto:ops@example.invalid)", rate=0)
    with FetchClient(limits) as client:
        answer = client.request("GET", f"{fake.url}/uploads/2020/1/1/a_original.1.jpg",
                                what="an image")
    assert answer.status == 200
    assert answer.body.startswith(b"\xff\xd8")
    assert fake.requests[-1]["user-agent"] == "aqparat/0.1 (+mailto:ops@example.invalid)"
