"""``{% chart_template %}``: the house plotly template, once per page, for
``static/dashboard/charts.js`` to merge into every figure it draws."""

from functools import cache

from django import template
from django.utils.html import json_script

from dashboard.charts import TEMPLATE

register = template.Library()

TEMPLATE_ELEMENT_ID = "chart-template"


@cache
def _template_script() -> str:
    # The template is a constant: serialised once per process, not per page.
    return json_script(TEMPLATE, TEMPLATE_ELEMENT_ID)


@register.simple_tag
def chart_template() -> str:
    return _template_script()
