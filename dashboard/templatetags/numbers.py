"""``{{ value|num }}`` and ``{{ value|num:2 }}``: the one number format (see
registry.formatting) for every number a page shows."""

from decimal import Decimal

from django import template

from registry.formatting import format_number

register = template.Library()


@register.filter
def num(value, decimals=None) -> str:
    return format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def is_number(value) -> bool:
    """Whether a table cell holds a number (right-aligned)."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
