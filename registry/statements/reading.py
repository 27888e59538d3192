"""Turn the bytes of an uploaded or saved article into text, saying which encoding was used.

Chinese articles arrive as UTF-8 (with or without a byte-order mark), GBK/GB18030, Big5 or
UTF-16 files; English ones sometimes as Windows-1252. The order of trust:

1. A byte-order mark names the encoding outright (UTF-8, UTF-16, UTF-32).
2. Bytes that decode as strict UTF-8 are UTF-8: any other reading of valid UTF-8 with
   non-ASCII characters is almost always wrong.
3. Otherwise charset-normalizer (a maintained detector, already a dependency) chooses by
   how coherent each candidate decoding is.

Files that are not text (a PDF, a Word document, an image, an archive, or bytes no
encoding reads as coherent text) raise ``NotText`` with a message a person can act on.
Nothing here touches the database.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

__all__ = ["DecodedText", "NotText", "decode_article", "encoding_label"]

# Magic numbers of the files people most often upload by mistake.
_BINARY_SIGNATURES = (
    (b"%PDF", gettext_lazy("PDF")),
    (b"PK\x03\x04", gettext_lazy("ZIP (a Word, Excel or other Office document)")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", gettext_lazy("old-style Office (.doc, .xls)")),
    (b"\x89PNG", gettext_lazy("PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("JPEG image")),
    (b"GIF8", gettext_lazy("GIF image")),
    (b"{\\rtf", gettext_lazy("RTF")),
    (b"\x1f\x8b", gettext_lazy("gzip archive")),
    (b"7z\xbc\xaf", gettext_lazy("7-Zip archive")),
    (b"Rar!", gettext_lazy("RAR archive")),
    (b"\x7fELF", gettext_lazy("program")),
    (b"MZ", gettext_lazy("Windows program")),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Encodings a pasted or saved news article plausibly comes in; limiting the detector to
# them avoids exotic readings of short files (a GBK file read as a Cyrillic code page).
_CANDIDATES = [
    "utf_8",
    "gb18030",
    "big5",
    "big5hkscs",
    "utf_16",
    "utf_16_le",
    "utf_16_be",
    "cp1252",
    "latin_1",
    "shift_jis",
]

_LABELS = {
    "utf_8": "UTF-8",
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with byte-order mark",
    "utf_16": "UTF-16",
    "utf-16": "UTF-16",
    "utf_16_le": "UTF-16 (little-endian, no byte-order mark)",
    "utf_16_be": "UTF-16 (big-endian, no byte-order mark)",
    "utf-32": "UTF-32",
    "gb18030": "GB18030 (GBK)",
    "gbk": "GBK",
    "gb2312": "GB2312",
    "big5": "Big5",
    "big5hkscs": "Big5-HKSCS",
    "cp1252": "Windows-1252",
    "latin_1": "ISO-8859-1",
    "shift_jis": "Shift JIS",
}


class NotText(ValueError):
    """The bytes are not an article in any text encoding the product reads."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # Python codec name, e.g. "gb18030"

    @property
    def label(self) -> str:
        return encoding_label(self.encoding)


def encoding_label(encoding: str) -> str:
    """A name people recognise for a Python codec name ("gb18030" -> "GB18030 (GBK)")."""
    return _LABELS.get(encoding.lower(), encoding.upper().replace("_", "-"))


def decode_article(data: bytes) -> DecodedText:
    """Decode ``data`` to text; raise ``NotText`` for bytes that are not text.

    Cost: linear in the size of the data (the detector reads a bounded sample of chunks).
    """
    if not data or not data.strip():
        raise NotText(_("The file is empty."))
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise NotText(
                _("This is a %(kind)s file, not text. Save the article as plain text (.txt) and upload that.")
                % {"kind": kind}
            )
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise NotText(_not_text_message(exc.start)) from exc
    if b"\x00" not in data:
        try:
            return _checked(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise NotText(_not_text_message(None))
    return _checked(str(best), best.encoding)


def _not_text_message(position: int | None) -> str:
    if position is None:
        return _(
            "These bytes are not text in any encoding the product reads (UTF-8, GBK/GB18030, Big5, UTF-16). "
            "Save the article as plain text and try again."
        )
    return _(
        "These bytes are not text: the file breaks off at byte %(position)s. "
        "Save the article as plain text and try again."
    ) % {"position": position}


def _checked(text: str, encoding: str) -> DecodedText:
    """Refuse decodings full of control characters: binary data that happened to decode."""
    sample = text[:20_000]
    control = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\r\t\f\v")
    if control > max(2, len(sample) // 200):
        raise NotText(_not_text_message(None))
    return DecodedText(text.lstrip("\ufeff"), encoding)
