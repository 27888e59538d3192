"""``{% table_row row %}``: one django-tables2 body row as HTML, drawn in Python.

The stock template draws each cell with a loop and four template lookups
(``column.attrs.td.as_html``, ``column.localize`` twice, ``cell``); on a
50-row, 15-column page that was most of the page's CPU time. This tag writes
the same ``<tr><td ...>...</td></tr>`` markup, each cell from a per-column plan
made once per table (``dashboard.tables.cell_plans``), escaping and localising each
value exactly as ``{{ cell }}`` (or ``|localize`` / ``|unlocalize``) does."""

from django import template
from django.template.base import render_value_in_context
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from dashboard.tables import cell_plans
from dashboard.templatetags.numbers import is_number, num

register = template.Library()


@register.simple_tag(takes_context=True)
def table_row(context, row) -> str:
    cells = []
    for plan in cell_plans(row.table):
        cell, td = plan.cell(row)
        localise = plan.bound_column.localize
        if localise is None:
            value = render_value_in_context(cell, context)
        else:
            value = render_value_in_context(localize(cell, use_l10n=bool(localise)), context)
        cells.append(f"<td {td}>{value}</td>")
    return format_html("<tr {}>{}</tr>", row.attrs.as_html(), mark_safe("".join(cells)))  # noqa: S308 - cells escaped above


@register.simple_tag
def data_rows(rows) -> str:
    """A chart's data table body: ``<tr>`` per row, each cell as
    ``<td{% if cell|is_number %} class="num"{% endif %}>{{ cell|num }}</td>``
    would draw it. The adoption timeline has 363 to 1,280 rows; drawn by a
    template loop they cost about 50 ms of CPU, here a few. Repeated values
    (dates, platform names, counts) are formatted once."""
    drawn: dict[tuple[type, object], str] = {}
    out = []
    for row in rows:
        out.append("<tr>")
        for cell in row:
            key = (type(cell), cell)
            try:
                html = drawn[key]
            except KeyError:
                opening = '<td class="num">' if is_number(cell) else "<td>"
                html = drawn[key] = f"{opening}{conditional_escape(num(cell))}</td>"
            except TypeError:  # an unhashable cell
                opening = '<td class="num">' if is_number(cell) else "<td>"
                html = f"{opening}{conditional_escape(num(cell))}</td>"
            out.append(html)
        out.append("</tr>")
    return mark_safe("".join(out))  # noqa: S308 - every cell escaped above
