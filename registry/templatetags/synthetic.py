"""``{% synthetic_mark %}`` and ``record|is_synthetic`` for pages and the admin."""

from django import template

from registry import synthetic

register = template.Library()


@register.simple_tag
def synthetic_mark() -> str:
    return synthetic.synthetic_mark()


@register.filter
def is_synthetic(record) -> bool:
    return synthetic.is_synthetic(record)
