"""registry/statements/service.py: matching names to people and organisations (English
and Chinese names), duplicates, topics, saving reviewed statements and published figures."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import models as m
from registry.statements.service import (
    ArticleData,
    ReviewedFigure,
    ReviewedStatement,
    as_of_of,
    figure_value,
    find_duplicates,
    match_cohort,
    match_names,
    parse_topic_names,
    platform_rows_for,
    save_reviewed,
    topics_for,
)
from tests.factories import make_cohort, make_org, make_person, make_platform, make_source, make_statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry_people():
    return {
        "lyu": make_person("Lyu Dapeng", name_zh="吕大鹏", aliases="Lü Dapeng\nLv Dapeng"),
        "li": make_person("Li Zhengmao", name_zh="李正茂"),
        "smith": make_person("Anna Smith"),
        "sinopec": make_org(
            "China Petrochemical Corporation",
            name_zh="中国石油化工集团有限公司",
            short_name="Sinopec",
            aliases="Sinopec Group\n中国石化",
        ),
        "telecom": make_org("China Telecom Corp Ltd", short_name="China Telecom"),
    }


@pytest.mark.parametrize(
    "name", ["Lyu Dapeng", "lyu dapeng", "LYU  DAPENG", "吕大鹏", "Lü Dapeng", "Lv Dapeng", "Ｌｙｕ Ｄａｐｅｎｇ"]
)
def test_people_match_on_name_chinese_name_aliases_case_and_nfkc(registry_people, name):
    match = match_names([name], []).person(name)
    assert match.existing == registry_people["lyu"]
    assert not match.creates


@pytest.mark.parametrize(
    "name",
    [
        "Sinopec",
        "sinopec group",
        "中国石化",
        "China Petrochemical Corporation",
        "中国石油化工集团有限公司",
        "CHINA PETROCHEMICAL CORPORATION",
    ],
)
def test_organisations_match_on_every_name(registry_people, name):
    assert match_names([], [name]).organisation(name).existing == registry_people["sinopec"]


def test_a_bare_surname_matches_only_when_unambiguous(registry_people):
    matches = match_names(["Smith", "Lyu", "Wang"], [])
    assert matches.person("Smith").existing == registry_people["smith"]
    assert matches.person("Smith").by_surname
    assert matches.person("Lyu").existing == registry_people["lyu"]
    make_person("Lyu Wei")
    ambiguous = match_names(["Lyu"], []).person("Lyu")
    assert ambiguous.existing is None and len(ambiguous.ambiguous) == 2 and ambiguous.creates
    assert match_names(["Wang"], []).person("Wang").creates


def test_unknown_names_are_proposals_to_create(registry_people):
    matches = match_names(["Du Dong"], ["Litang Culture Tourism and Sport Investment Development Co"])
    assert matches.person("Du Dong").creates
    assert matches.organisation("Litang Culture Tourism and Sport Investment Development Co").creates
    # A name that only contains a known one is not a match.
    assert match_names(["Li Zheng"], []).person("Li Zheng").creates


def test_matching_costs_two_queries_whatever_the_registry_size(registry_people):
    names = ["Lyu Dapeng", "Li", "Du Dong", "吕大鹏"]
    orgs = ["Sinopec", "China Telecom", "Ministry of Foreign Affairs"]
    with CaptureQueriesContext(connection) as small:
        match_names(names, orgs)
    for i in range(40):
        make_person(f"Li Person {i}", aliases=f"Lyu {i}")
        make_org(f"China Telecom Branch {i}")
    with CaptureQueriesContext(connection) as large:
        matches = match_names(names, orgs)
    assert len(small) == len(large) == 2  # people, organisations
    assert matches.person("Lyu Dapeng").existing == registry_people["lyu"]
    assert matches.organisation("China Telecom").existing == registry_people["telecom"]
    with CaptureQueriesContext(connection) as none:
        match_names([], [])
    assert len(none) == 0


def test_find_duplicates_is_one_query_by_quote_key(registry_people):
    statement = make_statement("We talk to the public, every day.", speaker=registry_people["lyu"])
    with CaptureQueriesContext(connection) as ctx:
        found = find_duplicates(["we talk to the public every day", "Something else"])
    assert len(ctx) == 1
    assert [s.pk for rows in found.values() for s in rows] == [statement.pk]


def test_platform_slugs_map_to_rows_and_topics_parse():
    wechat, x = make_platform("wechat", "WeChat"), make_platform("x", "X (Twitter)")
    rows = platform_rows_for(["wechat", "livestreaming", "twitter", "short-video"], {"wechat": wechat, "x": x})
    assert rows == [wechat, x]
    assert parse_topic_names(" Livestreaming, new media ,livestreaming,, Crisis  PR") == [
        "Livestreaming",
        "new media",
        "Crisis PR",
    ]


def test_new_topics_get_a_slug_in_any_script():
    (topic,) = topics_for(["直播带货"])
    assert topic.slug == "直播带货" and topic.name == "直播带货"
    assert topics_for(["直播带货"]) == [topic]


def _article(**extra):
    return ArticleData(
        text="An article about new media. " * 3,
        title="An article",
        url="https://e.example/a",
        published_on=datetime.date(2021, 2, 3),
        **extra,
    )


def test_save_reviewed_creates_what_is_needed_in_one_go(registry_people):
    make_platform("weibo", "Weibo")
    m.Topic.objects.create(name="Crisis PR", slug="crisis-pr")
    result = save_reviewed(
        _article(),
        [
            ReviewedStatement(
                quote="We post on Weibo daily.",
                kind="quote",
                speaker="吕大鹏",
                role="spokesperson",
                organisation="Sinopec",
                platforms=["weibo", "livestreaming"],
                mentions_livestreaming=True,
                topics=["crisis pr", "Weibo strategy"],
            ),
            ReviewedStatement(
                quote="the company would explore new channels",
                kind="paraphrase",
                speaker="",
                organisation="Hengxing Auto Co",
            ),
            ReviewedStatement(
                quote="We will open more accounts",
                kind="quote",
                speaker="Du Dong",
                role="general manager",
                organisation="Hengxing Auto Co",
            ),
        ],
    )
    assert result.source_created and result.source.full_text.startswith("An article")
    assert len(result.statements) == 3
    first, org_speaks, new_person = result.statements
    assert first.speaker == registry_people["lyu"] and first.organisation == registry_people["sinopec"]
    assert first.stated_on == datetime.date(2021, 2, 3)
    assert list(first.platforms.values_list("slug", flat=True)) == ["weibo"] and first.mentions_livestreaming
    assert sorted(first.topics.values_list("name", flat=True)) == ["Crisis PR", "Weibo strategy"]
    assert [t.name for t in result.topics] == ["Weibo strategy"]
    assert org_speaks.speaker is None and org_speaks.organisation.name_en == "Hengxing Auto Co"
    assert new_person.organisation == org_speaks.organisation  # created once, used twice
    assert [p.name_en for p in result.people] == ["Du Dong"]
    assert [o.name_en for o in result.organisations] == ["Hengxing Auto Co"]
    assert {(p.person.name_en, p.title) for p in result.positions} == {
        ("Lyu Dapeng", "spokesperson"),
        ("Du Dong", "general manager"),
    }
    assert "Saved 3 statements" in result.summary() and "Du Dong" in result.summary()


def test_known_role_adds_no_position_and_duplicates_are_skipped(registry_people):
    m.Position.objects.create(
        person=registry_people["li"], organisation=registry_people["telecom"], title="general manager"
    )
    old = make_statement(
        "Early last year, we built hospitals.", speaker=registry_people["li"], source=make_source("Earlier")
    )
    result = save_reviewed(
        _article(),
        [
            ReviewedStatement(
                quote="Early last year, we built hospitals",
                kind="quote",
                speaker="Li Zhengmao",
                role="general manager",
                organisation="China Telecom",
            ),
            ReviewedStatement(
                quote="Something new",
                kind="quote",
                speaker="Li Zhengmao",
                role="general manager",
                organisation="China Telecom",
            ),
        ],
    )
    assert [s.quote for s in result.statements] == ["Something new"]
    assert result.duplicates[0][1] == old
    assert result.positions == []
    assert m.Statement.objects.filter(quote_key=old.quote_key).count() == 1


def test_nothing_new_writes_nothing(registry_people):
    make_statement("Said before", speaker=registry_people["li"])
    sources = m.Source.objects.count()
    result = save_reviewed(
        _article(),
        [ReviewedStatement(quote="said before.", kind="quote", speaker="Li Zhengmao", organisation="Brand New Org")],
    )
    assert result.statements == [] and len(result.duplicates) == 1
    assert m.Source.objects.count() == sources
    assert not m.Organisation.objects.filter(name_en="Brand New Org").exists()


# --------------------------------------------------------------------------- Chinese names


def test_chinese_names_short_names_and_aliases_match_with_two_queries(django_assert_num_queries):
    person = make_person("Lyu Dapeng", name_zh="吕大鹏", aliases="呂大鵬")
    sinopec = make_org(
        "China Petrochemical Corporation", name_zh="中国石油化工集团有限公司", short_name="中国石化", aliases="中石化"
    )

    with django_assert_num_queries(2):  # people, organisations
        matches = match_names(["吕大鹏", "呂大鵬"], ["中国石化", "中石化", "中国石油化工集团有限公司"])

    assert matches.person("吕大鹏").existing == person and matches.person("呂大鵬").existing == person
    assert {matches.organisation(n).existing for n in ("中国石化", "中石化", "中国石油化工集团有限公司")} == {sinopec}


# --------------------------------------------------------------------------- published figures


def test_a_population_is_matched_to_the_cohort_it_names():
    top500 = make_cohort("China Top 500 Enterprises 2020", year=2020, nominal_size=500, slug="china-top-500-2020")
    soes = make_cohort("Central SOEs 2023", year=2023, nominal_size=98, slug="central-soes-2023")
    cohorts = [top500, soes]

    assert match_cohort("China's top 500 companies", cohorts) == top500
    assert match_cohort("中国企业500强", cohorts) == top500
    assert match_cohort("centrally administered SOEs", cohorts) == soes
    assert match_cohort("中央企业", cohorts) == soes
    assert match_cohort("county-level governments in the province", cohorts) is None
    assert match_cohort(None, cohorts) is None


def test_dates_of_proposals_and_shares_turned_into_counts():
    published = datetime.date(2024, 5, 2)
    assert as_of_of("2023", published) == (datetime.date(2023, 1, 1), m.DatePrecision.YEAR)
    assert as_of_of("2024-06", published) == (datetime.date(2024, 6, 1), m.DatePrecision.MONTH)
    assert as_of_of(None, published) == (published, m.DatePrecision.DAY)
    soes = m.Cohort(name="Central SOEs", year=2023, nominal_size=98)
    assert figure_value(ReviewedFigure("claim", "about", 50, published, cohort=soes, unit="percent")) == 49
    assert figure_value(ReviewedFigure("claim", "more_than", 400, published)) == 400
    assert figure_value(ReviewedFigure("claim", "about", 50, published, unit="percent")) is None


def test_saving_figures_with_their_source_and_not_twice():
    wechat = make_platform("wechat", "WeChat")
    cohort = make_cohort("China Top 500 Enterprises 2020", year=2020, nominal_size=500)
    article = ArticleData(text="Article text " * 5, title="Figures", url="https://example.com/figures")
    figure = ReviewedFigure(
        "more than 400 of China's top 500 companies",
        "more_than",
        400,
        datetime.date(2021, 1, 1),
        m.DatePrecision.YEAR,
        cohort=cohort,
        platform=wechat,
    )

    first = save_reviewed(article, [], [figure])
    again = save_reviewed(article, [], [figure])

    saved = m.PublishedFigure.objects.get()
    assert first.figures == [saved] and first.source_created
    assert (saved.source.url, saved.platform, saved.cohort, saved.value) == (article.url, wechat, cohort, 400)
    assert again.figures == [] and len(again.figure_duplicates) == 1 and not again.saved_anything
    assert "Saved 1 published figure." in first.summary()
