"""ALL-CAPS titles in sentence case, acronyms and known names kept.

Some sources write whole headlines in capitals ("5 NEW INDUSTRIAL ZONES WERE BUILT IN
TURKESTAN REGION", research/anchor-site.md §3.7); the portal we replace printed them as given.
A title is judged ALL CAPS when at least 90 % of its cased letters are capitals, over at least
eight of them and two ordinary (non-acronym) words: "ҚР ТМҰ" or "SCO-ның отырысы" stay as
written. Such a title is lowered word by word, except:

* acronyms: the bundled list (ҚР, ТМҰ, SCO, IMF, ЕАЭО, BRICS …), Roman numerals, and any
  capitalised word of two to five letters with no vowel (ҚР, РФ, ЖШС, КНБ — no Kazakh,
  Russian or English word is written so);
* names the gazetteer (data/gazetteer.toml) knows, in any case form ("ШЫМКЕНТТЕ" → "Шымкентте",
  "АҚМОЛА ОБЛЫСЫНДА" → "Ақмола облысында"): each word takes the capital its canonical name has;
* the first letter of the title, and of each sentence in it (after . ! ? …), is a capital.

Only letter case ever changes: `sentence_case(t).casefold() == t.casefold()`, and running it on
its own output changes nothing.
"""

from __future__ import annotations

import re

from aqparat.model import LANGS, Lang
from aqparat.text import gazetteer

# Abbreviations printed in capitals in kk / ru / en state news. Upper-case forms.
ACRONYMS = frozenset({
    # Kazakhstan and its institutions
    "ҚР", "РК", "ҚРДМ", "ҰҚК", "КНБ", "ІІМ", "МВД", "ТЖМ", "МЧС", "ҰБТ", "ЕНТ", "ЖОО", "ВУЗ",
    "АҚ", "АО", "ЖШС", "ТОО", "ЖКХ", "ТКШ", "ЦОН", "ХҚКО", "ҚТЖ", "КТЖ", "ҚМГ", "КМГ", "ҰҒА",
    "НАН", "ЖЭО", "ТЭЦ", "АЭС", "ЖИ", "ИИ", "ҚХА", "АХҚО", "МФЦА", "AIFC", "ЭКСПО", "EXPO",
    "KEGOC", "KMG", "ҰӘК", "НПП", "ТМҰ",
    # international bodies and countries
    "ТМД", "СНГ", "ШЫҰ", "ШОС", "ЕАЭО", "ЕАЭС", "ЕАЭК", "БҰҰ", "ООН", "ЕО", "ЕС", "ЕҚЫҰ",
    "ОБСЕ", "НАТО", "ЮНЕСКО", "ЮНИСЕФ", "ДДҰ", "ВОЗ", "ДСҰ", "ВТО", "ЕҚДБ", "ЕБРР", "АДБ",
    "АӨСШК", "СВМДА", "ОПЕК", "ҰҚШҰ", "ОДКБ", "АҚШ", "США", "ҚХР", "КНР", "РФ", "БАӘ", "ОАЭ",
    "ЕЭК", "ТҮКЕ", "ОТГ", "ТМК", "МАГАТЭ", "АЭХА", "ХВҚ", "МВФ", "ДБ", "ВБ", "ЕДБ", "ЕАБР",
    "IMF", "SCO", "BRICS", "UN", "UNESCO", "UNICEF", "UNDP", "WHO", "WTO", "OSCE", "CIS",
    "EAEU", "EU", "USA", "UK", "UAE", "NATO", "CICA", "OPEC", "EBRD", "ADB", "AIIB", "IAEA",
    "CSTO", "OTS", "OIC", "FAO", "ILO", "OECD", "G20", "COP",
    # general
    "IT", "AI", "ICT", "GDP", "ЖІӨ", "ВВП", "COVID", "КОВИД", "NASA", "ID", "SMS", "PR", "HR",
    "ESG", "PhD", "MBA", "VIP", "TV", "ТВ", "GPS", "LED", "ЖҚТБ",
})
_ACRONYMS_UPPER = frozenset(a.upper() for a in ACRONYMS)
_VOWELS = frozenset("аәеёиоөуұүыіэюяaeiouy")
_ROMAN = re.compile(r"[IVXLCDM]+")
_TOKEN = re.compile(r"[^\W_]+")  # letters and digits: "G20", "5G" are one word
_SENTENCE_END = re.compile(r"[.!?…]")
MIN_LETTERS = 8
MIN_WORDS = 2
CAPS_SHARE = 0.9


def is_acronym(word: str) -> bool:
    """A word written in capitals that must stay so (see the module docstring)."""
    if not word.isupper():
        return False
    if word in _ACRONYMS_UPPER or _ROMAN.fullmatch(word):
        return True
    return 2 <= len(word) <= 5 and not any(c in _VOWELS for c in word.lower())


def is_all_caps(title: str) -> bool:
    """Whether `title` is a headline written in capitals (thresholds in the docstring)."""
    cased = [c for c in title if c.isupper() or c.islower()]
    if len(cased) < MIN_LETTERS:
        return False
    capitals = sum(c.isupper() for c in cased)
    words = [w for w in _TOKEN.findall(title) if len(w) > 1 and not is_acronym(w)]
    shouting = [w for w in words if w.isupper()]
    return capitals >= CAPS_SHARE * len(cased) and len(shouting) >= MIN_WORDS


def _lower(word: str) -> str:
    lowered = word.lower()
    return lowered if len(lowered) == len(word) else word  # İ → i̇ would add a letter


def _upper_first(word: str) -> str:
    head = word[:1].upper()
    return head + word[1:] if len(head) == 1 else word


def _capitals(text: str, lang: Lang) -> set[int]:
    """Start offsets of the words of gazetteer names whose canonical form is capitalised
    ("Ақмола облысы": "Ақмола" yes, "облысы" no)."""
    found = gazetteer.words(text, lang)
    starts: set[int] = set()
    for hit in gazetteer.find(found, lang):
        span = found[hit.first : hit.last + 1]
        canonical = next((n.split() for n in hit.entry.names.values()
                          if len(n.split()) == len(span)), [span[0].text.title()])
        starts.update(w.start for w, c in zip(span, canonical, strict=False) if c[:1].isupper())
    return starts


def sentence_case(title: str, lang: Lang | None = None) -> str:
    """`title` in sentence case when it is ALL CAPS; any other title is returned as is."""
    if not is_all_caps(title):
        return title
    lowered = _TOKEN.sub(lambda m: m.group() if is_acronym(m.group()) else _lower(m.group()),
                         title)
    capital = set().union(*(_capitals(lowered, one) for one in ((lang,) if lang else LANGS)))
    out: list[str] = []
    sentence_start, last = True, 0
    for m in _TOKEN.finditer(lowered):
        between = lowered[last : m.start()]
        ends = list(_SENTENCE_END.finditer(between))
        if ends:
            sentence_start = True
            between_tail = between[ends[-1].end():]
        else:
            between_tail = between
        # "5 new zones": a sentence that starts with a number has its capital already.
        first = sentence_start and not any(c.isdigit() for c in between_tail)
        word = m.group()
        out += [between, _upper_first(word) if first or m.start() in capital else word]
        sentence_start, last = False, m.end()
    out.append(lowered[last:])
    return "".join(out)
