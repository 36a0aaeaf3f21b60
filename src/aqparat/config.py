"""ONE table of settings. Precedence: defaults < aqparat.toml < AQPARAT_* environment < CLI flags.

Settings are read once at an entry point (`cli.py`, `web/asgi.py`) and passed down as a frozen
`Settings`; `text/` and `pipeline/` never read configuration.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from aqparat.errors import ConfigError

APP_NAME = "aqparat"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'aqparat.db'}"


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    type: Callable[[str], Any]
    default: Callable[[], Any]
    help: str
    secret: bool = False

    @property
    def env(self) -> str:
        return f"AQPARAT_{self.name.upper()}"



def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", str, default_database_url,
            "Store: sqlite:///path.db (default, under the user data directory) or "
            "postgresql://user@host/db.", secret=True),
    Setting("host", str, lambda: "127.0.0.1", "Address `aqparat serve` listens on."),
    Setting("port", int, lambda: 8000, "Port `aqparat serve` listens on."),
    Setting("workers", int, lambda: os.cpu_count() or 1,
            "Web worker processes (granian); default one per core."),
    Setting("portal", str, lambda: "enbekshiqazaq.kz",
            "Name of the portal a dump came from; items without a source line are attributed "
            "to it."),
    Setting("home_items", int, lambda: 5, "Items shown in each rubric block on the home page."),
    Setting("page_size", int, lambda: 20, "Items per rubric page."),
    # View counts (web/views.py): counted in memory, written in batches, never per view.
    Setting("views_flush_seconds", float, lambda: 10.0,
            "Seconds between writes of a web process's counted page views to the store."),
    Setting("views_flush_batch", int, lambda: 1000,
            "Counted page views that make a web process write them before its next timer."),
    # Rendered-page cache (web/cache.py): per web process, dropped when the store changes.
    Setting("page_cache_mb", int, lambda: 32,
            "Memory each web process may keep rendered pages in, in MiB (0: no page cache)."),
    Setting("page_cache_check_seconds", float, lambda: 0.1,
            "Seconds between reads of the store's change counter: the longest a write made "
            "by another process leaves a cached page stale."),
    Setting("page_max_age", int, lambda: 60,
            "Cache-Control max-age (seconds) of pages: how long browsers and proxies may reuse "
            "one without asking."),
    Setting("log_level", str, lambda: "INFO", "Logging level (DEBUG, INFO, WARNING, ERROR)."),
    # ── gov.kz collector (issue 3; ../shared/research/govkz.md) ──
    Setting("govkz_base_url", str, lambda: "https://www.gov.kz",
            "Where the gov.kz API lives; tests point it at the fake gov.kz on 127.0.0.1."),
    Setting("govkz_ticket_codes", str, lambda: "news=k6",
            "Content type → ticket code for POST /api/v1/public/_/c/<code> (the SPA maps news "
            "to k6, govkz.md §1.2)."),
    Setting("govkz_hash_headers", _bool, lambda: False,
            "Also send the older token/hash header pair (bcrypt of a random token)."),
    Setting("govkz_hash_salt", str, lambda: "$2a$10$HxyKf0Cy3Ecnp874AXBXOe",
            "bcrypt salt for the hash header, as lifted from the SPA bundle (govkz.md §1.2)."),
    Setting("govkz_page_size", int, lambda: 100, "Items per listing page (gov.kz allows 100)."),
    Setting("govkz_langs", str, lambda: "kk,ru,en", "Languages collected, comma-separated."),
    Setting("govkz_timezone", str, lambda: "Asia/Almaty",
            "Zone created_date is read in: gov.kz writes local wall time with a wrong 'Z'."),
    Setting("govkz_graphql", _bool, lambda: True,
            "Fall back to the GraphQL `news` query when the REST listing keeps failing."),
    Setting("govkz_max_pages", int, lambda: 500,
            "Most pages one pass reads for one entity and language (a runaway-listing stop)."),
    Setting("crawl_overlap_days", float, lambda: 3.0,
            "Incremental passes re-read this far below the newest date seen: dates get edited."),
    Setting("crawl_rescan_days", float, lambda: 7.0,
            "The daily re-scan re-reads this many days to catch edited items."),
    Setting("crawl_rescan_hours", float, lambda: 24.0, "Hours between re-scans of a source."),
    Setting("tier_hot_minutes", float, lambda: 60.0,
            "Poll interval of hot sources (ministries, oblast and city akimats, agencies)."),
    Setting("tier_warm_minutes", float, lambda: 240.0,
            "Poll interval of warm sources (committees, departments, embassies)."),
    Setting("tier_cold_minutes", float, lambda: 1440.0,
            "Poll interval of cold sources (district and rural akimats, rarely publishing)."),
    Setting("fetch_rate", float, lambda: 1.0,
            "Requests per second per host (0 disables the limit: benchmarks only)."),
    Setting("fetch_jitter", float, lambda: 0.5,
            "Up to this share of the request interval is added at random."),
    Setting("fetch_timeout", float, lambda: 30.0, "Seconds to connect, or between two reads."),
    Setting("fetch_deadline", float, lambda: 90.0,
            "Seconds one response may take in all, however slowly it trickles in."),
    Setting("fetch_max_bytes", int, lambda: 32 * 1024 * 1024,
            "Largest response body accepted, in bytes."),
    Setting("fetch_retries", int, lambda: 4, "Retries after a 429, a 5xx or a timeout."),
    Setting("fetch_backoff", float, lambda: 2.0,
            "First retry waits this many seconds, doubling each time (Retry-After wins)."),
    Setting("fetch_backoff_max", float, lambda: 300.0,
            "Longest wait between retries; a longer Retry-After ends the attempt."),
    Setting("breaker_failures", int, lambda: 5,
            "Consecutive failed pages that suspend a source (and, in a row across sources, end "
            "a run)."),
    Setting("breaker_cooldown_minutes", float, lambda: 60.0,
            "A suspended source waits this long, doubling while it keeps failing."),
    Setting("contact_url", str, lambda: "",
            "URL or mailto: in the User-Agent so gov.kz operators can reach us; required to "
            "crawl anything but 127.0.0.1."),
    # ── duplicates and stories (issue 5; docs/stories.md has the curves behind each) ──
    Setting("dedup_near", float, lambda: 0.6,
            "Estimated Jaccard of shingles from which two texts are near duplicates."),
    Setting("dedup_short_near", float, lambda: 0.7,
            "The same when either text is short (templates look alike)."),
    Setting("dedup_short_terms", int, lambda: 60,
            "Content words below which an item is short: its title and event decide."),
    Setting("dedup_title", float, lambda: 0.5,
            "Title-word overlap from which two short items announcing one event match."),
    Setting("dedup_numbers", float, lambda: 0.9,
            "Share of the fewer numbers the other text must also have to be a duplicate."),
    Setting("dedup_boilerplate", int, lambda: 2,
            "Earlier items of a source using a sentence that make it that source's "
            "boilerplate (left out of comparisons)."),
    Setting("story_facts", int, lambda: 3,
            "Shared facts (numbers, dates, names) that put two reports in one story."),
    Setting("story_days", float, lambda: 7.0,
            "Most days between two reports of one story found by their facts."),
    Setting("story_common_fact", int, lambda: 40,
            "A fact stated by more reports of the window is ignored."),
    # ── feed and page sources (issue 8; docs/adding-a-source.md) ──
    Setting("sources_file", str, lambda: "sources.toml",
            "TOML file of feed and page sources with their options ([[feed]], [[page]])."),
    Setting("feed_full_text", str, lambda: "auto",
            "Fetch an item's page for its text: auto (when the feed has only a summary), "
            "always, never."),
    Setting("feed_summary_chars", int, lambda: 600,
            "A feed item without a content element and with less text than this is a summary."),
    Setting("page_max_articles", int, lambda: 30,
            "Most article pages fetched for one feed or index page in one run."),
    # ── hardening (issue 11; docs/security.md) ──
    Setting("trusted_proxies", str, lambda: "",
            "Proxy addresses or networks (comma-separated) whose X-Forwarded-For and "
            "X-Forwarded-Proto are believed; empty: none."),
    # Absolute URLs (feeds, sitemaps, canonical, Open Graph, API links): web/urls.py.
    Setting("public_url", str, lambda: "",
            "The portal's public address (https://aqparat.kz): every absolute URL it writes "
            "starts with it, whatever Host a request names; empty: the request's host, if "
            "allowed_hosts lists it."),
    Setting("allowed_hosts", str, lambda: "localhost, 127.0.0.1, ::1, testserver",
            "Host names (comma-separated; .example.kz for its subdomains too, * for any) a "
            "request's Host may put in absolute URLs when public_url is empty; others get "
            "the first one's. testserver is the name Starlette's test client sends."),
    Setting("max_url_bytes", int, lambda: 4096, "Longest request URL (path and query) served; "
            "longer is a 414."),
    Setting("max_body_bytes", int, lambda: 65536, "Largest request body accepted; larger is a "
            "413."),
    Setting("search_per_minute", float, lambda: 60.0,
            "Searches (page, feed, API) one client may make per minute, per web worker."),
    Setting("api_per_minute", float, lambda: 300.0,
            "Other /api/v1 requests one client may make per minute, per web worker."),
    Setting("login_per_minute", float, lambda: 5.0,
            "Operator login attempts one client may make per minute, per web worker."),
    Setting("web_query_seconds", float, lambda: 2.0,
            "Database time one web request may use before it is stopped with a 503; 0: no "
            "limit."),
    Setting("secret_key", str, lambda: "",
            "Signs operator sessions; empty: a random key per `aqparat serve` run (sessions "
            "end at restart).", secret=True),
    Setting("operators_file", str, lambda: "operators.toml",
            "TOML file of operator accounts (argon2 hashes), written by `aqparat operators`."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    host: str
    port: int
    workers: int
    portal: str
    home_items: int
    page_size: int
    views_flush_seconds: float
    views_flush_batch: int
    page_cache_mb: int
    page_cache_check_seconds: float
    page_max_age: int
    log_level: str
    govkz_base_url: str
    govkz_ticket_codes: str
    govkz_hash_headers: bool
    govkz_hash_salt: str
    govkz_page_size: int
    govkz_langs: str
    govkz_timezone: str
    govkz_graphql: bool
    govkz_max_pages: int
    crawl_overlap_days: float
    crawl_rescan_days: float
    crawl_rescan_hours: float
    tier_hot_minutes: float
    tier_warm_minutes: float
    tier_cold_minutes: float
    fetch_rate: float
    fetch_jitter: float
    fetch_timeout: float
    fetch_deadline: float
    fetch_max_bytes: int
    fetch_retries: int
    fetch_backoff: float
    fetch_backoff_max: float
    breaker_failures: int
    breaker_cooldown_minutes: float
    contact_url: str
    dedup_near: float
    dedup_short_near: float
    dedup_short_terms: int
    dedup_title: float
    dedup_numbers: float
    dedup_boilerplate: int
    story_facts: int
    story_days: float
    story_common_fact: int
    sources_file: str
    feed_full_text: str
    feed_summary_chars: int
    page_max_articles: int
    trusted_proxies: str
    public_url: str
    allowed_hosts: str
    max_url_bytes: int
    max_body_bytes: int
    search_per_minute: float
    api_per_minute: float
    login_per_minute: float
    web_query_seconds: float
    secret_key: str
    operators_file: str

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def _convert(setting: Setting, raw: Any, where: str) -> Any:
    if not isinstance(raw, str):
        raw = str(raw)
    try:
        return setting.type(raw)
    except ValueError as exc:
        raise ConfigError(f"config: {where}: {setting.name} = {raw!r} is invalid ({exc})") from exc


def _read_toml(path: Path) -> Mapping[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config: {path}: not valid TOML ({exc})") from exc
    unknown = sorted(set(data) - set(_BY_NAME))
    if unknown:
        raise ConfigError(f"config: {path}: unknown setting(s) {', '.join(unknown)}; "
                          f"`aqparat config show` lists them")
    return data


def load(config_file: Path | None = None, env: Mapping[str, str] | None = None,
         **overrides: Any) -> Settings:
    """Resolve every setting: defaults < TOML file < environment < explicit overrides."""
    env = os.environ if env is None else env
    path = config_file or Path(env.get("AQPARAT_CONFIG", "aqparat.toml"))
    from_file = _read_toml(path) if path.is_file() else {}
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if overrides.get(setting.name) is not None:
            values[setting.name] = overrides[setting.name]
        elif setting.env in env:
            values[setting.name] = _convert(setting, env[setting.env], setting.env)
        elif setting.name in from_file:
            values[setting.name] = _convert(setting, from_file[setting.name], str(path))
        else:
            values[setting.name] = setting.default()
    return Settings(**values)


def describe(settings: Settings) -> list[tuple[str, str, str, str]]:
    """(name, env var, value, help) rows for `aqparat config show`; secrets masked."""
    rows = []
    for s in SETTINGS:
        value = str(getattr(settings, s.name))
        if s.secret:  # a URL keeps all but its password; any other secret shows nothing
            value = mask_url(value) if "://" in value else "***" if value else ""
        rows.append((s.name, s.env, value, s.help))
    return rows


def mask_url(url: str) -> str:
    """Hide a password in a database URL: postgresql://u:***@h/db."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in creds else url
