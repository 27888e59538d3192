"""Validators for identifiers used in the registry."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 control characters and DEL, except tab, line feed and carriage return, which
# text areas and spreadsheets legitimately send. PostgreSQL refuses NUL in text
# outright; the others are never meaningful in a name, a search or a quote.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text))


def validate_no_control_characters(value) -> None:
    """For form fields: refuse NUL and other control characters with a form error."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _("Remove the control characters (such as NUL) from this text."), code="control_characters"
        )


# GB 32100-2015: the unified social credit code is 18 characters drawn from
# digits and upper-case letters without I, O, S, V and Z.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    """The 18th (check) character for the first 17 characters of a code."""
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            "A unified social credit code has 18 characters; this one has %(n)d.",
            code="credit_code_length",
            params={"n": len(code)},
        )
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            "A unified social credit code cannot contain %(chars)s.",
            code="credit_code_characters",
            params={"chars": ", ".join(bad)},
        )
    # Characters 3-8 are the administrative division code: digits only.
    if not code[2:8].isdigit():
        raise ValidationError(
            "Characters 3 to 8 of a unified social credit code are a region code and must be digits.",
            code="credit_code_region",
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            "The check character of this unified social credit code is wrong (expected %(expected)s).",
            code="credit_code_checksum",
            params={"expected": expected},
        )
