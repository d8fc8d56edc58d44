"""Bytes to the text a check scans, so nothing passes unread because of how it is encoded.

- A byte-order mark says UTF-32 or UTF-16 (a file git calls binary because of its NUL bytes) or
  UTF-8 with a BOM: decoded as such.
- Text with a few stray NUL bytes (a trick to make scanners skip a file: git's own heuristic calls
  any NUL in the first 8000 bytes binary) is decoded as UTF-8 with each NUL read as a space, so
  line numbers stay right.
- A real binary (many NUL or undecodable bytes) is read as its printable strings, one per line, as
  `strings(1)` does: a key compiled into a binary or pasted into a document is still found.
Undecodable bytes of text become U+FFFD (`lossy`): never an error.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_PRINTABLE_RUN = re.compile(rb"[\t\x20-\x7e]{8,}")
_SAMPLE = 8000


def bom_encoding(content: bytes) -> str | None:
    """The encoding a byte-order mark at the start names (UTF-32 checked before UTF-16)."""
    return next((name for bom, name in _BOMS if content.startswith(bom)), None)


def is_binary(content: bytes) -> bool:
    """True for content that is not text in any encoding droid reads: NUL bytes in the first 8000
    bytes, no byte-order mark, and more than a few NULs making over 1 % of them, or over 1 % not
    valid UTF-8. A stray NUL or two in text (a trick to be skipped) does not make it binary."""
    sample = content[:_SAMPLE]
    if b"\0" not in sample or bom_encoding(content):
        return False
    nuls = sample.count(b"\0")
    if nuls > 4 and nuls * 100 > len(sample):
        return True
    return sample.decode("utf-8", "replace").count("\ufffd") * 100 > len(sample)


def decode_text(content: bytes) -> tuple[str, bool]:
    """(text, lossy): by byte-order mark, else UTF-8 with stray NULs read as spaces."""
    encoding = bom_encoding(content)
    if encoding is not None:
        bom = next(b for b, name in _BOMS if name == encoding)
        body = content[len(bom) :]
        try:
            return body.decode(encoding), False
        except UnicodeDecodeError:
            return body.decode(encoding, "replace"), True
    try:
        text, lossy = content.decode("utf-8"), False
    except UnicodeDecodeError:
        text, lossy = content.decode("utf-8", "replace"), True
    return text.replace("\0", " "), lossy


def printable_strings(content: bytes) -> bytes:
    """The runs of 8 or more printable ASCII characters of a binary, one per line."""
    return b"\n".join(_PRINTABLE_RUN.findall(content))
