"""Bytes to text: the encoding of a file found without asking the user.

UTF-8 (with or without a BOM) first, then the charset a web page declares, then
the Windows and Latin-1 code pages, with charset_normalizer as the guide when
those fail. Binary files are refused here, with a hint when their first bytes
say what they really are.
"""

from __future__ import annotations

import codecs
import re

from casegraph.errors import UnreadableDocument

__all__ = ["decode_text", "normalise_newlines"]


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Control bytes that do not occur in text (tab, newlines, form feed and ESC aside).
_CONTROL_BYTES = bytes([*range(1, 9), 0x0E, 0x0F, *range(0x10, 0x1B), *range(0x1C, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_MAGIC_HINTS = [
    (b"%PDF-", "looks like a PDF; give it a .pdf suffix"),
    (b"PK\x03\x04", "looks like a zip archive or an Office file"),
    (b"\xd0\xcf\x11\xe0", "looks like an old Office file such as .doc; save it as .docx or PDF"),
]
_C1 = re.compile("[\x80-\x9f]")


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    # A mostly-UTF-8 file with a few stray Windows bytes (pasted smart quotes): decode
    # just the bad bytes as cp1252 instead of mangling every UTF-8 character.
    assert isinstance(exc, UnicodeDecodeError)
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", errors="replace"), exc.end


codecs.register_error("casegraph-cp1252", _cp1252_fallback)


def _check_not_binary(name: str, data: bytes) -> None:
    hint = next((h for magic, h in _MAGIC_HINTS if data.startswith(magic)), None)
    sample = data[:65536]
    controls = len(sample.translate(None, _NOT_CONTROL))
    if hint or b"\x00" in data or controls > len(sample) * 0.1:
        reason = "binary file, not text"
        raise UnreadableDocument(name, f"{reason} ({hint})" if hint else reason)


def _utf8_share(data: bytes) -> float:
    """Share of non-ASCII bytes that sit in valid UTF-8 multibyte sequences."""
    sample = data[:262144]
    non_ascii = len(sample.translate(None, bytes(range(128))))
    if not non_ascii:
        return 0.0
    valid = sum(len(m.group()) for m in re.finditer(rb"[\xc2-\xf4][\x80-\xbf]+", sample))
    return valid / non_ascii


def decode_text(name: str, data: bytes, declared: str | None = None) -> str:
    """Bytes to str: UTF-8 (BOM stripped), else cp1252, else latin-1, guided by
    charset_normalizer when the simple answers fail. Newlines normalised to \\n."""
    if not data:
        raise UnreadableDocument(name, "empty file")
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom) and not data.startswith(codecs.BOM_UTF32_LE):
            try:
                return normalise_newlines(data[len(bom) :].decode(codec))
            except UnicodeDecodeError:
                raise UnreadableDocument(name, f"cannot decode text (tried {codec})") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    _check_not_binary(name, data)
    tried: list[str] = []

    def attempt(encoding: str | None) -> str | None:
        try:
            codec = codecs.lookup(encoding).name if encoding else None
        except LookupError:  # a made-up charset in a <meta> tag
            return None
        if codec is None or codec in tried:
            return None
        try:
            return normalise_newlines(data.decode(codec))
        except UnicodeDecodeError:
            tried.append(codec)
            return None

    for encoding in ("utf-8", declared):
        if (text := attempt(encoding)) is not None:
            return text
    if _utf8_share(data) > 0.5:
        return normalise_newlines(data.decode("utf-8", errors="casegraph-cp1252"))
    if (text := attempt("cp1252")) is not None:
        return text
    # cp1252 failed, so the file has bytes 0x81/0x8D/0x8F/0x90/0x9D: latin-1 would turn
    # them into control characters. Ask charset_normalizer what the file really is.
    if (text := attempt(_guess_encoding(data))) is not None:
        return text
    text = data.decode("latin-1")
    if len(_C1.findall(text)) <= max(1, len(text) // 1000):
        return normalise_newlines(text)
    tried.append("latin-1")
    raise UnreadableDocument(name, f"cannot decode text (tried {', '.join(tried)})")


def _guess_encoding(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:1_000_000]).best()
    except Exception:  # a guide only; never the reason a file fails
        return None
    if best is None:
        return None
    try:
        encoding = codecs.lookup(best.encoding).name
    except LookupError:
        return None
    # latin-1 is handled (and vetted) separately.
    return None if encoding == "iso8859-1" else encoding
