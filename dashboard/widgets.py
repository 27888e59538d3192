"""A form renderer that writes the dashboard's filter widgets in Python.

Django draws a widget through templates: a ``<select>`` of 34 provinces is one
template render for the select and one include per ``<option>`` (plus one per
option for its attributes). On a chart page the filter form's cohort, sector,
province, ownership and platform fields are about a hundred such includes,
half of a warm page's CPU time (docs/PERFORMANCE.md).

``LeanRenderer`` writes the markup of Django's own widget templates
(``select.html``, ``select_option.html``, ``multiple_input.html``,
``input_option.html``, ``input.html``, ``attrs.html``) directly, escaping
every value as ``{{ }}`` does, and hands anything else (another template, a
label or value that is not text) to Django's templates. The output is the same
string, checked against Django's rendering in ``tests/test_widgets.py``.
Forms opt in with ``default_renderer = LeanRenderer()`` (see ``LeanForm``)."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"
# Widgets whose template is only ``{% include "django/forms/widgets/input.html" %}``.
SINGLE_INPUTS = frozenset(
    WIDGETS + f"{name}.html" for name in ("text", "date", "number", "email", "url", "hidden", "password", "search")
)
SELECTS = frozenset({WIDGETS + "select.html"})
MULTIPLE_INPUTS = frozenset({WIDGETS + "checkbox_select.html", WIDGETS + "radio.html"})
# An option's template and what it adds after ``input_option.html``'s output: the
# checkbox and radio templates include it and end with a newline of their own.
OPTIONS = {
    WIDGETS + "checkbox_option.html": "\n",
    WIDGETS + "radio_option.html": "\n",
    WIDGETS + "input_option.html": "",
}


class _Fallback(Exception):
    """A value the Python path does not draw exactly as the templates would."""


def _text(value) -> str:
    """``{{ value }}`` for text. Other types (numbers are localised by the
    template engine, dates formatted) go through the templates instead."""
    if isinstance(value, str):
        return conditional_escape(value)
    if isinstance(value, Promise):
        return conditional_escape(str(value))
    raise _Fallback


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``."""
    if isinstance(value, (str, Promise, int)) and not isinstance(value, bool):
        return conditional_escape("%s" % value)  # noqa: UP031 - exactly what stringformat:'s' does
    raise _Fallback


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    """``django/forms/widgets/input.html`` (without its final newline)."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _input_option(option: dict) -> str:
    """``django/forms/widgets/input_option.html``, with its final newline."""
    if not option["wrap_label"]:
        return _input(option) + "\n"
    label_for = f' for="{_text(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(option)}\n {_text(option['label'])}</label>\n"


def _select(widget: dict) -> str:
    """``django/forms/widgets/select.html`` with ``select_option.html`` per option."""
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != WIDGETS + "select_option.html":
                raise _Fallback
            out.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _multiple_input(widget: dict) -> str:
    """``django/forms/widgets/multiple_input.html`` (checkboxes and radios)."""
    id_ = widget["attrs"].get("id")
    css = widget["attrs"].get("class")
    out = [
        "<div",
        f' id="{_text(id_)}"' if id_ else "",
        f' class="{_text(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            if option["template_name"] not in OPTIONS:
                raise _Fallback
            out.append(f"<div>\n    {_input_option(option)}{OPTIONS[option['template_name']]}</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>")
    return "".join(out)


class LeanRenderer(DjangoTemplates):
    """Django's template renderer, with the common widgets drawn in Python."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            try:
                if template_name in SELECTS:
                    return _select(widget)
                if template_name in MULTIPLE_INPUTS:
                    return _multiple_input(widget)
                if template_name in SINGLE_INPUTS:
                    return _input(widget)
            except (_Fallback, KeyError):
                pass
        return super().render(template_name, context, request=request)


LEAN_RENDERER = LeanRenderer()


class LeanForm(forms.Form):
    """A form whose widgets are drawn by ``LeanRenderer``."""

    default_renderer = LEAN_RENDERER
