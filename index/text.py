"""Turning the bytes of a dump into text, and the normal forms used to compare text."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata


class DumpError(Exception):
    """A dump that cannot be read at all; the message says why, for the user."""


# Windows-1252 leaves five bytes undefined; Latin-1 maps them to C1 controls.
_C1_CONTROLS = re.compile("[\x80-\x9f]")
# Real Latin-1 text has an accented letter here and there; legacy CJK encodings
# misread as Latin-1 give long runs of them.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{4,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode a dump's bytes into text with LF line ends.

    Returns:
        The text, and a note when the file was not UTF-8 (None when it was).

    Raises:
        DumpError: binary data, or an encoding that cannot be told for sure.
    """
    note = None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise DumpError(f"broken UTF-16 text at byte {error.start}") from None
        note = "read as UTF-16"
    elif b"\x00" in data:
        raise DumpError("binary file (it holds NUL bytes), not a text dump")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            text = _decode_latin(data, error)
            note = "not UTF-8; read as Latin-1 (Windows-1252)"
    if len(_CONTROL.findall(text[:65536])) > max(8, len(text[:65536]) // 100):
        raise DumpError("binary file (it holds control characters), not a text dump")
    return text.replace("\r\n", "\n").replace("\r", "\n"), note


def _decode_latin(data: bytes, error: UnicodeDecodeError) -> str:
    text = data.decode("cp1252", errors="ignore")
    if len(text) != len(data) or _C1_CONTROLS.search(text) or _NON_ASCII_RUN.search(text):
        line = data.count(b"\n", 0, error.start) + 1
        raise DumpError(
            f"line {line}: neither UTF-8 nor Latin-1 text; save the file as UTF-8 and try again"
        )
    return text


# arXiv ids. New style since 2007: YYMM.NNNN, five digits from 2015 on; old style:
# archive(.SUBJECT)/YYMMNNN. Versions are dropped: a paper is one paper.
_NEW_ID = re.compile(r"(\d{2})(\d{2})\.(\d{4,5})(?:v\d+)?")
_OLD_ID = re.compile(r"([a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?)/(\d{2})(\d{2})\d{3}(?:v\d+)?")


def match_arxiv_id(text: str) -> tuple[str, int] | None:
    """Find the arXiv id that starts `text`.

    Returns:
        The id (without version) and how many characters it took, or None.
        The digit count follows the id's own month, so an abstract glued to the
        id ("2412.16720Reinforcement", "0704.00331D materials") splits right.
    """
    new = _NEW_ID.match(text)
    if new:
        yy, mm, number = new.groups()
        if not 1 <= int(mm) <= 12 or int(yy) < 7 or (int(yy) == 7 and int(mm) < 4):
            return None
        digits = 5 if (int(yy), int(mm)) >= (15, 1) else 4
        if len(number) < digits:
            return None
        end = new.start(3) + digits
        version = re.match(r"v\d+", text[end:])
        arxiv_id = text[:end]
        return arxiv_id, end + (version.end() if version else 0)
    old = _OLD_ID.match(text)
    if old and 1 <= int(old.group(3)) <= 12:
        arxiv_id = old.group(0)
        version = re.search(r"v\d+$", arxiv_id)
        return (arxiv_id[: version.start()] if version else arxiv_id), old.end()
    return None


# An arXiv page: https://arxiv.org/abs/ID, /html/ID, the PDF /pdf/ID or /pdf/ID.pdf (also export.).
_ARXIV_URL = re.compile(
    r"(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/([^?#]+?)(?:\.pdf)?/?(?:[?#].*)?",
    re.IGNORECASE,
)
# Where an arXiv id may stand in running text: not inside a longer word, number or path.
_ID_IN_TEXT = re.compile(
    r"(?<![\w/.:-])(?:(?i:arxiv):\s?)?"
    r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)"
    r"(?![\w/-]|\.\d)"
)


def arxiv_id_named(text: str) -> str | None:
    """The arXiv id `text` names as a whole, without its version; None if none.

    Takes `2401.01234`, `arXiv:2401.01234v2`, `hep-th/9711200` and the paper's
    page or PDF (`https://arxiv.org/abs/2401.01234`, `…/pdf/2401.01234v2.pdf`).
    """
    text = text.strip()
    page = _ARXIV_URL.fullmatch(text)
    if page:
        text = page.group(1)
    elif text[:6].lower() == "arxiv:":
        text = text[6:].strip()
    found = match_arxiv_id(text)
    return found[0] if found and found[1] == len(text) else None


def arxiv_ids_in(text: str) -> list[tuple[str, str]]:
    """The arXiv ids written in running text, in order: each as written (with
    `arXiv:` or a version if it has them) and as an id without version."""
    found = []
    for match in _ID_IN_TEXT.finditer(text):
        arxiv_id = arxiv_id_named(match.group(1))
        if arxiv_id:
            found.append((match.group(0), arxiv_id))
    return found


def year_of(arxiv_id: str | None) -> int | None:
    """The year an arXiv id was issued in (arXiv began in 1991)."""
    if not arxiv_id:
        return None
    match = re.search(r"(?:^|/)(\d{2})\d{2}", arxiv_id)
    if not match:
        return None
    yy = int(match.group(1))
    return 1900 + yy if yy >= 91 else 2000 + yy


_NOT_WORD = re.compile(r"[\W_]+")
# ASCII that is no letter or digit: for ASCII text, what _NOT_WORD matches.
_ASCII_NOT_WORD = bytes(c for c in range(128) if not chr(c).isalnum())


def normalise_abstract(text: str) -> str:
    """The form two abstracts are compared in: case, whitespace and punctuation dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isascii():  # nearly every abstract: a byte table is many times faster
        return text.encode("ascii").translate(None, _ASCII_NOT_WORD).decode("ascii")
    return _NOT_WORD.sub("", text)


def abstract_hash(text: str) -> str:
    """A short fingerprint of the normalised abstract."""
    return hashlib.sha1(normalise_abstract(text).encode()).hexdigest()[:16]


def author_key(label: str) -> str:
    """One token for an author name: "Jain, Saachi" and "Saachi Jain" give the same."""
    name = display_name(unicodedata.normalize("NFKC", label).strip())
    words = re.findall(r"\w+", name.casefold())
    return "_".join(words)


def display_name(label: str) -> str:
    """ "Jain, Saachi" as "Saachi Jain"; other labels as they are."""
    if label.count(",") == 1:
        last, first = (part.strip() for part in label.split(","))
        if first and last:
            return f"{first} {last}"
    return label


def first_sentence(text: str, limit: int = 120) -> str:
    """The opening sentence of an abstract, to stand in for a missing title."""
    flat = " ".join(text.split())
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z0-9])", flat)
    sentence = flat[: match.start()] if match else flat
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "…"
    return sentence


# What a terminal would act on rather than show: C0 controls but tab and newline,
# DEL, C1 controls (U+009B is an 8-bit CSI), and invisible format characters
# (category Cf: bidi overrides and isolates, zero-width characters, BOM), which
# can reorder or hide what a line shows.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"
    # Category Cf, as of Unicode 15.1 (a test checks it against unicodedata).
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
    "\ud800-\udfff]"
)


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture": ␛ for ESC
    if code == 0x7F:
        return "␡"
    return "\ufffd"  # a lone surrogate (no character at all), C1, format characters


def _visible(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
        return _stand_in(match)
    return f"⟨U+{code:04X}⟩"


def printable(text: str) -> str:
    """Text that is safe to show to a person: shown exactly, never acted upon.

    Control and invisible format characters become visible symbols (␛ for ESC,
    ⟨U+202E⟩ for a right-to-left override), so no escape sequence from a dump
    reaches a terminal, a clipboard or an export, and no bidi override reorders
    a line. Newlines and tabs stay; lone surrogates become U+FFFD. Each character
    is replaced on its own, so a slice of the text is shown as its part of the whole.
    """
    return UNSAFE.sub(_visible, text)


def printable_by_character(text: str) -> str:
    """`printable`, but one visible character for each unsafe one (`␛`, else `�`):
    what a box being edited shows, so its cursor and selection keep their places."""
    return UNSAFE.sub(_stand_in, text)


def unsafe_in(text: str) -> bool:
    """Whether `text` holds a character that `printable` would show as a symbol."""
    return UNSAFE.search(text) is not None


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> tuple[str, bool]:
    """The text with lone surrogates (which no file can hold) as U+FFFD; and whether any were.

    JSON can write them (`"\\ud800"`) and file names with bytes that are not
    UTF-8 decode to them; stored or printed, they would fail at every encoding.
    """
    if not _SURROGATE.search(text):
        return text, False
    return _SURROGATE.sub("\ufffd", text), True
