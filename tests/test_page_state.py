"""Pages say what they show: filter controls hold the state the page used
(also a default), numbers have one format per language everywhere, and the
browser's /favicon.ico is served by the app."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from registry.formatting import format_number
from tests.factories import (
    add_member,
    make_account,
    make_cohort,
    make_cohort_with_adoption,
    make_metric,
    make_org,
    make_platform,
    viewer,
)

D = datetime.date
TODAY = datetime.datetime(2024, 6, 15, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def client_viewer(client, db):
    client.force_login(viewer())
    return client


def _form_values(html: str) -> dict[str, str]:
    """What a browser submits for a GET form: each select's chosen option and
    each input's value (unchecked boxes send nothing)."""
    form = html.split('<form method="get"', 1)[1].split("</form>", 1)[0]
    values = {}
    for name, attributes, options in re.findall(r'<select name="(\w+)"([^>]*)>(.*?)</select>', form, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', options)
        if "multiple" in attributes:
            if chosen:
                values[name] = chosen
            continue
        values[name] = chosen[0] if chosen else re.search(r'<option value="([^"]*)"', options).group(1)
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="(\w+)"', tag)
        kind = re.search(r'type="(\w+)"', tag)
        if name and (not kind or kind.group(1) not in ("checkbox", "radio", "hidden", "submit")):
            value = re.search(r'value="([^"]*)"', tag)
            values[name.group(1)] = value.group(1) if value else ""
    return values


# --------------------------------------------------------------------------- filter state


@pytest.fixture
def two_lists(db):
    """A real 2020 list whose members have WeChat snapshots in May 2024, and a
    newer synthetic demo list; the real list is the default."""
    real = make_cohort("China Top 500 Enterprises 2020", year=2020, slug="top-2020")
    make_cohort("Demo list 2021", year=2021, slug="demo-2021", is_demo=True)
    wechat = make_platform("wechat", "WeChat")
    for rank in (1, 2):
        org = make_org()
        add_member(real, org, rank=rank)
        account = make_account(org, wechat)
        for day in range(10):
            make_metric(account, D(2024, 5, 1) + datetime.timedelta(days=day), posts=1, reads=100 * rank)
    outsider = make_account(make_org(), wechat)
    make_metric(outsider, D(2024, 5, 20), posts=9, reads=99_999)
    return real


@time_machine.travel(TODAY, tick=False)
def test_indices_page_shows_the_default_cohort_and_period_it_ranks(client_viewer, two_lists):
    url = reverse("dashboard:indices")
    response = client_viewer.get(url)
    assert response.context["cohort"] == two_lists
    values = _form_values(response.content.decode())
    # The controls show what the page ranked: the default list and the period it chose.
    assert values == {"platform": "wechat", "cohort": "top-2020", "start": "2024-04-11", "end": "2024-05-10"}
    ranked = [row["account"] for row in response.context["table"].data]
    assert len(ranked) == 2
    # Pressing Apply unchanged shows the same ranking (not all companies).
    again = client_viewer.get(url, values)
    assert again.context["cohort"] == two_lists
    assert [row["account"] for row in again.context["table"].data] == ranked
    # Choosing "All companies" is still possible, and then shown.
    everyone = client_viewer.get(url, {"cohort": ""})
    assert everyone.context["cohort"] is None
    assert _form_values(everyone.content.decode())["cohort"] == ""
    assert len(everyone.context["table"].data) == 3


@time_machine.travel(TODAY, tick=False)
def test_overview_date_field_shows_the_date_the_page_used(client_viewer, db):
    cohort, _ = make_cohort_with_adoption(members=3, wechat=2, weibo=1)
    response = client_viewer.get(reverse("dashboard:overview"), {"cohort": cohort.slug})
    html = response.content.decode()
    values = _form_values(html)
    assert values["as_of"] == "2024-06-15" and values["cohort"] == cohort.slug
    # No platform chosen: the page counts the main platforms, and shows them ticked.
    ticked = re.findall(r'<input type="checkbox" name="platform" value="([-\w]+)"[^>]*checked', html)
    assert ticked == ["wechat", "weibo"]
    # Downloads and links still follow today, not a pinned date.
    assert "as_of" not in response.context["scope"].querystring()
    again = client_viewer.get(reverse("dashboard:overview"), values)
    assert [c["row"] for c in again.context["cards"]] == [c["row"] for c in response.context["cards"]]


@time_machine.travel(TODAY, tick=False)
def test_companies_page_shows_its_date_and_what_it_lists(client_viewer, db):
    cohort, _ = make_cohort_with_adoption(members=3, wechat=2, weibo=1)
    make_org("Not On Any List")
    response = client_viewer.get(reverse("dashboard:company_list"))
    html = response.content.decode()
    assert _form_values(html)["as_of"] == "2024-06-15"
    assert "every company in the registry that matches the filters" in html
    assert ">Rank<" not in html  # no list chosen: no rank column
    listed = client_viewer.get(reverse("dashboard:company_list"), {"cohort": cohort.slug}).content.decode()
    assert f"the companies in {cohort} that match the filters" in listed
    assert ">Rank</a>" in listed


def test_platforms_page_says_it_counts_every_organisation(client_viewer, db):
    make_cohort_with_adoption(members=3, wechat=2, weibo=1)
    html = client_viewer.get(reverse("dashboard:platform_list")).content.decode()
    assert "counts every organisation in the registry" in html
    assert "count one list (cohort) at a time" in html


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        (998571, None, "998,571"),
        (28540.0, None, "28,540"),
        (28540.5, None, "28,540.5"),
        (1108.754, None, "1,108.75"),
        (1108.7, 2, "1,108.70"),
        (Decimal("41156.00"), None, "41,156"),
        (0, None, "0"),
        (None, None, ""),
        ("", None, ""),
        ("2021-05-01", None, "2021-05-01"),
        (True, None, "True"),
    ],
)
def test_one_number_format(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_the_number_format_follows_the_language():
    with translation.override("zh-hans"):
        # Commas every three digits, as Chinese yearbooks and annual reports
        # write them (Django's zh-Hans format file would print 1234567.5).
        assert format_number(1234567.5) == "1,234,567.5"
    with translation.override("de"):
        assert format_number(1234567.5) == "1.234.567,5"


def test_the_template_filter_is_the_same_format():
    template = Template("{% load numbers %}{{ a|num }} {{ b|num }} {{ c|num:2 }}")
    assert template.render(Context({"a": 28540.0, "b": 41156, "c": 998.1})) == "28,540 41,156 998.10"


def test_chart_data_tables_use_the_number_format(client_viewer, db):
    cohort, platforms = make_cohort_with_adoption(members=4, wechat=4, weibo=0)
    for i, account in enumerate(platforms["wechat"].accounts.order_by("id")):
        make_metric(account, D(2020, 1, 1), followers=[1000, 2000, 40_000, 1_000_000][i])
    response = client_viewer.get(reverse("dashboard:chart", args=["follower-distribution"]), {"cohort": cohort.slug})
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    # Fewest 1,000; median (2,000 + 40,000) / 2 = 21,000 (a float); most 1,000,000.
    assert '<td class="num">1,000</td><td class="num">21,000</td><td class="num">1,000,000</td>' in body
    assert ".0<" not in body


def test_index_tables_use_the_number_format(client_viewer, two_lists):
    response = client_viewer.get(reverse("dashboard:indices"), {"start": "2024-05-01", "end": "2024-05-10"})
    html = response.content.decode()
    assert re.search(r'<td class="num">\d{1,3}(,\d{3})*\.\d\d</td>', html)  # the index, two decimals
    assert '<td class="num">2,000</td>' in html  # 10 days x 200 reads


# --------------------------------------------------------------------------- favicon


def test_favicon_is_served_without_a_login(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/vnd.microsoft.icon", "image/x-icon")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
