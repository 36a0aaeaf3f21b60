"""Who is asking: the client's address and scheme, believing a proxy only when it is trusted.

Behind a reverse proxy every request arrives from the proxy's address, so per-client limits
would throttle everyone at once and HSTS would never be sent (the proxy speaks plain HTTP to
us). A proxy named in `trusted_proxies` is believed about the client (`X-Forwarded-For`, read
from the right: each trusted hop appends the address it saw, so the first untrusted address
from the right is the one no client could forge) and the scheme (`X-Forwarded-Proto`). A
request from any other peer is taken as it arrived: its forwarding headers are a client's
claim, and a client could name any address to dodge its rate limit.

`ProxyHeaders` rewrites the ASGI scope once, so `request.client`, `request.url.scheme` and the
absolute URLs feeds and the API write all agree.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from aqparat.errors import ConfigError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class TrustedProxies:
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, text: str) -> TrustedProxies:
        """`"127.0.0.1, 10.0.0.0/8, ::1"` → networks; a typo is a ConfigError, not a hole."""
        networks = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError as exc:
                raise ConfigError(f"config: trusted_proxies: {part!r} is not an IP address or "
                                  f"network (like 127.0.0.1 or 10.0.0.0/8)") from exc
        return cls(tuple(networks))

    def trusts(self, host: str | None) -> bool:
        found = parse_address(host)
        return found is not None and any(found in net for net in self.networks)


def parse_address(text: str | None) -> Address | None:
    if not text:
        return None
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def forwarded_client(peer: str, forwarded_for: Iterable[str], proxies: TrustedProxies) -> str:
    """The first address from the right of peer ← X-Forwarded-For hops that is not a trusted
    proxy; the left-most hop if all of them are (a request from inside the proxy tier)."""
    hops = [h.strip() for value in forwarded_for for h in value.split(",") if h.strip()]
    chain = [*hops, peer]
    for hop in reversed(chain):
        if not proxies.trusts(hop):
            return hop if parse_address(hop) is not None else peer
    return chain[0]


def limit_key(host: str | None) -> str:
    """The key one client's requests are counted under. An IPv6 host usually holds a whole
    /64 and can pick any address in it, so the /64 is the client."""
    found = parse_address(host)
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((found, 64), strict=False))
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return str(found.ipv4_mapped)
    return str(found) if found is not None else (host or "unknown")


def _headers(scope: Scope, name: bytes) -> list[str]:
    return [v.decode("latin-1") for k, v in scope.get("headers", []) if k == name]


class ProxyHeaders:
    """Rewrite `client` and `scheme` from a trusted proxy's headers; leave others alone."""

    def __init__(self, app: ASGIApp, proxies: TrustedProxies) -> None:
        self.app = app
        self.proxies = proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.proxies.networks:
            self._rewrite(scope)
        await self.app(scope, receive, send)

    def _rewrite(self, scope: Scope) -> None:
        peer, port = scope.get("client") or ("", 0)
        if not self.proxies.trusts(peer):
            return
        client = forwarded_client(peer, _headers(scope, b"x-forwarded-for"), self.proxies)
        scope["client"] = (client, port)
        proto = (_headers(scope, b"x-forwarded-proto") or [""])[-1].split(",")[-1].strip()
        if proto.lower() in {"http", "https"}:
            scope["scheme"] = proto.lower()
