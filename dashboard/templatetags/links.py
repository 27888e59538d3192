"""Links to stored addresses. Forms and imports only accept http(s) URLs, but a
row written another way could hold ``javascript:``; such a value is never linked."""

from urllib.parse import urlsplit

from django import template

register = template.Library()

SAFE_SCHEMES = {"http", "https"}


def is_web_url(value) -> bool:
    return urlsplit(str(value or "").strip()).scheme.lower() in SAFE_SCHEMES


@register.filter
def web_url(value) -> str:
    """The URL when it is http(s), else an empty string."""
    return str(value).strip() if is_web_url(value) else ""
