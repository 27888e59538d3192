import datetime

import pytest
from django.urls import reverse

from tests.factories import add_member, make_account, make_cohort_with_adoption, make_org, viewer

URL = reverse("dashboard:overview")


@pytest.fixture
def client_viewer(client, db):
    client.force_login(viewer())
    return client


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_user_without_role_is_forbidden(client, django_user_model, db):
    client.force_login(django_user_model.objects.create_user("nobody", password="a-long-test-password"))
    assert client.get(URL).status_code == 403


def test_headline_counts_come_from_live_data(client_viewer):
    cohort, platforms = make_cohort_with_adoption(members=10, wechat=8, weibo=4)
    response = client_viewer.get(URL, {"cohort": cohort.slug})
    assert response.status_code == 200
    cards = {card["row"].slug: card for card in response.context["cards"]}
    assert cards["wechat"]["row"].adopters == 8 and cards["wechat"]["headline"] == "8"
    assert cards["weibo"]["row"].adopters == 4
    assert "80%" in response.content.decode()


def test_as_of_date_changes_the_counts(client_viewer):
    cohort, platforms = make_cohort_with_adoption(members=5, wechat=5, weibo=0, as_of_open=datetime.date(2018, 1, 1))
    early = client_viewer.get(URL, {"cohort": cohort.slug, "as_of": "2017-12-31"})
    late = client_viewer.get(URL, {"cohort": cohort.slug, "as_of": "2018-01-01"})
    assert early.context["cards"][0]["row"].adopters == 0
    assert late.context["cards"][0]["row"].adopters == 5


@pytest.mark.parametrize(
    "params", [{"as_of": "2021-13-45"}, {"cohort": "no-such-cohort"}, {"platform": "myspace"}, {"as_of": "1800-01-01"}]
)
def test_bad_filters_give_400_with_a_message(client_viewer, params):
    make_cohort_with_adoption(members=1, wechat=1, weibo=0)
    response = client_viewer.get(URL, params)
    assert response.status_code == 400
    assert b"These filters can&#x27;t be used" in response.content or b"can't be used" in response.content


def test_empty_database_says_what_to_do(client_viewer):
    response = client_viewer.get(URL)
    assert response.status_code == 200
    assert b"No organisations in this view" in response.content


def test_query_count_does_not_grow_with_companies(client_viewer, django_assert_num_queries):
    cohort, platforms = make_cohort_with_adoption(members=3, wechat=2, weibo=1)
    client_viewer.get(URL, {"cohort": cohort.slug})  # warm the session cache

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from registry.signals import bump_data_version

        bump_data_version()  # chart data is cached per data version: measure a cold cache
        with CaptureQueriesContext(connection) as ctx:
            assert client_viewer.get(URL, {"cohort": cohort.slug}).status_code == 200
        return len(ctx)

    small = count_queries()
    for i in range(40):
        org = make_org()
        add_member(cohort, org, rank=100 + i)
        make_account(org, platforms["wechat"])
        make_account(org, platforms["weibo"])
    assert count_queries() == small
    # user, user permissions, group permissions, cohorts, platforms, cohort size,
    # adoption per platform, cumulative timeline, demo banner
    assert small == 9


def test_headline_cards_in_chinese_say_yu_jia_with_the_exact_count_and_share(client_viewer, django_assert_num_queries):
    from django.utils import translation

    from registry.signals import bump_data_version

    cohort, platforms = make_cohort_with_adoption(members=150, wechat=124, weibo=100)
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    client_viewer.get(URL, {"cohort": cohort.slug}, **zh)  # warm the session cache
    bump_data_version()
    # As in English: user, user permissions, group permissions, cohorts, platforms, cohort size,
    # adoption per platform, cumulative timeline, demo banner
    with django_assert_num_queries(9):
        response = client_viewer.get(URL, {"cohort": cohort.slug}, **zh)
    translation.deactivate()  # the middleware left Chinese active in this thread
    html = response.content.decode()
    assert '<span class="big">100余家</span> （共150家）' in html
    assert "准确数为124家，占" in html and "的83%" in html
    assert '<span class="big">100家</span>' in html  # Weibo: exactly 100
