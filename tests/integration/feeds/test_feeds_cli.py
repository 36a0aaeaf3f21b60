"""`aqparat sources add-feed | import-opml | export-opml | list --kind` and `crawl` with a
sources file, through click's runner on SQLite files; /status shows feed sources."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from aqparat import config
from aqparat.cli import cli
from aqparat.sources import opml
from aqparat.store import db
from aqparat.testing.fake_feeds import FakeFeeds
from aqparat.web.app import create_app


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeFeeds) -> CliRunner:
    monkeypatch.setenv("AQPARAT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("AQPARAT_FETCH_RATE", "0")
    monkeypatch.setenv("AQPARAT_CONTACT_URL", "mailto:test@example.invalid")
    monkeypatch.setenv("AQPARAT_GOVKZ_BASE_URL", "http://127.0.0.1:9")  # no gov.kz crawled
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def _sources_file(tmp_path: Path, fake: FakeFeeds) -> None:
    (tmp_path / "sources.toml").write_text(f"""
[[feed]]
url = "{fake.url}/feeds/atom10.xml"
names = {{ en = "Parliament" }}
type = "agency"

[[page]]
url = "{fake.url}/news/"
pattern = "/articles/[a-z0-9-]+$"
names = {{ ru = "Новости правительства" }}
""", encoding="utf-8")


def test_add_feed_finds_the_feed_a_page_announces(runner: CliRunner, fake: FakeFeeds) -> None:
    result = runner.invoke(cli, ["sources", "add-feed", f"{fake.url}/site/"])
    assert result.exit_code == 0, result.output
    assert (f"sources: added feed {fake.url}/feeds/rss20-full.xml (announced by "
            f"{fake.url}/site/): Новости министерства, 8 item(s) now") in result.output
    listed = runner.invoke(cli, ["sources", "list", "--kind", "feed"])
    assert "rss20-full.xml" in listed.output
    again = runner.invoke(cli, ["sources", "add-feed", f"{fake.url}/feeds/rss20-full.xml"])
    assert again.exit_code == 1
    assert "already known" in again.output
    error = runner.invoke(cli, ["sources", "add-feed", f"{fake.url}/feeds/error.xml"])
    assert error.exit_code == 1
    assert "not RSS or Atom: an HTML page titled '503 Service" in error.output


def test_crawl_with_a_sources_file_then_status_shows_them(runner: CliRunner, tmp_path: Path,
                                                          fake: FakeFeeds) -> None:
    _sources_file(tmp_path, fake)
    result = runner.invoke(cli, ["crawl", "--once", "--kind", "web"])
    assert result.exit_code == 0, result.output
    assert "crawl: 2 source(s): 10 new, 0 updated, 0 unchanged" in result.output
    shown = runner.invoke(cli, ["sources", "show", f"{fake.url}/news/"])
    assert "status: ok" in shown.output
    assert "page: /kk/source/127-0-0-1-news" in shown.output
    assert "name_ru: Новости правительства" in shown.output
    settings = config.load(env={"AQPARAT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"})
    engine = db.open_store(settings.database_url, migrate=False)
    with TestClient(create_app(settings, engine)) as client:
        page = client.get("/en/status").text
    engine.dispose()
    assert "Parliament" in page
    assert f'href="{fake.url}/news/"' in page
    disabled = runner.invoke(cli, ["sources", "disable", f"{fake.url}/news/"])
    assert disabled.exit_code == 0, disabled.output


def test_opml_round_trip(runner: CliRunner, tmp_path: Path, fake: FakeFeeds,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    _sources_file(tmp_path, fake)
    assert runner.invoke(cli, ["sources", "add-feed", f"{fake.url}/feeds/rss10.rdf",
                               "--name-kk", "Мәжіліс"]).exit_code == 0
    exported = runner.invoke(cli, ["sources", "export-opml", "-o", "out.opml"])
    assert exported.exit_code == 0, exported.output
    first = (tmp_path / "out.opml").read_bytes()
    assert {s.url for s in opml.read(first, "out.opml")} == {
        f"{fake.url}/feeds/atom10.xml", f"{fake.url}/news/", f"{fake.url}/feeds/rss10.rdf"}
    monkeypatch.setenv("AQPARAT_DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    (tmp_path / "sources.toml").unlink()  # the page source's pattern now comes with OPML
    imported = runner.invoke(cli, ["sources", "import-opml", "out.opml"])
    assert imported.exit_code == 0, imported.output
    assert "3 source(s), 3 added, 0 already known" in imported.output
    assert "pattern = '/articles/[a-z0-9-]+$'" in imported.output  # the lines to paste
    _sources_file(tmp_path, fake)
    again = runner.invoke(cli, ["sources", "export-opml"]).output.encode()
    assert _without_date(again) == _without_date(first)


def _without_date(document: bytes) -> bytes:
    return re.sub(rb"<dateCreated>.*?</dateCreated>", b"", document)


def test_import_opml_refuses_what_is_not_opml(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "bad.opml").write_text("<html><body/></html>", encoding="utf-8")
    result = runner.invoke(cli, ["sources", "import-opml", "bad.opml"])
    assert result.exit_code == 1
    assert "opml: bad.opml: not OPML: the root is <html>" in result.output


def test_opml_carries_slugs_and_a_taken_one_is_not_reused(runner: CliRunner, tmp_path: Path,
                                                          fake: FakeFeeds) -> None:
    assert runner.invoke(cli, ["sources", "add-feed", f"{fake.url}/feeds/rss10.rdf"]
                         ).exit_code == 0
    document = opml.write([
        opml.OpmlSource("feed", f"{fake.url}/feeds/atom10.xml", "Parliament", slug="parlam"),
        opml.OpmlSource("feed", f"{fake.url}/feeds/rss091.xml", "Old",
                        slug="127-0-0-1-feeds-rss10"),  # taken here by the feed added above
        opml.OpmlSource("feed", f"{fake.url}/feeds/rss20-full.xml", "Bad", slug="a/b"),
    ], title="elsewhere", created=dt.datetime(2026, 3, 17, tzinfo=dt.UTC))
    (tmp_path / "in.opml").write_bytes(document)
    imported = runner.invoke(cli, ["sources", "import-opml", "in.opml"])
    assert imported.exit_code == 0, imported.output
    exported = opml.read(runner.invoke(cli, ["sources", "export-opml"]).output.encode(), "-")
    assert {s.url.removeprefix(fake.url): s.slug for s in exported} == {
        "/feeds/rss10.rdf": "127-0-0-1-feeds-rss10", "/feeds/atom10.xml": "parlam",
        "/feeds/rss091.xml": "127-0-0-1-feeds-rss091",
        "/feeds/rss20-full.xml": "127-0-0-1-feeds-rss20-full"}
