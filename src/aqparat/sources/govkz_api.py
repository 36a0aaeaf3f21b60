"""The gov.kz news API, over fetch.client: REST listing with the cookie ticket, optional
token/hash headers, and the GraphQL `news` query as the fallback (govkz.md §1, §6).

One `GovKzApi` per crawl run holds one cookie session. No parsing beyond what is needed to
tell a usable answer from an unusable one; items are adapted in `govkz.py`.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aqparat.errors import ConfigError, FetchError, ParseError, SourceError
from aqparat.fetch.client import FetchClient, Response, conditional_headers
from aqparat.model import LANGS, Lang
from aqparat.sources.govkz import listing_items, newest_first

log = logging.getLogger(__name__)

Api = Literal["rest", "graphql"]
LISTING_PATH = "/api/v1/public/content-manager/news"
TICKET_PATH = "/api/v1/public/_/c/{code}"
GRAPHQL_PATH = "/graphql"
GRAPHQL_FIELDS = "id title slug created_date heropic short_description body projects"


@dataclass(frozen=True, slots=True)
class GovKzOptions:
    base_url: str = "https://www.gov.kz"
    ticket_codes: Mapping[str, str] = field(default_factory=lambda: {"news": "k6"})
    hash_headers: bool = False
    hash_salt: str = "$2a$10$HxyKf0Cy3Ecnp874AXBXOe"
    page_size: int = 100
    langs: tuple[Lang, ...] = LANGS
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Almaty"))
    graphql: bool = True


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of a listing as it arrived: the raw bytes are what the archive keeps."""

    api: Api
    url: str
    status: int
    body: bytes
    items: list[object]
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def parse_ticket_codes(text: str) -> dict[str, str]:
    """"news=k6,documents=k2" → {"news": "k6", "documents": "k2"}."""
    pairs = [p.split("=", 1) for p in text.split(",") if p.strip()]
    if any(len(p) != 2 or not p[0].strip() or not p[1].strip() for p in pairs):
        raise ConfigError(f"config: govkz_ticket_codes {text!r} must look like news=k6")
    return {k.strip(): v.strip() for k, v in pairs}


def where(slug: str, lang: str, page: int) -> str:
    return f"{slug} ({lang} page {page})"


def _json_problem(response: Response) -> str | None:
    """A 200 that is not JSON (an HTML error page, a cut body) is worth retrying."""
    try:
        json.loads(response.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return f"sent {len(response.body)} bytes that are not JSON"
    return None


class GovKzApi:
    def __init__(self, client: FetchClient, options: GovKzOptions) -> None:
        self.client = client
        self.options = options
        self.ticketed = False
        self.tickets = 0  # POSTs made: tests check renewals

    def page(self, slug: str, lang: Lang, page: int, *, etag: str | None = None,
             last_modified: str | None = None, ordered: bool = True) -> Listing:
        """One listing page: REST, else GraphQL when REST keeps failing.

        With `ordered`, a GraphQL page not in created_date DESC order is refused: incremental
        passes stop on dates and would skip items.
        """
        try:
            return self.rest_page(slug, lang, page, etag=etag, last_modified=last_modified)
        except SourceError as rest_error:
            if not self.options.graphql or getattr(rest_error, "retry_after", None):
                raise  # told to wait: asking the same host another way is not waiting
            log.warning("govkz: REST failed for %s: %s; trying GraphQL",
                        where(slug, lang, page), rest_error)
            return self._fallback(slug, lang, page, ordered, rest_error)

    def _fallback(self, slug: str, lang: Lang, page: int, ordered: bool,
                  rest_error: SourceError) -> Listing:
        try:
            listing = self.graphql_page(slug, lang, page)
        except SourceError as gql_error:
            raise FetchError(f"govkz: {where(slug, lang, page)}: REST failed ({rest_error}); "
                             f"GraphQL failed too ({gql_error})",
                             status=getattr(rest_error, "status", None)) from gql_error
        if ordered and not newest_first(listing.items):
            raise ParseError("govkz", where(slug, lang, page), None,
                             "GraphQL ignored created_date:DESC (page out of order); not "
                             "trusted for incremental sync")
        return listing

    # ── REST ────────────────────────────────────────────────────────────────────────────

    def rest_page(self, slug: str, lang: Lang, page: int, *, etag: str | None = None,
                  last_modified: str | None = None) -> Listing:
        what = where(slug, lang, page)
        if not self.ticketed:
            self.ticket(slug, lang)
        url = self._listing_url(slug, lang, page)
        headers = {**self._headers(slug, lang), **conditional_headers(etag, last_modified)}
        response = self._get(url, headers, what)
        if _not_allowed(response):  # the ticket expired: renew once (govkz.md §1.2)
            log.info("govkz: ticket refused for %s; asking for a new one", what)
            self.ticket(slug, lang)
            response = self._get(url, headers, what)
        return self._listing(response, what)

    def _get(self, url: str, headers: Mapping[str, str], what: str) -> Response:
        return self.client.request("GET", url, what=what, headers=headers, accept=_json_problem)

    def _listing(self, response: Response, what: str) -> Listing:
        if response.status == 304:
            return Listing("rest", response.url, 304, b"", [])
        if response.status != 200:
            detail = " (notAllowed, even with a fresh ticket)" if _not_allowed(response) else ""
            raise FetchError(f"fetch: gov.kz answered {response.status}{detail} for {what}",
                             status=response.status)
        return Listing("rest", response.url, 200, response.body,
                       listing_items(response.body, what),
                       response.header("etag"), response.header("last-modified"))

    def ticket(self, slug: str, lang: Lang) -> None:
        """POST the news ticket in this cookie session (an empty JSON POST, as the SPA does)."""
        code = self.options.ticket_codes.get("news", "k6")
        url = self.options.base_url + TICKET_PATH.format(code=code)
        headers = {**self._browser_headers(slug, lang), "Content-Type": "application/json"}
        response = self.client.request("POST", url, what=f"{slug} (news ticket)",
                                       headers=headers, content=b"")
        self.tickets += 1
        if not 200 <= response.status < 300:
            raise FetchError(f"fetch: gov.kz answered {response.status} to the news ticket "
                             f"POST ({code}) for {slug}", status=response.status)
        self.ticketed = True

    def _listing_url(self, slug: str, lang: Lang, page: int) -> str:
        query = urlencode({"sort-by": "created_date:DESC", "projects": f"eq:{slug}",
                           "page": page, "size": self.options.page_size, "lang": lang}, safe=":")
        return f"{self.options.base_url}{LISTING_PATH}?{query}"

    def _browser_headers(self, slug: str, lang: Lang) -> dict[str, str]:
        base = self.options.base_url
        return {"Accept": "application/json", "Accept-Language": lang, "Origin": base,
                "Referer": f"{base}/memleket/entities/{slug}/press/news?lang={lang}"}

    def _headers(self, slug: str, lang: Lang) -> dict[str, str]:
        headers = self._browser_headers(slug, lang)
        if self.options.hash_headers:
            headers.update(hash_headers(self.options.hash_salt))
        return headers

    # ── GraphQL ─────────────────────────────────────────────────────────────────────────

    def graphql_page(self, slug: str, lang: Lang, page: int) -> Listing:
        what = f"{where(slug, lang, page)} via GraphQL"
        payload = {"query": graphql_query(slug, lang, self.options.page_size),
                   "variables": {"page": page}}
        url = self.options.base_url + GRAPHQL_PATH
        headers = {**self._browser_headers(slug, lang), "Content-Type": "application/json"}
        response = self.client.request("POST", url, what=what, headers=headers,
                                       content=json.dumps(payload).encode(), accept=_json_problem)
        if response.status != 200:
            raise FetchError(f"fetch: gov.kz GraphQL answered {response.status} for {what}",
                             status=response.status)
        return Listing("graphql", url, 200, response.body, listing_items(response.body, what))


def graphql_query(slug: str, lang: Lang, size: int) -> str:
    """The `news` query as OPENGOV and ARDFM-SYNC send it (govkz.md §1.4); page a variable."""
    args = (f"projects:{json.dumps('eq:' + slug)}, _size:{int(size)}, _page:$page, "
            f'_sort:"created_date:DESC", _lang:{json.dumps(lang)}')
    return f"query($page:Int!){{ news({args}) {{ {GRAPHQL_FIELDS} }} }}"


def hash_headers(salt: str) -> dict[str, str]:
    """The older token/hash pair: a uuid-like token and bcrypt(token) with the SPA's salt."""
    import bcrypt  # only when enabled: bcrypt costs ~50 ms a request by design

    token = str(uuid.uuid4())
    try:
        digest = bcrypt.hashpw(token.encode(), salt.encode()).decode()
    except ValueError as exc:
        raise ConfigError(f"config: govkz_hash_salt {salt!r} is not a bcrypt salt") from exc
    return {"token": token, "hash": digest}


def _not_allowed(response: Response) -> bool:
    return response.status == 400 and b"notAllowed" in response.body
