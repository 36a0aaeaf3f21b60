"""The portal's public address: what every absolute URL it writes starts with.

Feeds, sitemaps, robots.txt, canonical and hreflang links, Open Graph, JSON-LD, OpenSearch, the
API's `url` and `next` fields and iCal all write absolute URLs, and Starlette builds them from
the request's Host header — which is the client's to write. A forged Host would put an
attacker's site in a feed or a sitemap, and in every cache that kept the answer (Host header
injection). So `PublicHost` settles the host once, before anything reads it, by rewriting the
ASGI scope:

- `public_url` set: its scheme and host replace the request's, whatever Host it named.
- otherwise a Host that `allowed_hosts` lists is kept (local use: localhost, 127.0.0.1);
  any other becomes the first listed name, on the port the server really listens on.

Rewriting the scope rather than each URL-writing function also covers what the portal's code
does not write itself: Starlette's trailing-slash redirect builds its `Location` from Host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from aqparat.errors import ConfigError

# A host name or an IPv4 address, then an optional port; or a bracketed IPv6 literal.
_HOST = re.compile(r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])"
                   r"(?::(?P<port>[0-9]{1,5}))?")
_DEFAULT_PORTS = {"http": 80, "https": 443}
KEPT_HOSTS = 64  # a site answers to a few names; any more are looked at each time


@dataclass(frozen=True, slots=True)
class SiteRoot:
    public_scheme: str | None  # from public_url; None: the request's
    public_host: str | None  # host[:port] as it goes in a URL
    allowed: tuple[str, ...]  # lower-case names; ".x.kz" for x.kz and its subdomains; "*"

    @classmethod
    def parse(cls, public_url: str, allowed_hosts: str) -> SiteRoot:
        """From the two settings; a mistake is a ConfigError at start-up, not a wrong link."""
        allowed = tuple(h.strip().lower().strip("[]") for h in allowed_hosts.split(",")
                        if h.strip())
        if not public_url.strip():
            if not allowed:
                raise ConfigError("config: allowed_hosts is empty and public_url is not set: "
                                  "set public_url (https://your.portal) or list host names")
            return cls(None, None, allowed)
        parts = urlsplit(public_url.strip())
        try:
            port = parts.port
        except ValueError:
            port = -1
        if (parts.scheme not in _DEFAULT_PORTS or not parts.hostname or port == -1
                or parts.path.strip("/") or parts.query or parts.fragment or parts.username):
            raise ConfigError(f"config: public_url = {public_url!r} is not a site's address: "
                              f"give the scheme and host (and port) only, like "
                              f"https://aqparat.kz")
        return cls(parts.scheme, parts.netloc.lower(), allowed)

    def allows(self, name: str) -> bool:
        name = name.lower().strip("[]")
        return any(a == "*" or a == name or (a.startswith(".") and (
            name.endswith(a) or name == a[1:])) for a in self.allowed)

    def fallback(self, scope: Scope) -> str:
        """host[:port] for a request whose Host is not allowed: the first plain name listed,
        on the port this server listens on (a forged Host's port is no better)."""
        server_host, server_port = scope.get("server") or ("localhost", None)
        name = next((a for a in self.allowed if a != "*" and not a.startswith(".")),
                    str(server_host))
        name = f"[{name}]" if ":" in name else name
        if server_port is None or server_port == _DEFAULT_PORTS.get(scope.get("scheme", "")):
            return name
        return f"{name}:{server_port}"

    def host_for(self, scope: Scope, host: str | None) -> str | None:
        """The Host the application should see; None: leave the scope as it is."""
        if self.public_host is not None:
            return self.public_host
        if host is None:  # HTTP/1.0 without Host: Starlette uses the server's own address
            return None
        found = _HOST.fullmatch(host.strip())
        if found is not None and self.allows(found["name"]):
            return None
        return self.fallback(scope)


class PublicHost:
    """Settle scheme and Host (see the module docstring) before any layer reads them."""

    def __init__(self, app: ASGIApp, root: SiteRoot) -> None:
        self.app = app
        self.root = root
        self.kept: set[str] = set()  # Host values seen and left as they are

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self._settle(scope)
        await self.app(scope, receive, send)

    def _settle(self, scope: Scope) -> None:
        headers = scope.get("headers") or []
        sent = next((v.decode("latin-1") for k, v in headers if k == b"host"), None)
        if sent in self.kept:  # every request asks again; the answer never changes
            host = None
        else:
            host = self.root.host_for(scope, sent)
            if host is None and sent is not None and len(self.kept) < KEPT_HOSTS:
                self.kept.add(sent)
        if self.root.public_scheme is not None:
            scope["scheme"] = self.root.public_scheme
        if host is not None:
            scope["headers"] = [(k, v) for k, v in headers if k != b"host"] + [
                (b"host", host.encode("latin-1"))]
