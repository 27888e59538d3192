"""Names in the reader's language: ``record|shown_name`` (plain text, the name
shown first) and ``{% bilingual record %}`` (that name, then the other script's
name in smaller type). Chinese first in zh-hans, English first otherwise."""

from django import template

from registry import names

register = template.Library()


@register.filter
def shown_name(record) -> str:
    if record is None:
        return ""
    return names.shown_name(record)


@register.simple_tag
def bilingual(record, url=None):
    if record is None:
        return ""
    return names.bilingual_html(getattr(record, "name_zh", ""), getattr(record, "name_en", ""), url=url)
