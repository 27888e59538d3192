"""``{{ value|num }}`` and ``{{ value|num:2 }}``: the one number format (see
registry.formatting) for every number a page shows; ``{{ value|readable }}``
for large counts such as followers (123.5万 in Chinese, 1,234,567 in English)
and ``{{ value|compact }}`` where room is short (123.5万 / 1.2M)."""

from decimal import Decimal

from django import template

from registry.formatting import format_compact, format_number, format_readable

register = template.Library()


@register.filter
def num(value, decimals=None) -> str:
    return format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def readable(value) -> str:
    return format_readable(value)


@register.filter
def compact(value) -> str:
    return format_compact(value)


@register.filter
def is_number(value) -> bool:
    """Whether a table cell holds a number (right-aligned)."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
