"""One number format for everything a person reads: pages, tables, admin
lists and the text of exported files.

It follows the active language's conventions through Django's locale formats
(``django.utils.formats``): in English 1,234,567 and 1,108.75; in Chinese the
zh-Hans format file decides. Data files (CSV cells, spreadsheet values) keep
plain numbers, so programs can read them.
"""

from decimal import Decimal

from django.utils.formats import number_format

# Fractional values are shown with at most this many decimals.
MAX_DECIMALS = 2


def format_number(value, decimals: int | None = None) -> str:
    """``value`` with the locale's grouping and decimal separator.

    Whole numbers have no decimals ("28,540", not "28540.0"); other values keep
    up to ``MAX_DECIMALS`` without trailing zeros ("28,540.5"), unless
    ``decimals`` fixes the count (an index column: "998.10" beside "1,108.75").
    ``None`` and "" become ""; anything else that is not a number is returned
    as text, unchanged."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, float) and value != value:  # NaN
        return ""
    if decimals is None:
        if isinstance(value, int):
            decimals = 0
        else:
            value = round(float(value), MAX_DECIMALS)
            decimals = next(d for d in range(MAX_DECIMALS + 1) if round(value, d) == value)
    return number_format(value, decimals, use_l10n=True, force_grouping=True)
