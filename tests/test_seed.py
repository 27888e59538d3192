"""The seed: the article's facts, each filed under the article as its source,
and a loader that can run any number of times."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from registry import seed
from registry.models import (
    Activity,
    ActivityKind,
    Cohort,
    DatePrecision,
    Organisation,
    Person,
    Platform,
    Position,
    PublishedFigure,
    Qualifier,
    Region,
    Source,
    Statement,
    StatementKind,
)

pytestmark = pytest.mark.django_db

ARTICLE = seed.ARTICLE_PATH.read_text(encoding="utf-8")
SASAC = "State-owned Assets Supervision and Administration Commission of the State Council"

# (speaker, role, organisation, words): written out here, not read from the seed.
QUOTES = [
    (
        "Lyu Dapeng",
        "spokesperson",
        "China Petrochemical Corporation",
        "The integrated development of traditional media and new media helps build a more efficient communication "
        "system, and helps maximize and optimize the publicity effect in the new era",
    ),
    (
        "Li Zhengmao",
        "general manager",
        "China Telecom Corp Ltd",
        "Early last year, construction, power and communications enterprises worked together to build emergency "
        "specialty hospitals in Wuhan",
    ),
    (
        "Li Zhengmao",
        "general manager",
        "China Telecom Corp Ltd",
        "By then, millions of people were keeping an eye on the construction site by watching a livestreaming session. "
        "The online interest was largely a result of the media revolution supported by technological innovation",
    ),
    (
        "Liu Yutong",
        "counselor of the Information Department",
        "Information Department, Ministry of Foreign Affairs",
        "Chinese enterprises should more actively tell their own stories, especially when they cooperate with foreign "
        "companies and expand businesses in the overseas market. In this case, more foreign consumers can learn about "
        "China in a more objective way.",
    ),
    (
        "Du Dong",
        "general manager",
        "Litang Culture Tourism and Sport Investment Development Co",
        "With the internet, boundaries of geographies and languages are no longer there. Companies need to lower their "
        "barriers of communications and prepare for a surge of interest by internet users",
    ),
    (
        "Xu Jingyun",
        "vice-president",
        "Kuaishou Technology",
        "Kuaishou will continue to make innovations in content and scenes, and explore more opportunities to help "
        "companies drive their business growth via short videos and livestreaming sessions. We would like to help "
        "State-owned enterprises explore new ways of communications",
    ),
]

POSITIONS = {
    ("Lyu Dapeng", "China Petrochemical Corporation", "spokesperson"),
    ("Li Zhengmao", "China Telecom Corp Ltd", "general manager"),
    ("Liu Yutong", "Information Department, Ministry of Foreign Affairs", "counselor"),
    ("Yu Guoming", "School of Journalism and Communication, Beijing Normal University", "professor"),
    ("Tamdrin", None, "tourism promoter for Sichuan"),
    ("Tamdrin", "Litang Culture Tourism and Sport Investment Development Co", "tourism promoter for Litang county"),
    ("Du Dong", "Litang Culture Tourism and Sport Investment Development Co", "general manager"),
    ("Jin Xuehua", "China Iron and Steel Research Institute Group", "communication director"),
    ("Jin Xuehua", "Shanyang County Government", "temporary deputy head of Shanyang county"),
    ("Xu Jingyun", "Kuaishou Technology", "vice-president"),
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _counts() -> dict[str, int]:
    """Rows in every registry table, history and many-to-many tables included."""
    models = apps.get_app_config("registry").get_models(include_auto_created=True)
    return {model._meta.label: model.objects.count() for model in models}


@pytest.fixture
def article():
    seed.load_seed()
    return Source.objects.get(title=seed.ARTICLE_TITLE)


def test_the_article_is_stored_whole_with_what_was_inferred_about_it(article):
    assert article.full_text == ARTICLE
    assert article.full_text.startswith("Major State-owned enterprises in China have made some new attempts")
    assert (article.kind, article.language, article.url, article.publisher) == ("news", "en", "", "")
    assert article.published_on == datetime.date(2021, 1, 1)
    assert article.published_precision == DatePrecision.YEAR
    assert "inferred" in article.notes and "last year" in article.notes


def test_second_load_writes_nothing(article):
    before = _counts()
    summary = seed.load_seed()
    assert _counts() == before  # history tables too: no row was saved again
    assert all(c["created"] == c["updated"] == c["relations updated"] == 0 for c in summary.values())
    assert summary["Statement"]["unchanged"] == 12


def test_load_restores_a_changed_value(article):
    Platform.objects.filter(slug="weibo").update(display_order=99)
    Statement.objects.get(quote__startswith="Kuaishou will continue").platforms.clear()
    summary = seed.load_seed()
    assert summary["Platform"]["updated"] == 1
    assert summary["Statement"]["relations updated"] == 1
    assert Platform.objects.get(slug="weibo").display_order == 20
    assert list(
        Statement.objects.get(quote__startswith="Kuaishou will continue").platforms.values_list("slug", flat=True)
    ) == ["kuaishou"]


@pytest.mark.parametrize(("speaker", "role", "organisation", "words"), QUOTES)
def test_each_quote_is_verbatim_and_filed_under_its_speaker(article, speaker, role, organisation, words):
    # The words open a quotation in the article and end at its closing mark
    # (a comma before the mark is the article's punctuation, not the speaker's).
    assert f"“{words}”" in ARTICLE or f"“{words},”" in ARTICLE
    statement = Statement.objects.get(quote=words)
    assert statement.kind == StatementKind.QUOTE
    assert statement.speaker.name_en == speaker
    assert statement.role == role
    assert statement.organisation.name_en == organisation
    assert statement.source == article
    assert (statement.stated_on, statement.stated_precision) == (datetime.date(2021, 1, 1), DatePrecision.YEAR)


def test_there_are_exactly_six_quotes_and_livestreaming_is_flagged(article):
    quotes = Statement.objects.quotes()
    assert quotes.count() == 6
    flagged = set(quotes.filter(mentions_livestreaming=True).values_list("speaker__name_en", flat=True))
    assert flagged == {"Li Zhengmao", "Xu Jingyun"}
    xu = quotes.get(speaker__name_en="Xu Jingyun")
    assert list(xu.platforms.values_list("slug", flat=True)) == ["kuaishou"]


def test_reported_speech_is_marked_paraphrase(article):
    paraphrases = Statement.objects.filter(kind=StatementKind.PARAPHRASE)
    speakers = {(s.speaker.name_en if s.speaker else None, s.organisation.name_en) for s in paraphrases}
    assert speakers == {
        (None, SASAC),
        (None, "China Petrochemical Corporation"),
        (None, "China Telecom Corp Ltd"),
        ("Yu Guoming", "School of Journalism and Communication, Beijing Normal University"),
        ("Du Dong", "Litang Culture Tourism and Sport Investment Development Co"),
        (None, "Kuaishou Technology"),
    }
    for statement in paraphrases:
        assert _flat(statement.quote) in _flat(ARTICLE), statement.quote  # the article's own words
    sasac = paraphrases.get(organisation__name_en=SASAC)
    assert set(sasac.platforms.values_list("slug", flat=True)) == {"wechat", "weibo", "douyin", "kuaishou"}
    sinopec = paraphrases.get(organisation__short_name="Sinopec")
    assert set(sinopec.platforms.values_list("slug", flat=True)) == {"weibo", "wechat"}
    assert sinopec.mentions_livestreaming
    assert paraphrases.get(organisation__short_name="Kuaishou").mentions_livestreaming
    assert not paraphrases.get(speaker__name_en="Yu Guoming").mentions_livestreaming


def test_the_eight_people_and_their_positions(article):
    people = dict(Person.objects.values_list("name_en", "name_zh"))
    assert set(people) == {
        "Lyu Dapeng",
        "Li Zhengmao",
        "Liu Yutong",
        "Yu Guoming",
        "Tamdrin",
        "Du Dong",
        "Jin Xuehua",
        "Xu Jingyun",
    }
    assert people["Tamdrin"] == "丁真"
    assert people["Lyu Dapeng"] == "吕大鹏"
    tamdrin = Person.objects.get(name_en="Tamdrin")
    assert "Ding Zhen" in tamdrin.alias_list
    assert "Garze Tibetan autonomous prefecture" in tamdrin.description
    found = {
        (p.person.name_en, p.organisation.name_en if p.organisation else None, p.title)
        for p in Position.objects.select_related("person", "organisation")
    }
    assert found == POSITIONS


def test_organisations_carry_what_the_article_and_reference_data_say(article):
    sinopec = Organisation.objects.get(name_en="China Petrochemical Corporation")
    assert (sinopec.short_name, sinopec.ownership, sinopec.sector) == ("Sinopec", "central_soe", "petrochemicals")
    assert {"Sinopec Group", "中国石化"} <= set(sinopec.alias_list)
    assert Organisation.objects.matching_name("中国石化").get() == sinopec
    litang_co = Organisation.objects.get(name_zh="理塘县文化旅游体育投资发展有限公司")
    assert (litang_co.ownership, litang_co.province, litang_co.city) == ("local_soe", "Sichuan", "Litang")
    assert Organisation.objects.get(name_en="Litang County").parent.name_en == "Garze Tibetan Autonomous Prefecture"
    assert Organisation.objects.get(name_en="Information Department, Ministry of Foreign Affairs").parent.name_zh == (
        "中华人民共和国外交部"
    )
    assert Organisation.objects.get(short_name="SASAC").kind == "regulator"
    assert not Organisation.objects.exclude(credit_code=None).exists()  # the article gives none
    assert not Organisation.objects.filter(is_demo=True).exists()


def test_platforms(article):
    domestic = list(Platform.objects.filter(is_main=True).values_list("slug", "display_order", "region"))
    assert domestic == [
        ("wechat", 10, Region.DOMESTIC),
        ("weibo", 20, Region.DOMESTIC),
        ("douyin", 30, Region.DOMESTIC),
        ("kuaishou", 40, Region.DOMESTIC),
        ("bilibili", 50, Region.DOMESTIC),
        ("toutiao", 60, Region.DOMESTIC),
        ("xiaohongshu", 70, Region.DOMESTIC),
        ("wechat-channels", 80, Region.DOMESTIC),
    ]
    overseas = set(Platform.objects.filter(is_main=False, region=Region.OVERSEAS).values_list("slug", flat=True))
    assert overseas == {"facebook", "x", "youtube", "linkedin", "tiktok"}
    operators = dict(Platform.objects.filter(operator__isnull=False).values_list("slug", "operator__short_name"))
    assert operators == {
        "wechat": "Tencent",
        "wechat-channels": "Tencent",
        "weibo": "Weibo",
        "douyin": "ByteDance",
        "toutiao": "ByteDance",
        "kuaishou": "Kuaishou",
    }
    assert Platform.objects.get(slug="x").name_en == "X (Twitter)"
    assert Platform.objects.get(slug="wechat-channels").name_zh == "视频号"


def test_the_top_500_cohort_has_no_members_from_the_seed(article):
    cohort = Cohort.objects.get(slug=seed.TOP_500_SLUG)
    assert (cohort.name, cohort.year, cohort.nominal_size, cohort.is_demo) == (
        "China Top 500 Enterprises 2020",
        2020,
        500,
        False,
    )
    assert "China Enterprise Confederation" in cohort.publisher
    assert "without naming" in cohort.description
    assert not cohort.memberships.exists()


def test_the_four_published_figures(article):
    figures = {
        f.platform.slug: f for f in PublishedFigure.objects.select_related("platform", "cohort", "attributed_to")
    }
    assert {slug: (f.comparator, f.value) for slug, f in figures.items()} == {
        "wechat": (Qualifier.MORE_THAN, 400),
        "weibo": (Qualifier.MORE_THAN, 200),
        "douyin": (Qualifier.SOME, None),
        "kuaishou": (Qualifier.SOME, None),
    }
    for figure in figures.values():
        assert figure.cohort.slug == seed.TOP_500_SLUG
        assert figure.attributed_to.name_en == SASAC
        assert (figure.as_of, figure.as_of_precision) == (datetime.date(2021, 1, 1), DatePrecision.YEAR)
        for part in figure.claim.split(" … "):
            assert part in ARTICLE
    assert figures["wechat"].value_display == "more than 400"


def test_activities(article):
    jin = Activity.objects.get(person__name_en="Jin Xuehua", kind=ActivityKind.LIVESTREAMING)
    assert (jin.count, jin.count_qualifier, jin.count_display) == (140, Qualifier.MORE_THAN, "more than 140")
    assert "agricultural products" in jin.description
    assert Activity.objects.filter(person__name_en="Jin Xuehua", kind=ActivityKind.SECONDMENT).exists()
    hired = Activity.objects.get(person__name_en="Tamdrin", kind=ActivityKind.APPOINTMENT)
    assert hired.organisation.name_en == "Litang Culture Tourism and Sport Investment Development Co"
    assert Activity.objects.filter(person__name_en="Tamdrin", kind=ActivityKind.SHORT_VIDEO).exists()
    sinopec = Activity.objects.get(organisation__short_name="Sinopec")
    assert set(sinopec.platforms.values_list("slug", flat=True)) == {"weibo", "wechat"}
    assert sinopec.start_date == datetime.date(2020, 1, 1)
    wuhan = Activity.objects.get(organisation__short_name="China Telecom")
    assert "millions of people" in wuhan.description and wuhan.count is None


def test_every_fact_links_to_the_article(article):
    for model in (Statement, Activity, PublishedFigure, Position):
        assert model.objects.exists()
        assert not model.objects.exclude(source=article).exists(), model.__name__
    assert Statement.objects.count() == 12
    assert Activity.objects.count() == 7
    assert Source.objects.count() == 1


def test_load_seed_command_prints_the_summary():
    out = io.StringIO()
    call_command("load_seed", stdout=out)
    assert "Statement: 12 created" in out.getvalue()
    out = io.StringIO()
    call_command("load_seed", stdout=out)
    assert "Seed loaded: 0 created, 0 updated." in out.getvalue()
