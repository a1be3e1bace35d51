"""Which encoding a file that is not UTF-8 is in, and what a writer calls that encoding."""

from __future__ import annotations

import codecs
import re

UTF8 = "utf-8"
WINDOWS_1252 = "cp1252"
LATIN_1 = "iso8859-1"
# Unicode without a byte-order mark: only the byte order in the name tells them apart.
_BOMLESS_UNICODE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
MAX_CHOICES = 2  # encodings offered to the writer, most likely first
SAMPLE_BYTES = 512 * 1024  # the detector reads this much; enough to judge, fast on any file

_WINDOWS_REGIONS = {
    "1250": "Central European",
    "1251": "Cyrillic",
    "1252": "Western European",
    "1253": "Greek",
    "1254": "Turkish",
    "1255": "Hebrew",
    "1256": "Arabic",
    "1257": "Baltic",
    "1258": "Vietnamese",
}
_NAMES = {
    "iso8859-1": "Latin-1",
    "iso8859-15": "Latin-9",
    "mac-roman": "Mac Roman",
    "cp932": "Shift JIS",
    "shift_jis": "Shift JIS",
    "euc_jp": "EUC-JP",
    "gb2312": "GB2312",
    "gbk": "GBK",
    "gb18030": "GB18030",
    "big5": "Big5",
    "cp949": "Korean (Windows-949)",
    "euc_kr": "EUC-KR",
    "koi8-r": "KOI8-R",
    "koi8-u": "KOI8-U",
    "utf-8": "UTF-8",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32-le": "UTF-32",
    "utf-32-be": "UTF-32",
}


def codec_name(name: str) -> str:
    """Python's own name for an encoding (cp1252, iso8859-1, utf-16-le …)."""
    return codecs.lookup(name).name


def is_unicode(name: str) -> bool:
    """True for UTF-8/16/32, which can store every character."""
    return codec_name(name).startswith("utf")


def encoding_label(name: str) -> str:
    """The name a writer knows an encoding by ("Windows-1252", "Latin-1")."""
    name = codec_name(name)
    if name in _NAMES:
        return _NAMES[name]
    if re.fullmatch(r"cp125\d", name):
        return f"Windows-{name[2:]}"
    if name.startswith("iso8859-"):
        return f"ISO-8859-{name[8:]}"
    if name.startswith("mac-"):
        return f"Mac {name[4:].title()}"
    return name.upper()


def encoding_description(name: str) -> str:
    """The label plus the languages it serves: "Windows-1250 (Central European)"."""
    label = encoding_label(name)
    region = _WINDOWS_REGIONS.get(label.removeprefix("Windows-"))
    return f"{label} ({region})" if label.startswith("Windows-") and region else label


def _matches(sample: bytes) -> list[tuple[str, bool]]:
    """The detector's plausible encodings for `sample`, best first, each with whether the
    detector also recognised a language in the text read that way (it does not on a few words)."""
    from charset_normalizer import from_bytes  # imported when needed: only odd files need it

    found: dict[str, bool] = {}
    for match in from_bytes(sample):
        found.setdefault(codec_name(match.encoding), match.coherence > 0)
    return list(found.items())


def _sample(data: bytes, newlines: tuple[bytes, ...]) -> bytes:
    """At most SAMPLE_BYTES of `data`, cut after a line end (one of `newlines`, found on a
    multiple of its own length) so that no character is cut in half; the detector rejects an
    encoding that reads half a character."""
    if len(data) <= SAMPLE_BYTES:
        return data
    for newline in newlines:
        end = data.rfind(newline, 0, SAMPLE_BYTES)
        while end > 0 and end % len(newline):
            end = data.rfind(newline, 0, end)
        if end > 0:
            return data[: end + len(newline)]
    return data[:SAMPLE_BYTES]


def detect_bomless_unicode(data: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark (its NUL bytes mark it), if the detector is sure."""
    newlines = (b"\n\x00\x00\x00", b"\x00\x00\x00\n", b"\n\x00", b"\x00\n")
    found = _matches(_sample(data, newlines))
    return found[0][0] if found and found[0][0] in _BOMLESS_UNICODE else None


def legacy_choices(data: bytes) -> list[str]:
    """Encodings to offer for bytes that are not UTF-8, most likely first; never empty.

    The detector tells Western code pages apart poorly (French Windows-1252 comes back as
    Windows-1250, German as Baltic) and guesses wildly on a few words; Western text is by far
    the most common legacy case, so Windows-1252 comes first whenever the detector finds it
    plausible, reads the text the same way as its pick, or is unsure (recognised no language).
    Each choice reads the whole file without error and differently from the choices before it.
    """
    found = _matches(_sample(data, (b"\n",)))
    matches = [(name, sure) for name, sure in found if not name.startswith("utf")]
    plausible = [name for name, _sure in matches]
    order = [name for name, sure in matches if sure]
    if not order or WINDOWS_1252 in plausible or _same_text(data, order[0], WINDOWS_1252):
        order.insert(0, WINDOWS_1252)
    order += [WINDOWS_1252, LATIN_1]  # Latin-1 reads any bytes at all
    choices: list[str] = []
    texts: list[str] = []
    for name in order:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if text not in texts:
            choices.append(name)
            texts.append(text)
        if len(choices) == MAX_CHOICES:
            break
    return choices


def _same_text(data: bytes, first: str, second: str) -> bool:
    try:
        return data.decode(first) == data.decode(second)
    except UnicodeDecodeError:
        return False
