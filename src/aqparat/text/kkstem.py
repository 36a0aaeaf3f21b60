"""A Kazakh suffix stripper for search keys: ``референдумның`` → ``референдум``.

Kazakh inflection is agglutinative and regular: stem + plural + possessive + case (+ ``-дағы``,
``-ғы``). Each ending has variants chosen by the stem — vowel harmony (back ``а о ұ ы`` vs front
``ә ө ү і е``) and the stem's last sound (``-дың`` after voiced sounds, ``-тың`` after voiceless,
``-ның`` after vowels and ``м н ң``). The stripper removes at most one ending per slot, from
the outside in, and only a variant that fits the stem left behind, so ``Қазақстан`` does not
lose a pretend ablative ``-тан``. It repeats until nothing changes, so a key is a fixed point
(``stem(stem(w)) == stem(w)``) and ``басшы`` and ``басшысы`` meet. Finally a stem-final
``ғ г б`` becomes ``қ к п``: ``құқығы`` and ``құқық`` share a key (consonants voice before a
vowel-initial ending).

Keys are for matching, not for display: ``Алматы`` keys as ``алмат``, which is harmless because
every form of it does. Derivational endings (``-лық``, ``-сыз``) are stripped too
(``мемлекеттік`` meets ``мемлекет``); this trades a few merges (``орталық`` ``орта``) for recall,
as measured on ``tests/fixtures/text/stems.tsv``.
"""

from __future__ import annotations

import tomllib
from functools import cache, lru_cache
from importlib import resources

BACK = frozenset("аоұыяё")
FRONT = frozenset("әөүіеэ")
# у, ю and и take either harmony (референдумда, беруге; тарихындағы, министрлігі), and a final
# у is a glide that endings treat as a consonant (қатысуы, бағалауға).
VOWELS = BACK | FRONT | frozenset("уюи")
# в ends Russian surnames and takes voiceless-initial endings: Біржановтың, Копыловқа.
VOICELESS = frozenset("кқпстфхцчшщв")
NASALS = frozenset("мнң")

# Each ending: (text, what the stem must end in). V vowel, C consonant, T voiceless consonant,
# D vowel or voiced consonant, S voiced consonant, N vowel or м/н/ң, L vowel or р/й/у, * anything.
Slot = tuple[tuple[str, str], ...]


def _pairs(spec: str) -> Slot:
    """``"ның:N нің:N"`` → (("ның", "N"), ("нің", "N")), longest ending first."""
    items = [tuple(item.split(":")) for item in spec.split()]
    return tuple(sorted(((t, c) for t, c in items), key=lambda p: -len(p[0])))


RELATIVE = _pairs(
    "ындағы:C індегі:C сындағы:V сіндегі:V дағы:D дегі:D тағы:T тегі:T "
    "ғы:S гі:S қы:T кі:T"
)
CASE = _pairs(
    "ының:C інің:C сының:V сінің:V ның:N нің:N дың:D дің:D тың:T тің:T "
    "ын:C ін:C сын:V сін:V ны:V ні:V ды:D ді:D ты:T ті:T "
    "ына:C іне:C сына:V сіне:V ға:D ге:D қа:T ке:T "
    "ында:C інде:C сында:V сінде:V да:D де:D та:T те:T "
    "ынан:C інен:C сынан:V сінен:V нан:N нен:N дан:D ден:D тан:T тен:T "
    "ымен:C імен:C сымен:V сімен:V мен:D бен:D пен:T"
)
# Not the 1st/2nd person singular -м/-ң/-ым/-ің nor -ңыз: rare in news, and they would eat the
# end of білім, шешім, маңыз.
POSSESSIVE = _pairs("ымыз:C іміз:C мыз:V міз:V ыңыз:C іңіз:C сы:V сі:V ы:C і:C")
PLURAL = _pairs("лар:L лер:L дар:D дер:D тар:T тер:T")
DERIVED = _pairs("лық:* лік:* дық:D дік:D тық:T тік:T сыз:* сіз:*")
SLOTS = (RELATIVE, CASE, POSSESSIVE, PLURAL, DERIVED)
# Country and region names in -стан: their -тан is never the ablative.
_STAN = ("тан", "тен")
_DEVOICE = {"ғ": "қ", "г": "к", "б": "п"}
# Frequent news words whose ending looks like a suffix (ау|дан, дай|ын): kept whole, and their
# inflected forms stop at them.
PROTECTED = frozenset({
    "аудан", "орын", "ойын", "тұрғын", "дайын", "бүгін", "кейін", "мүмкін", "қазан", "алаң",
    "заман", "жан", "адам", "ақын", "ұлан", "отан", "астана", "қалың",
})
MAX_PASSES = 4  # a key settles in two passes on real words; the bound only guards the loop


@cache
def _place_names() -> frozenset[str]:
    """Kazakh place names of ``data/gazetteer.toml``: roots, whatever they end in
    (``Қарағанды`` is not ``Қараған`` + ``-ды``), so every form of them stops there."""
    raw = (resources.files("aqparat.data") / "gazetteer.toml").read_text(encoding="utf-8")
    names = (e["kk"] for e in tomllib.loads(raw).get("place", []))
    return frozenset(w.lower() for name in names for w in name.split() if w != "облысы")


def _is_protected(key: str) -> bool:
    return key in PROTECTED or key in _place_names()


_INVARIANT = frozenset({"мен", "бен", "пен"})  # the instrumental has no back variant


def _harmony(stem: str) -> str | None:
    """'b' or 'f' by the stem's last vowel; None when that vowel is у/ю or there is none."""
    for ch in reversed(stem):
        if ch in BACK:
            return "b"
        if ch in FRONT:
            return "f"
        if ch in VOWELS:
            return None
    return None


def _ending_harmony(ending: str) -> str | None:
    """An ending's class is its first vowel's (ымен is back: its мен never changes)."""
    if ending in _INVARIANT:
        return None
    return _harmony(next((c for c in ending if c in VOWELS), ""))


def _fits_sound(stem: str, need: str) -> bool:
    last = stem[-1]
    vowel = last in VOWELS and last != "у"
    return {
        "V": vowel, "C": not vowel, "T": last in VOICELESS,
        "D": vowel or last not in VOICELESS, "S": not vowel and last not in VOICELESS,
        "N": vowel or last in NASALS, "L": vowel or last in "рйу", "*": True,
    }[need]


def _long_enough(stem: str, ending: str) -> bool:
    """Two letters may be left only before an ending of three or more (ел|дің, ел|іміз)."""
    return len(stem) >= (2 if len(ending) >= 3 else 3) and any(c in VOWELS for c in stem)


def _misreads_noun_in_s(stem: str, ending: str) -> bool:
    """``отырыс|ы``, not ``отыры|сы``: -ыс/-іс nouns are far more common than a stem in -ы/-і,
    except the agent -шы/-ші (``басшы|сы``); likewise the co- nouns in -тес/-дес and ``кеңес``
    (``серіктес|і``, ``кеңес|інің``), while ``мәселе|сі``, ``учаске|сі`` keep their -сі."""
    if ending[0] != "с":
        return False
    return (stem[-1:] in ("ы", "і") and stem[-2:-1] != "ш") or stem[-2:] in ("те", "де", "ңе")


def _allowed(stem: str, ending: str, need: str) -> bool:
    if not _long_enough(stem, ending) or _misreads_noun_in_s(stem, ending):
        return False
    if ending in _STAN and stem.endswith("с"):
        return False
    suffix_class, stem_class = _ending_harmony(ending), _harmony(stem)
    if suffix_class and stem_class and suffix_class != stem_class:
        return False
    return _fits_sound(stem, need)


def _devoice(stem: str) -> str:
    """``құқығ`` → ``құқық``: the final consonant as it is written without an ending."""
    return stem[:-1] + _DEVOICE[stem[-1]] if stem[-1:] in _DEVOICE else stem


def _strip_slot(word: str, slot: Slot) -> str:
    for ending, need in slot:
        if word.endswith(ending) and _allowed(word[: -len(ending)], ending, need):
            return _devoice(word[: -len(ending)])
    return word


def _one_pass(word: str) -> str:
    for slot in SLOTS:
        if _is_protected(word):
            break
        word = _strip_slot(word, slot)
    return word


@lru_cache(maxsize=65536)
def stem_kk(word: str) -> str:
    """The search key of one lower-case Kazakh word (see the module docstring)."""
    if len(word) < 3:  # initials, "т.б.": nothing to strip
        return word
    # ь/ъ carry no sound in Kazakh spelling of loans: модель, моделі, модельді meet.
    key = _devoice(word.replace("ь", "").replace("ъ", ""))
    if not key:
        return word
    for _ in range(MAX_PASSES):
        if _is_protected(key):
            break
        shorter = _one_pass(key)
        if shorter == key:
            break
        key = shorter
    return key
