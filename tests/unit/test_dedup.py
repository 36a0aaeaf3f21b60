"""Fingerprints, MinHash signatures, facts and story assignment as pure functions."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aqparat.pipeline import dedup, extraction, facts, identity, stories
from aqparat.pipeline.dedup import DedupOptions
from aqparat.pipeline.story_index import MemoryIndex

OPTIONS = DedupOptions()
WORDS = st.text(alphabet="абвгдеәғқңөұүһі", min_size=2, max_size=8)
T = dt.datetime(2026, 3, 17, 10, tzinfo=dt.UTC)


@given(st.lists(WORDS, min_size=1, max_size=60), st.sampled_from([" ", "  ", "\n\n", " , "]))
def test_fingerprint_ignores_spacing_case_and_punctuation(words: list[str], gap: str) -> None:
    plain = " ".join(words)
    assert identity.text_fingerprint("", plain) == identity.text_fingerprint(
        "another title", gap.join(w.upper() for w in words) + ".")


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(0, 2000), min_size=20, max_size=300),
       st.sets(st.integers(0, 2000), min_size=20, max_size=300))
def test_signatures_estimate_jaccard(a: set[int], b: set[int]) -> None:
    true = len(a & b) / len(a | b)
    sa, sb = (dedup.signature(map(str, s), OPTIONS) for s in (a, b))
    # 128 permutations: the standard error is at most 0.044; five of them is a safe bound.
    assert abs(dedup.similarity(sa, sb) - true) <= 0.22


def test_bands_are_stable_and_shared_by_equal_signatures() -> None:
    sig = dedup.signature(["a b c", "b c d"], OPTIONS)
    assert dedup.bands(sig, OPTIONS) == dedup.bands(bytes(sig), OPTIONS)
    assert len(set(dedup.bands(sig, OPTIONS))) == OPTIONS.bands


def test_shingles_of_a_short_text_are_the_text() -> None:
    assert dedup.shingles(["a", "b"]) == ["a b"]
    assert dedup.shingles(["a", "b", "c", "d"]) == ["a b c", "b c d"]
    assert dedup.shingles([]) == []


def test_facts_are_the_same_in_kazakh_and_russian() -> None:
    kk = facts.extract("Ержан Біржанов: 15 наурызда 87,15% қолдады, 12 482 613 азамат, "
                       "№ 53 бұйрық.", "kk", dt.date(2026, 3, 17))
    ru = facts.extract("Ержан Биржанов: 15 марта 87,15% поддержали, 12 482 613 граждан, "
                       "приказ № 53.", "ru", dt.date(2026, 3, 17))
    assert {"n:87.15", "n:12482613", "n:№53", "d:2026-03-15"} <= kk.keys & ru.keys


def test_numbers_agree_when_a_repost_trims_or_adds() -> None:
    original = frozenset({"2020", "53", "27", "87.15"})
    assert facts.agreement(original, original | {"7172"}) == 1.0  # a contact block's phone
    assert facts.agreement(original, frozenset({"2020", "54", "28", "87.15"})) == 0.5
    assert facts.agreement(frozenset({"1"}), original) is None


def _report(n: int, source: int, body: str, title: str = "Жаңалық",
            hours: float = 0) -> stories.Report:
    return stories.Report(n, source, f"x{n}", "kk", title, body, T + dt.timedelta(hours=hours))


SIGN_OFF = ("Сыртқы істер министрлігі шетелдегі азаматтарға елшіліктің ресми парақшаларына "
            "жазылуды және консулдық есепке тұруды ұсынады. Толық ақпарат www.gov.kz порталында.")


def test_a_shared_sign_off_never_joins_two_embassies_news() -> None:
    index = MemoryIndex()
    for n, source in enumerate((1, 1, 2, 2)):  # each embassy's history teaches its sign-off
        stories.assign(index, _report(n + 1, source, f"Кесте {n} жарияланды. {SIGN_OFF}"),
                       OPTIONS)
    a = _report(10, 1, f"Женевада көрме ашылды, 120 бұйым қойылды. {SIGN_OFF}")
    b = _report(11, 2, f"Сеулде форум өтті, 14 келісімге қол қойылды. {SIGN_OFF}")
    first, _ = stories.assign(index, a, OPTIONS)
    second, found = stories.assign(index, b, OPTIONS)
    assert first != second
    assert found.how == "new"


def test_a_repost_is_a_duplicate_and_a_version_joins_its_publication() -> None:
    index = MemoryIndex()
    text = " ".join(f"сөз{n} мәтін{n % 7} бөлім{n % 5}" for n in range(40))
    story, _ = stories.assign(index, _report(1, 1, text), OPTIONS)
    same, found = stories.assign(index, _report(2, 2, "Хабарлағандай, " + text, hours=2),
                                 OPTIONS)
    assert (same, found.how, found.duplicate_of) == (story, "near", 1)
    version = stories.Report(3, 1, "x1", "ru", "Новость", "Другой текст.", T)
    assert stories.assign(index, version, OPTIONS)[1].how == "version"


def test_the_representative_is_the_earliest_and_each_language_has_a_lead() -> None:
    lines = [stories.Line(3, "kk", T), stories.Line(1, "ru", T + dt.timedelta(hours=1)),
             stories.Line(2, "kk", T + dt.timedelta(hours=2))]
    rep = stories.representative(lines)
    assert rep is not None
    assert rep.item_id == 3
    assert stories.leads(lines) == {3, 1}


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(["12", "482", " ", "\u00a0", "613", ",", ".", "87,15", "a", "б",
                                 "_", "x1", "2026", "№ 53", "3.5.", "٣", "²", "-", "0"]),
                max_size=10).map("".join))
def test_numbers_found_from_digits_only_are_the_full_scan(text: str) -> None:
    assert facts._number_matches(text) == [m.group() for m in facts._NUMBER.finditer(text)]


CORPUS = Path(__file__).parents[1] / "fixtures" / "search" / "corpus.jsonl"
NAMES = st.sampled_from(["Ержан Біржанов", "Ержан Биржанов", "Астана", "Ақмола облысы",
                         "Қаржы министрлігі", "министр Айдар Арифханов", "Токаев К.Ж."])
PIECES = st.one_of(NAMES, st.sampled_from(["—", "***", "•", "15 наурыз 2026", "№ 53", "87,15%",
                                           "«Фридом Финанс»", "және", "өтті."]), WORDS)


def _named_report(title: str, body: str, lang: str, named: bool) -> stories.Report:
    found = extraction.entities(title, body, lang) if named else None  # type: ignore[arg-type]
    return stories.Report(1, 1, "x", lang, title, body, T, named=found)  # type: ignore[arg-type]


def _described(report: stories.Report, boilerplate: set[int]) -> tuple[object, object]:
    profile, keys, _ = stories.describe(report, boilerplate, OPTIONS)
    return profile, keys


@pytest.mark.parametrize("row", [json.loads(line) for line in
                                 CORPUS.read_text(encoding="utf-8").splitlines()],
                         ids=lambda row: row["ref"])
def test_names_found_once_describe_as_found_again(row: dict[str, str]) -> None:
    """The pipeline's names (Report.named) stand in for looking again: same profile, keys."""
    found, again = (_named_report(row["title"], row["body"], row["lang"], named)
                    for named in (True, False))
    assert _described(found, set()) == _described(again, set())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(PIECES, min_size=1, max_size=8).map(" ".join), min_size=1,
                max_size=6),
       st.sampled_from(["\n\n", ". ", "\n\n—\n\n", " "]), st.sampled_from(["kk", "ru"]))
def test_names_found_once_describe_as_found_again_in_any_text(
        parts: list[str], gap: str, lang: str) -> None:
    body = gap.join(parts)
    found, again = (_named_report("Ержан Біржанов", body, lang, named) for named in (True, False))
    assert _described(found, set()) == _described(again, set())


def test_names_in_a_cut_sentence_are_not_facts() -> None:
    """With a boilerplate sentence cut, the facts' text loses its names, whatever the
    pipeline found in the whole body."""
    body = ("Ведомство провело брифинг о новых правилах.\n\n"
            "Пресс-секретарь министр Айдар Арифханов ответил на вопросы журналистов.")
    cut = {u.key for u in dedup.units(body) if "Арифханов" in u.text}
    found, again = (_named_report("Брифинг", body, "ru", named) for named in (True, False))
    assert _described(found, cut) == _described(again, cut)
    assert _described(found, cut) != _described(found, set())
