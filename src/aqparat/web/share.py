"""Share links as plain URLs: each network's documented share endpoint, opened by the reader's
own click. No third-party script, widget or pixel is loaded, so nothing is sent anywhere
until the reader chooses to share."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode


@dataclass(frozen=True, slots=True)
class ShareLink:
    network: str  # shown as is, except "email" (translated by the template)
    href: str


def links(url: str, title: str) -> list[ShareLink]:
    text = f"{title} {url}"
    return [
        ShareLink("Telegram", "https://t.me/share/url?" + urlencode({"url": url, "text": title})),
        ShareLink("WhatsApp", "https://wa.me/?" + urlencode({"text": text})),
        ShareLink("Facebook", "https://www.facebook.com/sharer/sharer.php?"
                  + urlencode({"u": url})),
        ShareLink("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
        ShareLink("VK", "https://vk.com/share.php?" + urlencode({"url": url, "title": title})),
        # mailto takes RFC 6068 percent-encoding: spaces as %20, never "+".
        ShareLink("email", f"mailto:?subject={quote(title)}&body={quote(text)}"),
    ]
