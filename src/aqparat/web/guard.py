"""The layers every request passes before the application, outermost first:

    ProxyHeaders (clients.py)  who is asking, over which scheme
    PublicHost (public.py)     the scheme and Host absolute URLs start with: public_url's
    CacheFront (cache.py)      a stored page, answered at once (with what the rest would add)
    Edge (security.py)         security headers on every answer; 414 / 413 for oversized input
    RateLimit (ratelimit.py)   429 + Retry-After for a client over its allowance
    Starlette's own stack      error pages (errors.py), CORS, routes

They sit outside Starlette's error middleware so that even a 500 page carries the headers,
and they answer through `errors.handle_error`, so a refusal reads like any other error: a
translated page, or the JSON envelope for /api and feeds.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.types import ASGIApp

from aqparat.config import Settings
from aqparat.web import ratelimit
from aqparat.web.cache import CacheFront, Shelf
from aqparat.web.clients import ProxyHeaders, TrustedProxies
from aqparat.web.errors import handle_error
from aqparat.web.public import PublicHost, SiteRoot
from aqparat.web.security import Edge, Limits
from aqparat.web.views import ViewCounter


def wrap(app: ASGIApp, settings: Settings, shelf: Shelf, counter: ViewCounter) -> ASGIApp:
    rules = ratelimit.rules(settings.search_per_minute, settings.api_per_minute,
                            settings.login_per_minute)
    limited = ratelimit.RateLimit(app, rules, handle_error)
    limits = Limits(settings.max_url_bytes, settings.max_body_bytes)
    front = CacheFront(Edge(limited, limits, handle_error), shelf, limits, rules, counter)
    public = PublicHost(front, SiteRoot.parse(settings.public_url, settings.allowed_hosts))
    return ProxyHeaders(public, TrustedProxies.parse(settings.trusted_proxies))


class GuardedApp(Starlette):
    """Starlette with the edge layers around its whole middleware stack."""

    def build_middleware_stack(self) -> ASGIApp:
        state = self.state
        return wrap(super().build_middleware_stack(), state.settings, state.shelf, state.views)
