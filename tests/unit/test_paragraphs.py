"""Paragraph recovery on the portal's dump: the seed articles, every rule, every exception.

Expected paragraphs were counted by hand from the seed page: every glued ``.«``, ``.Capital``,
``)Capital``, ``HH:MMCapital`` and camel glue (``АссамблеясыКездесу``) is a break; a sentence
end followed by a space is not.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aqparat.text.normalize import clean_paragraphs, normalize, recover_paragraphs

SEED = Path(__file__).parents[3] / "shared" / "seed" / "000_61e82a4af1ac5571.txt"
DATE_LINE = re.compile(r"\d\d\.\d\d\.\d{4}")


def seed_articles() -> list[tuple[str, str]]:
    """(title, body) of each distinct article on the seed page: a title line, a date, a body."""
    if not SEED.is_file():
        pytest.skip(f"seed page {SEED} is absent (../shared is not laid beside the repo)")
    lines = SEED.read_text(encoding="utf-8").split("\n")
    found = [
        (lines[i], lines[i + 2])
        for i in range(len(lines) - 2)
        if DATE_LINE.fullmatch(lines[i + 1])
    ]
    return list(dict.fromkeys(found))


def squeeze(text: str) -> str:
    """Every non-whitespace character, in order."""
    return "".join(text.split())


# --- the seed page --------------------------------------------------------------------

ARTICLE_1_TITLE = (
    "ҚР Қаржы вице-министрі Ержан Біржанов Ақмола облысының тұрғындарымен кездесу өткізеді"
)
ARTICLE_1 = [
    "2026 жылғы 18 наурыз сағ.11:30",
    "Көкшетау қ., Назарбаев даңғылы 2/5, Қазақстан халқы Ассамблеясы",
    "Кездесу барысында тұрғындар өз сұрақтарын қойып, ұсыныстарын білдіре алады.",
    (
        "Ақпарат көзі : "
        "https://www.gov.kz/memleket/entities/kgd-akmola/press/news/details/1183538?lang=kk"
    ),
]

ARTICLE_3_TITLE = (
    "Шетелдік бақылаушылар Қазақстандағы референдумда сайлаушылардың белсенділігі жоғары "
    "және дауыс берудің ақаусыз өткенін атап өтті"
)
# 25 paragraphs, counted by hand; the body is exactly their concatenation, breaks all glued.
ARTICLE_3 = [
    (
        "Халықаралық бақылаушылар наурыздың 15-інде өткен Қазақстандағы конституциялық "
        "референдумның нәтижесіне әсер етуі мүмкін ірі бұзушылықтар тіркелмегенін және "
        "сайлаушылардың қатысуы салыстырмалы түрде жоғары болғанын хабарлады."
    ),
    (
        "Орталық сайлау комиссиясы 11 халықаралық ұйым мен 38 шетелден 359 бақылаушыны "
        "аккредиттеді. Бірнеше бақылау миссиясының өкілдері ел бойынша дауыс беру учаскелерін "
        "аралағаннан кейін өз бағалауларын бөлісті."
    ),
    "Шанхай ынтымақтастық ұйымы (SCO)",
    (
        "SCO-ның бас хатшысының орынбасары Олег Копыловтың айтуынша, дауыс беру жақсы "
        "ұйымдастырылып, сайлау учаскелері толықтай дайын болған."
    ),
    (
        "«Біз Астана мен Ақмола облысындағы бірнеше сайлау учаскесін араладық. Үдеріс жоғары "
        "деңгейде ұйымдастырылып, азаматтардың, соның ішінде мүмкіндігі шектеулі адамдар мен "
        "шалғай аудандар тұрғындарының дауыс беруі үшін барлық қажетті жағдай жасалған», – деді"
        " ол."
    ),
    (
        "Копылов дауыс беру пункттеріндегі жағымды атмосфера мен сайлаушылардың белсенді "
        "қатысуын атап өтті."
    ),
    (
        "«Біз адамдардың отбасыларымен, балаларымен бірге дауыс беруге келетінін көрдік; "
        "азаматтар процеске зор қызығушылық танытты. Біздің ойымызша, бұл Қазақстанда "
        "демократиялық қағидалар мен заң үстемдігін нығайтуға ықпал етеді. Сонымен бірге "
        "референдумның заңдылығын халықаралық бақылаушылар емес, ел азаматтары ғана анықтайды»,"
        " - деді ол."
    ),
    (
        "Бақылаушылар дауыс беру үдерісін бақылап, сайлау учаскелеріндегі сайлаушылар мен ресми"
        " тұлғалармен сөйлесу мүмкіндігіне ие болды."
    ),
    (
        "Ресей Мемлекеттік думасының халықаралық істер жөніндегі комитеті төрағасының бірінші "
        "орынбасары Алексей Чепа сайлаушылардың үдеріске белсенді қатысып жатқанын айтты."
    ),
    (
        "«Бүгін – Қазақстан тарихындағы маңызды белес, және адамдар оны анық түсінеді. Біз "
        "сайлаушылармен сөйлестік, және көпшілігі референдумды елдің дамуына бағытталған жаңа "
        "қадам деп есептейтінін айтты», – деді ол."
    ),
    "Түрік тілінде сөйлейтін елдердің Парламенттік Ассамблеясы (TURKPA)",
    (
        "TURKPA бас хатшысы Рамил Хасан ұйым Астана, Алматы және Түркістан қалаларында жұмыс "
        "істеген 23 бақылаушыны орналастырғанын атап өтті."
    ),
    (
        "«Осы үш қалада біз 45 сайлау учаскесін араладық. Біз халықаралық стандарттардың немесе"
        " Қазақстанның сайлау заңнамасының бұзылуын байқаған жоқпыз. Азаматтар белсенді түрде "
        "қатысып, өз еркін білдірді», – деді Хасан."
    ),
    "Азиядағы өзара іс-қимыл және сенімді нығайту шаралары жөніндегі конференция (CICA)",
    (
        "CICA сарапшысы, елші Мутаз Фалех Салех референдумның тәртіпті әрі ашық түрде "
        "өткізілгенін атап өтті."
    ),
    (
        "«Менің бақылауым бойынша, дауыс беру процесі заңдық шеңберге сәйкес ұйымдастырылды. "
        "Рәсімдер сақталды, ал азаматтар өз еркін еркін білдіре алды», - деді ол."
    ),
    (
        "Тағы бір CICA мүшесі, елші Исмат Джахан әріптесінің пікірін қолдап, сайлау "
        "учаскелеріндегі тыныш әрі жақсы ұйымдастырылған ортаға назар аударды."
    ),
    (
        "«Мен үш сайлау учаскесіндегі үдерісті бақыладым. Барлығы жақсы ұйымдастырылған, дауыс "
        "беру бейбіт атмосферада өтті. Отбасылардың бірге келуі, соның ішінде үлкендерге "
        "ілескен балалардың болуы әсерлі болды, бұл адамдардың саяси құқықтарын жүзеге асыруға "
        "үлкен мән беретінін көрсетеді», – деді ол."
    ),
    (
        "Жахан дауыс беру пункттері мүгедектер арбасын пайдаланатындарды қоса алғанда, баршаға "
        "қолжетімді болғанын атап өтті."
    ),
    (
        "«Мүгедектерге, соның ішінде арбамен жүретіндерге арналған арнайы кабиналар "
        "қарастырылғанын көрдім. Бұл әркімнің дауыс беру құқығын жүзеге асыруға мүмкіндік беру "
        "үшін күш салынғанын көрсетеді», – деді ол."
    ),
    (
        "Сонымен қатар ол дауыс беру процесін дайындау және ұйымдастыру үшін референдум "
        "комиссиясын мақтады."
    ),
    "Түрік мемлекеттері ұйымы (OTS)",
    (
        "Түрік мемлекеттері ұйымының (ТМҰ) Бас хатшысының орынбасары Омер Кочаман референдум "
        "алдында жүргізілген жан-жақты дайындықты атап өтіп, ұсынылған конституциялық "
        "өзгерістер туралы ақпарат алдын ала берілгенін және жалпы үдерістің айқын болғанын "
        "айтты."
    ),
    (
        "«Қазақстан – түрік әлеміндегі ең мықты мемлекеттердің бірі және өңірде маңызды рөл "
        "атқарады. Жаңа конституция дамуға жаңа мүмкіндіктер ашады. Біз бұл үдерістің куәгері "
        "болғанымызға қуаныштымыз», – деді Кочаман."
    ),
    (
        "Ақпарат көзі : "
        "https://www.gov.kz/memleket/entities/mfa-geneva/press/news/details/1183542?lang=kk"
    ),
]

SEED_COUNTS = [
    (0, 4, "2026 жылғы 18 наурыз сағ.11:30"),
    (1, 6, "Орталық референдум комиссиясының мәліметі бойынша, 15 наурызда"),
    (2, 25, "Халықаралық бақылаушылар наурыздың 15-інде"),
    (3, 5, "Қостанайда ерекше білім беру қажеттіліктері"),
    (4, 8, "Бүгін, 17 наурыз күні, мемлекеттік органдардың"),
]


def test_seed_page_has_five_distinct_articles() -> None:
    assert len(seed_articles()) == 5


@pytest.mark.parametrize(("index", "count", "start"), SEED_COUNTS)
def test_seed_article_paragraphs(index: int, count: int, start: str) -> None:
    title, body = seed_articles()[index]
    paragraphs = clean_paragraphs(title, body)
    assert len(paragraphs) == count
    assert paragraphs[0].startswith(start)
    assert paragraphs[-1].startswith("Ақпарат көзі : https://www.gov.kz/")
    # Nothing but the repeated title and whitespace went missing.
    assert squeeze("".join(paragraphs)) == squeeze(body.removeprefix(title))


def test_seed_article_1_exactly() -> None:
    title, body = seed_articles()[0]
    assert title == ARTICLE_1_TITLE
    assert clean_paragraphs(title, body) == ARTICLE_1


def test_seed_article_3_exactly() -> None:
    title, body = seed_articles()[2]
    assert (title, body) == (ARTICLE_3_TITLE, "".join(ARTICLE_3))
    assert clean_paragraphs(title, body) == ARTICLE_3


def test_inline_article_1_without_the_seed_file() -> None:
    body = ARTICLE_1_TITLE + "".join(ARTICLE_1)
    assert clean_paragraphs(ARTICLE_1_TITLE, body) == ARTICLE_1


def test_inline_article_3_without_the_seed_file() -> None:
    assert len(ARTICLE_3) == 25
    assert recover_paragraphs("".join(ARTICLE_3)) == ARTICLE_3


def test_title_glued_to_a_capital_is_removed() -> None:
    title = (
        "Стратегиялық серіктестер кеңесінің отырысында жоғары білімнің жаңа басымдықтары "
        "талқыланды"
    )
    body = (
        f"{title}Бүгін, 17 наурыз күні, мемлекеттік органдардың қатысуымен ҚР Ғылым және "
        "жоғары білім министрлігі Стратегиялық серіктестер кеңесінің IV отырысы өтті. "
        "Кездесуге вице-министр қатысты.Отырыс барысында шешімдерге шолу ұсынылды."
    )
    assert clean_paragraphs(title, body) == [
        "Бүгін, 17 наурыз күні, мемлекеттік органдардың қатысуымен ҚР Ғылым және жоғары білім "
        "министрлігі Стратегиялық серіктестер кеңесінің IV отырысы өтті. Кездесуге вице-министр "
        "қатысты.",
        "Отырыс барысында шешімдерге шолу ұсынылды.",
    ]


def test_title_glued_to_a_number_is_removed() -> None:
    body = f"{ARTICLE_1_TITLE}2026 жылғы 18 наурыз сағ.11:30Көкшетау қ."
    assert clean_paragraphs(ARTICLE_1_TITLE, body) == [
        "2026 жылғы 18 наурыз сағ.11:30",
        "Көкшетау қ.",
    ]


def test_body_without_the_title_keeps_every_paragraph() -> None:
    assert clean_paragraphs("Басқа тақырып", "Бір сөйлем.Екі сөйлем.") == [
        "Бір сөйлем.",
        "Екі сөйлем.",
    ]


def test_first_paragraph_equal_to_the_title_is_dropped() -> None:
    # "ß" casefolds to "ss", so the title is not found character by character at the start of
    # the body, but the first paragraph is still the title and must go.
    assert clean_paragraphs("Straße", "STRASSE\nText follows.") == ["Text follows."]


def test_body_that_is_only_the_title_gives_nothing() -> None:
    assert clean_paragraphs(ARTICLE_1_TITLE, ARTICLE_1_TITLE + ".") == []


# --- every rule, inline ---------------------------------------------------------------

SPLITS = [
    pytest.param(
        "сайлаушылардың 87,15%-ы жаңа Конституцияны қолдады.Жалпы 12 482 613 азамат дауыс "
        "беруге құқылы болды.",
        [
            "сайлаушылардың 87,15%-ы жаңа Конституцияны қолдады.",
            "Жалпы 12 482 613 азамат дауыс беруге құқылы болды.",
        ],
        id="glued-sentence-end",
    ),
    pytest.param(
        "898 099 адам қарсы дауыс берді. Тағы 146 558 бюллетень жарамсыз деп танылды.Комиссия "
        "шешті.",
        [
            "898 099 адам қарсы дауыс берді. Тағы 146 558 бюллетень жарамсыз деп танылды.",
            "Комиссия шешті.",
        ],
        id="spaced-sentence-end-is-not-a-break",
    ),
    pytest.param(
        "барлық қажетті жағдай жасалған», – деді ол.«Біз адамдардың отбасыларымен келетінін "
        "көрдік.",
        [
            "барлық қажетті жағдай жасалған», – деді ол.",
            "«Біз адамдардың отбасыларымен келетінін көрдік.",
        ],
        id="before-opening-guillemet",
    ),
    pytest.param(
        "Шанхай ынтымақтастық ұйымы (SCO)SCO-ның бас хатшысының орынбасары",
        ["Шанхай ынтымақтастық ұйымы (SCO)", "SCO-ның бас хатшысының орынбасары"],
        id="paren-SCO",
    ),
    pytest.param(
        "Парламенттік Ассамблеясы (TURKPA)TURKPA бас хатшысы",
        ["Парламенттік Ассамблеясы (TURKPA)", "TURKPA бас хатшысы"],
        id="paren-TURKPA",
    ),
    pytest.param(
        "жөніндегі конференция (CICA)CICA сарапшысы, елші",
        ["жөніндегі конференция (CICA)", "CICA сарапшысы, елші"],
        id="paren-CICA",
    ),
    pytest.param(
        "Түрік мемлекеттері ұйымы (OTS)Түрік мемлекеттері ұйымының (ТМҰ) Бас хатшысы",
        ["Түрік мемлекеттері ұйымы (OTS)", "Түрік мемлекеттері ұйымының (ТМҰ) Бас хатшысы"],
        id="paren-OTS",
    ),
    pytest.param(
        "Қазақстан халқы АссамблеясыКездесу барысында",
        ["Қазақстан халқы Ассамблеясы", "Кездесу барысында"],
        id="camel-glue",
    ),
    pytest.param(
        "18 наурыз сағ.11:30Көкшетау қ., Назарбаев даңғылы",
        ["18 наурыз сағ.11:30", "Көкшетау қ., Назарбаев даңғылы"],
        id="time-glue",
    ),
    pytest.param("Жеңдік!Келесі күні", ["Жеңдік!", "Келесі күні"], id="exclamation"),
    pytest.param("Солай ма?Иә, солай.", ["Солай ма?", "Иә, солай."], id="question"),
    pytest.param("Күттік…Ол келді.", ["Күттік…", "Ол келді."], id="ellipsis"),
    pytest.param("Ол келді.The end.", ["Ол келді.", "The end."], id="latin-capital"),
    pytest.param(
        "«Біз дайынбыз.»Келесі сөйлем.", ["«Біз дайынбыз.»", "Келесі сөйлем."], id="closing-quote"
    ),
    pytest.param(
        'Ол "Жарайды."Келесі сөйлем.',
        ['Ол "Жарайды."', "Келесі сөйлем."],
        id="straight-quote-closing",
    ),
    pytest.param(
        'Ол келді."Жарайды" деді.',
        ["Ол келді.", '"Жарайды" деді.'],
        id="straight-quote-opening",
    ),
    pytest.param("Бір\nЕкі\n\n\nҮш", ["Бір", "Екі", "Үш"], id="lines-are-paragraphs"),
    pytest.param(
        "Сайт: https://gov.kz/news. Толығырақ осында.Келесі жаңалық.",
        ["Сайт: https://gov.kz/news. Толығырақ осында.", "Келесі жаңалық."],
        id="url-then-glued-sentence",
    ),
    pytest.param(
        "Көзі: https://gov.kz/news.«Біз келдік.",
        ["Көзі: https://gov.kz/news.", "«Біз келдік."],
        id="opening-quote-after-url",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_lost_breaks_are_recovered(text: str, expected: list[str]) -> None:
    assert recover_paragraphs(text) == expected


NEVER_SPLIT = [
    pytest.param("Сайлаушылардың 87,15%-ы жаңа Конституцияны қолдады.", id="percentage-suffix"),
    pytest.param("Белсенділік 87,15% болды.", id="percentage"),
    pytest.param("Көрсеткіш 73.12 және 73,12% болды.", id="decimals"),
    pytest.param("Жалпы 12 482 613 азамат дауыс беруге құқылы болды.", id="grouped-number"),
    pytest.param("Төрағасы Байгабулов О. К. да шақырылды.", id="spaced-initials"),
    pytest.param("Төрағасы О.К.Байгабулов шақырылды.", id="glued-initials"),
    pytest.param("ҚР Қаржы вице-министрі келді.", id="ҚР"),
    pytest.param("Ұйымдар, кәсіпорындар т.б. Ведомстволар қатысты.", id="т.б.-capital"),
    pytest.param("Ұйымдар, кәсіпорындар т.б.Ведомстволар қатысты.", id="т.б.-glued-capital"),
    pytest.param("Мекемелер т.с.с.Ұйымдар.", id="т.с.с."),
    pytest.param("Ол 2026 ж.Наурызда өтті.", id="ж."),
    pytest.param("Көкшетау қ.Назарбаев даңғылы", id="қ."),
    pytest.param("Кездесу сағ.11:30 басталады.", id="сағ."),
    pytest.param("Кездесу сағ.Он бірде басталады.", id="сағ.-capital"),
    pytest.param("КазНУ им.Аль-Фараби қатысты.", id="им."),
    pytest.param("Встреча прошла в г.Астана.", id="г."),
    pytest.param("Several bodies, e.g.Ministry of Finance, came.", id="e.g."),
    pytest.param(
        "Ақпарат көзі : https://www.gov.kz/memleket/entities/sci/press/news/details/1183442?lang=kk",
        id="gov.kz-url",
    ),
    pytest.param("Толығырақ https://example.kz/News.Details/Item?Id=1 сайтында.", id="url-path"),
    pytest.param("Сайт www.gov.kz арқылы.", id="www"),
    pytest.param("Сайт www.Gov.Kz/Ақпарат.Бөлім арқылы.", id="www-mixed-case"),
    # A paragraph glued straight after a URL cannot be told from a Cyrillic path: kept whole.
    pytest.param("Көзі: https://gov.kz/a?lang=kazКелесі жаңалық.", id="cyrillic-after-url"),
    pytest.param("Көзі: https://kk.wikipedia.org/wiki/Қазақстан.Тарихы бөлімі", id="cyrillic-url"),
    pytest.param("Хат info@gov.kz поштасына.", id="email"),
    pytest.param("Хат Ivan.Petrov@gov.kz поштасына.", id="email-capitals"),
    pytest.param("Сайт KazakhstanToday.kz хабарлады.", id="domain"),
    pytest.param("АҚ ҚазМұнайГаз компаниясы.", id="cyrillic-camel-name"),
    pytest.param("KazMunayGas company.", id="latin-camel-name"),
    pytest.param("SCO-ның бас хатшысы және ТМҰ өкілі.", id="acronym-suffix"),
    pytest.param("Түрік мемлекеттері ұйымының (ТМҰ) Бас хатшысы", id="paren-then-space"),
    pytest.param("WhatsApp арқылы хабарласыңыз.", id="one-hump-brand"),
    pytest.param("Сағат 11:30 кейін келді.", id="time-then-space"),
    pytest.param("Admissions Insight Test (AIT) заманауи жүйе.", id="paren-lowercase"),
]


@pytest.mark.parametrize("text", NEVER_SPLIT)
def test_never_split(text: str) -> None:
    assert recover_paragraphs(text) == [text]


def test_paragraphs_are_normalised_and_stripped() -> None:
    assert recover_paragraphs("  Бір\u00a0 сөз.\r\n\r\n\r\n\u200bЕкі\t сөз.  ") == [
        "Бір сөз.",
        "Екі сөз.",
    ]


def test_empty_text_has_no_paragraphs() -> None:
    assert recover_paragraphs(" \n\n \u200b ") == []


# --- properties -----------------------------------------------------------------------

KK_LOWER = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
KK_UPPER = KK_LOWER.upper()

word = st.text(KK_LOWER, min_size=1, max_size=9)
cap_word = word.map(str.capitalize)
acronym = st.text(KK_UPPER + string.ascii_uppercase, min_size=2, max_size=5)
number = st.from_regex(r"[0-9]{1,3}( [0-9]{3}){0,2}|[0-9]{1,3},[0-9]{1,2}%(-ы)?", fullmatch=True)
extra = st.sampled_from(
    [",", "–", "т.б.", "ж.", "сағ.11:30", "«сөз»", '"сөз"', '"', "(ҚР)", "О. К.", "SCO-ның",
     "ҚазМұнайГаз"]
)
token = st.one_of(word, word, word, cap_word, acronym, number, extra)
sentence = st.builds(
    lambda first, rest, end: " ".join([first, *rest]) + end,
    st.one_of(cap_word, cap_word, st.sampled_from(["«Біз", '"Біз', "(SCO)", "SCO-ның"])),
    st.lists(token, max_size=8),
    # "" and ")" leave a sentence without a full stop, so the next one is camel-glued to it.
    st.sampled_from([".", ".", ".", "!", "?", "…", ".»", "»", ")", "", ", – деді ол."]),
)
# Sentences glued as in the dump, spaced as in print, or on their own lines.
glue = st.sampled_from(["", "", "", " ", " ", "\n", "\n\n", "\u00a0", " \t"])
kazakh_text = st.lists(st.tuples(sentence, glue), min_size=1, max_size=6).map(
    lambda pairs: "".join(s + g for s, g in pairs)
)
# Few characters, most of them ones the rules look at, so rules fire on random text too.
tricky_text = st.text(st.sampled_from(list("абқӘҚКLmz.!?…»«“”\")(:019 \n@/-%,т")), max_size=80)
any_text = st.one_of(kazakh_text, tricky_text, st.text(max_size=80))


@pytest.mark.parametrize(
    "text",
    [
        'Бір "екі.Үш."Төрт',  # a straight quote's parity is counted from the paragraph start
        "Сөз т.б.Келесі сөйлем.Тағы.",
        "Ол АссамблеясыКездесу.Келесі (SCO)SCO сағ.11:30Көкшетау",
    ],
)
def test_recover_paragraphs_is_idempotent_on_tricky_lines(text: str) -> None:
    paragraphs = recover_paragraphs(text)
    assert recover_paragraphs("\n\n".join(paragraphs)) == paragraphs


@settings(max_examples=200)
@given(any_text)
def test_recover_paragraphs_is_idempotent(text: str) -> None:
    paragraphs = recover_paragraphs(text)
    assert recover_paragraphs("\n\n".join(paragraphs)) == paragraphs
    assert recover_paragraphs("\n".join(paragraphs)) == paragraphs


@settings(max_examples=200)
@given(any_text)
def test_recover_paragraphs_loses_nothing(text: str) -> None:
    paragraphs = recover_paragraphs(text)
    assert squeeze("".join(paragraphs)) == squeeze(normalize(text))
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)


@settings(max_examples=150)
@given(
    title=st.lists(word, min_size=1, max_size=6).map(lambda ws: " ".join(ws).capitalize()),
    separator=st.sampled_from(["", " ", "\n", "\n\n", "\u00a0"]),
    rest=kazakh_text,
)
def test_clean_paragraphs_loses_only_the_title(title: str, separator: str, rest: str) -> None:
    def same(a: str, b: str) -> bool:
        return squeeze(a).rstrip(".").casefold() == squeeze(b).rstrip(".").casefold()

    # A first paragraph of the rest equal to the title is dropped on purpose.
    assume(not any(same(p, title) for p in recover_paragraphs(rest)[:1]))
    paragraphs = clean_paragraphs(title, title + separator + rest)
    assert squeeze("".join(paragraphs)) == squeeze(normalize(rest))


percentage = st.from_regex(r"[0-9]{1,3},[0-9]{1,2}%", fullmatch=True)
# Spaced ("О. К.") and glued ("О.К.Байгабулов") initials.
initials = st.from_regex(r"[А-ЯӘҒҚҢӨҰҮҺІ]\. ?[А-Я]\.([А-Я][а-я]{2,8})?", fullmatch=True)
url_label = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8)
url_segment = st.text(string.ascii_letters + string.digits + "-_.", min_size=1, max_size=10)
url = st.builds(
    lambda scheme, labels, tld, segments, query: (
        f"{scheme}{'.'.join(labels)}.{tld}/{'/'.join(segments)}{query}"
    ),
    st.sampled_from(["https://", "http://", "https://www.", "www."]),
    st.lists(url_label, min_size=1, max_size=3),
    st.sampled_from(["kz", "gov.kz", "ru", "com"]),
    st.lists(url_segment, max_size=4),
    st.sampled_from(["", "?lang=kk", "?id=1&Lang=Ru"]),
)
email = st.builds(
    lambda local, host: f"{local}@{host}.kz",
    st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,5}(\.[A-Z][a-z]{1,5})?", fullmatch=True),
    url_label,
)
camel_name = st.lists(cap_word, min_size=3, max_size=4).map("".join)
unsplittable = st.one_of(percentage, initials, url, email, camel_name, number)


@settings(max_examples=200)
@given(before=kazakh_text, item=unsplittable, after=kazakh_text)
def test_never_splits_inside_numbers_initials_urls(before: str, item: str, after: str) -> None:
    paragraphs = recover_paragraphs(f"{before} {item} {after}")
    assert any(item in p for p in paragraphs), (item, paragraphs)
