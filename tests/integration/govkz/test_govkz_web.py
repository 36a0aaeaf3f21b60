"""The portal after a gov.kz crawl: article pages link the entity and the other languages,
`/{lang}/source/{slug}` lists one entity's items a page at a time, `/{lang}/status` shows every
source's last fetch, result, next fetch and failures. Pages are valid HTML5."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import html5lib
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from aqparat import config
from aqparat.store.schema import item, source
from aqparat.testing.fake_govkz import FakeGovKz, Fault
from aqparat.testing.govkz_world import World
from aqparat.web.app import create_app


def valid_html5(html: str) -> str:
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    return html


@pytest.fixture
def client(harness: Any, fake: FakeGovKz) -> Iterator[TestClient]:
    fake.add_fault(Fault("status", slug="ardfm", lang="en", status=403, times=-1))
    fake.add_fault(Fault("status", slug="ardfm", lang="en", status=403, times=-1,
                         api="graphql"))
    harness.crawl()
    settings = config.load(env={}, database_url="unused", page_size=10)
    with TestClient(create_app(settings, harness.engine), follow_redirects=False) as c:
        yield c


def item_id(engine: sa.Engine, slug: str, news_id: int, lang: str) -> int:
    query = (sa.select(item.c.id).join(source, source.c.id == item.c.source_id)
             .where(source.c.key == slug, item.c.external_id == str(news_id),
                    item.c.lang == lang))
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def test_article_links_its_entity_and_its_other_languages(client: TestClient, harness: Any,
                                                          world: World) -> None:
    news = next(n for n in world.news.values() if n.slug == "mfa" and set(n.texts) ==
                {"kk", "ru", "en"} and n.texts["kk"]["body"] != n.texts["ru"]["body"])
    ids = {lang: item_id(harness.engine, "mfa", news.id, lang) for lang in ("kk", "ru", "en")}
    html = valid_html5(client.get(f"/ru/news/{ids['ru']}").text)
    assert 'href="/ru/source/mfa">Министерство иностранных дел Республики Казахстан</a>' in html
    assert f'href="/kk/news/{ids["kk"]}" hreflang="kk" lang="kk">Қазақша</a>' in html
    assert f'href="/en/news/{ids["en"]}" hreflang="en" lang="en">English</a>' in html
    versions = html.split('class="tags versions">')[1].split("</ul>")[0]
    assert f'/ru/news/{ids["ru"]}"' not in versions  # not itself


def test_source_page_paginates_that_entity_only(client: TestClient, world: World) -> None:
    expected = sum(1 for k in world.expected_keys() if k[0] == "almaty")
    first = valid_html5(client.get("/en/source/almaty").text)
    assert "Akimat of Almaty city" in first
    assert f"In all: {expected}" in first
    links = re.findall(r'href="(/en/news/\d+)"', first)
    assert len(links) == 10
    last_page = -(-expected // 10)
    last = valid_html5(client.get(f"/en/source/almaty?page={last_page}").text)
    assert len(re.findall(r'href="(/en/news/\d+)"', last)) == expected - 10 * (last_page - 1)
    assert client.get(f"/en/source/almaty?page={last_page + 1}").status_code == 404
    assert client.get("/en/source/nowhere").status_code == 404


def test_status_page_shows_each_source_state(client: TestClient) -> None:
    html = valid_html5(client.get("/en/status").text)
    row = html.split('href="/en/source/ardfm"')[1].split("</tr>")[0]
    assert "error" in row
    assert "answered 403 for ardfm (en page 1)" in row
    ok_row = html.split('href="/en/source/mfa"')[1].split("</tr>")[0]
    assert '<span class="result">ok</span>' in ok_row
    assert "not fetched yet" in html  # enabled seed entities the test never crawled
    kk = valid_html5(client.get("/kk/status").text)
    assert "Дереккөздер күйі" in kk
    assert "қате" in kk
