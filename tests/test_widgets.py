"""The filter forms' widgets drawn in Python (dashboard.widgets.LeanRenderer)
are the same strings Django's widget templates draw, in every state a page
shows them in, in both languages; anything else still goes to the templates."""

import datetime
from unittest import mock

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.utils import translation

from dashboard.filters import CompanyFilter, ScopeFilter, SourceFilter, StatementFilter
from dashboard.views.indices import IndexForm
from dashboard.widgets import LEAN_RENDERER, LeanForm
from tests.factories import make_cohort, make_org, make_platform

STOCK = DjangoTemplates()


def _both(form, templates_used: list | None = None) -> list[tuple[str, str, str]]:
    """(field, lean, stock) for every field of ``form``; the templates the lean
    renderer still asked Django for are added to ``templates_used``."""
    drawn = []
    for name in form.fields:
        form.renderer = LEAN_RENDERER
        with mock.patch.object(DjangoTemplates, "render", autospec=True, side_effect=DjangoTemplates.render) as stock:
            lean = str(form[name])
        if templates_used is not None:
            templates_used.extend(call.args[1] for call in stock.call_args_list)
        form.renderer = STOCK
        stock = str(form[name])
        drawn.append((name, lean, stock))
    return drawn


@pytest.fixture
def rows(db):
    cohorts = (
        make_cohort("China Top 500 <2024> & co", year=2024, slug="top-2024"),
        make_cohort("China Top 500 Enterprises 2020", year=2020, slug="top-2020", name_zh="中国企业500强 2020"),
    )
    platforms = (
        make_platform("wechat", is_main=True, display_order=1),
        make_platform("weibo", name='Weibo "quoted"', is_main=True, display_order=2),
        make_platform("douyin", display_order=3),
    )
    return cohorts, platforms


QUERIES = [
    "",
    "cohort=top-2024",
    "cohort=&as_of=2019-06-30&sector=energy&sector=finance&province=Guangdong&ownership=soe&platform=weibo",
    "cohort=nope&as_of=not-a-date&sector=bogus",  # invalid: the form redraws what was sent
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("query", QUERIES)
def test_scope_filter_widgets_match_djangos_templates(rows, language, query):
    cohorts, platforms = rows
    with translation.override(language):
        filterset = ScopeFilter(QueryDict(query), cohorts=cohorts, platforms=platforms)
        filterset.form.is_valid()
        templates_used = []
        drawn = _both(filterset.form, templates_used)
    assert templates_used == []  # every widget of the shared filters drawn in Python
    assert {name for name, _, _ in drawn} == {"cohort", "as_of", "ownership", "sector", "province", "platform"}
    for name, lean, stock in drawn:
        assert lean == stock, name
    assert "&lt;2024&gt; &amp; co" in dict((n, lean) for n, lean, _ in drawn)["cohort"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "query", ["", "q=<script>&cohort=top-2020&ownership=private&ownership=soe&as_of=2020-01-01", "as_of=x"]
)
def test_list_filter_widgets_match_djangos_templates(rows, language, query):
    make_org("Sinopec")
    with translation.override(language):
        for filterset in (
            CompanyFilter(QueryDict(query)),
            StatementFilter(QueryDict(query)),
            SourceFilter(QueryDict(query)),
            IndexForm(QueryDict(query), cohorts=rows[0]),
        ):
            form = filterset if isinstance(filterset, forms.Form) else filterset.form
            form.is_valid()
            for name, lean, stock in _both(form):
                assert lean == stock, (type(filterset).__name__, name)


def test_unbound_and_other_widgets_fall_back_to_the_templates(db):
    class Sample(LeanForm):
        text = forms.CharField(initial='a "b" <c>', widget=forms.TextInput(attrs={"placeholder": "中文", "x": True}))
        count = forms.IntegerField(initial=1234)
        when = forms.DateField(initial=datetime.date(2024, 5, 1), widget=forms.DateInput(attrs={"type": "date"}))
        radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, initial="b")
        grouped = forms.ChoiceField(choices=[("Group", [("1", 1), ("2", "two")]), ("3", "three")])
        note = forms.CharField(widget=forms.Textarea, initial="x")

    form = Sample()
    templates_used = []
    for name, lean, stock in _both(form, templates_used):
        assert lean == stock, name
    assert sorted(set(templates_used)) == [
        "django/forms/widgets/select.html",  # an option label that is a number: localised by the templates
        "django/forms/widgets/textarea.html",
    ]
