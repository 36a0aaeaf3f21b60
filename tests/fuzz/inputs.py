"""Hypothesis strategies for hostile inputs: raw bytes, and documents built from the pieces
each format is made of (so the parsers get past their first line), each piece as likely to
be broken as whole: dates that are not days, truncated XML, control characters, payloads
from the XSS corpus."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import strategies as st

XSS = [json.loads(line)["payload"] for line in (Path(__file__).parents[1] / "fixtures" / "xss"
                                                / "payloads.jsonl").read_text().splitlines()]

NASTY = st.sampled_from(["", " ", "\x00", "\ufeff", "\u2028", "\ud7ff", "\uffff", "&amp;",
                         "&#0;", "&#x110000;", "]]>", "<!--", "<![CDATA[", "\r\n", "\t",
                         "９", "٣", "𝟙", "Ⅻ", "ǅ", "İ", "ß", "ﬁ", "\u0301", "\u202e"])
WORDS = st.sampled_from(["Қазақстан", "наурыз", "Астана", "марта", "March", "сағат", "жылғы",
                         "года", "2026", "17", "09:30", "–", "-", ",", ".", ":", "%", "12 482"])
TEXT = st.lists(st.one_of(st.text(max_size=12), NASTY, WORDS, st.sampled_from(XSS)),
                max_size=12).map(" ".join)


def truncated(documents: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """A document, in UTF-8 or cut anywhere (a body that stopped arriving)."""
    return st.tuples(documents, st.floats(0, 1), st.booleans()).map(
        lambda t: t[0].encode("utf-8", "surrogatepass")[
            : None if t[2] else int(len(t[0].encode("utf-8", "surrogatepass")) * t[1])])


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.integers(0, 10**n - 1).map(lambda v: str(v).zfill(n))


DMY = st.builds("{}.{}.{}".format, _digits(2), _digits(2), _digits(4))
ISO = st.builds("{}-{}-{}T{}:{}:{}{}".format, _digits(4), _digits(2), _digits(2), _digits(2),
                _digits(2), _digits(2),
                st.sampled_from(["Z", "", "+05:00", "-14:00", "+99:99", ".123Z", "+0500"]))
RFC822 = st.builds("{}, {} {} {} {}:{}:{} {}".format, st.sampled_from(["Tue", "Xyz", ""]),
                   _digits(2), st.sampled_from(["Mar", "Foo", "", "Мар"]), _digits(4),
                   _digits(2), _digits(2), _digits(2), st.sampled_from(["+0500", "GMT", "Z"]))
DATE = st.one_of(DMY, ISO, RFC822, TEXT)

# ── dumps ───────────────────────────────────────────────────────────────────────────────────

DUMP_LINE = st.one_of(
    st.sampled_from(["Жаңалықтар", "Қосымша", "Подробнее", "Ещё", "More", "News", ""]),
    DMY, TEXT, st.builds("{} {}".format, TEXT, DMY),
    st.builds("{}Ақпарат көзі : {}".format, TEXT, st.sampled_from([
        "https://www.gov.kz/memleket/entities/mfa/press/news/details/1183541?lang=kk",
        "javascript:alert(1)", "https://", "http://x", "", "a b"])),
    st.builds("Source:{}".format, TEXT), st.builds("Источник : {}".format, TEXT))
DUMP = st.tuples(st.lists(DUMP_LINE, max_size=40), st.sampled_from(["\n", "\r\n", "\r"])).map(
    lambda t: t[1].join(t[0]))

# ── gov.kz ──────────────────────────────────────────────────────────────────────────────────

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
ANY = st.one_of(JSON, TEXT)
GOVKZ_ITEM = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.integers(-2, 10**20), st.text(max_size=22), st.booleans(), st.floats()),
    "title": st.one_of(TEXT, ANY), "created_date": st.one_of(ISO, DATE, ANY),
    "body": st.one_of(TEXT.map(lambda t: f"<!DOCTYPE html><html><body><p>{t}</p></body></html>"),
                      st.sampled_from(XSS), ANY),
    "short_description": st.one_of(TEXT, ANY),
    "heropic": st.one_of(st.sampled_from(["/uploads/a.jpg", "//cdn.example/x.png",
                                          "javascript:alert(1)", "http://[::1", "\x00"]), ANY),
    "projects": st.one_of(st.text(max_size=20), st.lists(st.text(max_size=12), max_size=3), ANY),
})
LISTING = st.one_of(
    st.lists(GOVKZ_ITEM, max_size=5).map(json.dumps),
    st.dictionaries(st.sampled_from(["data", "content", "items", "errors"]),
                    st.one_of(JSON, st.lists(GOVKZ_ITEM, max_size=3)), max_size=3).map(json.dumps),
    JSON.map(json.dumps)).map(str.encode) | st.binary(max_size=512)

# ── feeds, pages, OPML ──────────────────────────────────────────────────────────────────────


def _xml_text(raw: str) -> st.SearchStrategy[str]:
    return st.sampled_from([raw, f"<![CDATA[{raw}]]>", raw.replace("&", "&amp;")
                            .replace("<", "&lt;")])


RSS_ITEM = st.builds(
    "<item><title>{}</title><link>{}</link><guid>{}</guid><pubDate>{}</pubDate>"
    "<description>{}</description>{}</item>".format,
    TEXT.flatmap(_xml_text), st.sampled_from(["https://a.example/1", "", "javascript:x", "/rel"]),
    TEXT, DATE, TEXT.flatmap(_xml_text),
    st.sampled_from(["", "<content:encoded><![CDATA[<p>Мәтін</p>]]></content:encoded>",
                     "<enclosure url='https://a.example/i.jpg' type='image/jpeg'/>"]))
RSS = st.builds(
    '<?xml version="1.0" encoding="{}"?><rss version="2.0" xmlns:content="http://purl.org/rss/'
    '1.0/modules/content/"><channel><title>{}</title><language>{}</language>{}</channel>'
    "</rss>".format, st.sampled_from(["utf-8", "windows-1251", "bogus"]), TEXT,
    st.sampled_from(["kk", "ru-RU", "kz", "xx", ""]),
    st.lists(RSS_ITEM, max_size=6).map("".join))
ATOM = st.builds(
    '<feed xmlns="http://www.w3.org/2005/Atom"><title>{}</title>{}</feed>'.format, TEXT,
    st.lists(st.builds('<entry><id>{}</id><title type="{}">{}</title><updated>{}</updated>'
                       '<content type="html">{}</content><link href="{}"/></entry>'.format,
                       TEXT, st.sampled_from(["text", "html", "xhtml"]), TEXT, DATE, TEXT,
                       st.sampled_from(["https://a.example/x", "", "mailto:x"])),
             max_size=5).map("".join))
FEED = truncated(st.one_of(RSS, ATOM)) | st.binary(max_size=512)

PAGE = truncated(st.builds(
    '<!DOCTYPE html><html lang="{}"><head><title>{}</title><meta property="article:published_'
    'time" content="{}"></head><body>{}<article><h1>{}</h1><p class="date">{}</p>{}</article>'
    "{}</body></html>".format,
    st.sampled_from(["kk", "ru", "en", "", "x\"y"]), TEXT, DATE,
    st.sampled_from(["", "<nav><a href='/'>Басты</a></nav>", "<script>var x='</article>'"
                     "</script>"]),
    TEXT, DATE, st.lists(st.one_of(TEXT.map("<p>{}</p>".format), st.sampled_from(XSS)),
                         max_size=8).map("".join),
    st.sampled_from(["", "<footer>©</footer>", "<div>" * 200]))) | st.binary(max_size=512)

OPML = truncated(st.builds(
    '<?xml version="1.0"?><opml version="2.0"><head><title>{}</title></head><body>{}</body>'
    "</opml>".format, TEXT,
    st.lists(st.builds('<outline text="{}" xmlUrl="{}" type="{}" url="{}" '
                       'aqparat:pattern="{}"/>'.format, TEXT,
                       st.sampled_from(["https://a.example/rss", "javascript:x", "", "ftp://x"]),
                       st.sampled_from(["rss", "link", ""]), st.sampled_from(["https://a.b/", ""]),
                       st.sampled_from(["/news/", "(", "[a-", ""])), max_size=5).map("".join)))

# ── dates, queries, HTML ────────────────────────────────────────────────────────────────────

DATE_TEXT = st.lists(st.one_of(WORDS, DMY, ISO, _digits(2), _digits(4),
                               st.sampled_from(["қаңтар", "ақпан", "желтоқсан", "января",
                                                "December", "25:61", "00:00", "-", "–", "—",
                                                "сағат 11:30-да", "14-15", "9999", "0000"])),
                     max_size=16).map(" ".join)
PARAMS = st.dictionaries(
    st.sampled_from(["q", "since", "until", "cursor", "limit", "source", "rubric", "lang",
                     "sort", "from", "to", "language", "page", "offset"]),
    st.one_of(TEXT, DATE, st.integers().map(str), st.sampled_from(["0", "-1", "1e9", "٣",
                                                                   "１", "nan"])), max_size=8)
HTML = st.one_of(
    st.lists(st.one_of(st.sampled_from(XSS), TEXT, st.sampled_from(
        ["<p>", "</p>", "<table><tr><td>", "</td>", "<iframe src='https://www.youtube.com/"
         "embed/abcdefg'>", "<a href='/uploads/x'>", "<h1>", "<div>", "<br>", "<img src=x>",
         "<svg>", "<math>", "<style>", "<!--", "-->", "<", ">", "&", "\"", "'"])),
        max_size=20).map("".join),
    st.text(max_size=300))
