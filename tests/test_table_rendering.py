"""Tables draw the same markup as django-tables2's Bootstrap 5 template, with
each body row drawn by one tag and each callable's signature read once."""

import re

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.html import format_html

from dashboard.apps import memoise_table_signatures


class Sample(tables.Table):
    name = tables.Column(attrs={"td": {"class": lambda record: "big" if record["n"] > 10 else "small"}})
    n = tables.Column(localize=True)
    raw = tables.Column(localize=False)
    note = tables.Column()

    def render_note(self, value, record):
        return format_html("<em>{}</em> ({})", value, record["n"])


ROWS = [
    {"name": "<b>Sinopec</b>", "n": 12345, "raw": 6789.5, "note": "a & b"},
    {"name": "China Mobile", "n": 3, "raw": 1000, "note": "<script>"},
]


def _draw(template_name: str) -> str:
    table = Sample(ROWS, template_name=template_name)
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    tables.RequestConfig(request).configure(table)
    html = Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": request})
    )
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


@pytest.mark.parametrize("language", ["en-gb", "zh-hans"])
def test_lean_rows_draw_what_the_stock_template_draws(language, settings):
    from django.utils import translation

    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override(language):
        lean, stock = _draw("django_tables2/dashboard.html"), _draw("django_tables2/bootstrap5.html")
    assert lean == stock
    assert "&lt;b&gt;Sinopec&lt;/b&gt;" in lean and "&lt;script&gt;" in lean  # escaped as {{ cell }} does
    assert '<td class="big">' in lean and "<em>a &amp; b</em> (12345)" in lean


def test_signatures_are_read_once_per_function(monkeypatch):
    import inspect

    from django_tables2 import utils

    memoise_table_signatures()
    assert utils.signature.memoised
    calls = []
    real = inspect.signature
    monkeypatch.setattr(inspect, "signature", lambda fn, **kw: calls.append(fn) or real(fn, **kw))
    table = Sample(ROWS * 20)
    for row in table.rows:
        list(row.items())
    assert len(calls) <= 2  # render_note and the td class callable, once each
    assert utils.signature(Sample(ROWS).render_note) == (("value", "record"), None)  # self left out
