"""Feed and page requests over fetch.client: conditional GET, an answer that is not 200/304
named as a FetchError, and where a permanent redirect says the resource now lives.

No parsing here: `feeds.py` and `pages.py` read the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from aqparat.errors import FetchError
from aqparat.fetch.client import FetchClient, Response, conditional_headers

PERMANENT = frozenset({301, 308})
ACCEPT = {
    "feed": "application/rss+xml, application/atom+xml, application/rdf+xml, "
            "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
}


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # where the body came from, after redirects
    status: int  # 200 or 304
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    moved_to: str | None  # the new address when a 301/308 chain started at the one asked

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def moved_to(asked: str, response: Response) -> str | None:
    """The URL to remember: the target of the leading run of permanent redirects.

    301 → 302 → page: the 301's target is where the resource now lives; the 302 after it is
    a temporary detour. A chain that starts with a 302 moves nothing.
    """
    hops = list(response.redirects)
    if not hops:
        return None
    targets = [url for _, url in hops[1:]] + [response.url]
    moved = None
    for (status, _), target in zip(hops, targets, strict=True):
        if status not in PERMANENT:
            break
        moved = target
    return moved if moved and moved != asked else None


def get(client: FetchClient, url: str, *, what: str, accept: str = "feed",
        etag: str | None = None, last_modified: str | None = None) -> Fetched:
    """200 or 304; anything else is a FetchError naming the URL and the status."""
    headers = {"Accept": ACCEPT[accept], **conditional_headers(etag, last_modified)}
    response = client.request("GET", url, what=what, headers=headers)
    if response.status not in (200, 304):
        host = urlsplit(url).hostname or url
        raise FetchError(f"fetch: {host} answered {response.status} for {what} ({url})",
                         status=response.status)
    return Fetched(response.url, response.status, response.body,
                   response.header("content-type"), response.header("etag"),
                   response.header("last-modified"), moved_to(url, response))
