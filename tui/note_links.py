"""The links of a note, and the papers of the library they name.

A note is Markdown: its links are read with the parser the viewer's Markdown
widget uses, so the links listed are the links a click follows, with the same
targets. An arXiv id written in the text (`arXiv:2401.01234`, `hep-th/9711200`)
counts as a link too. A link names a paper by its target or its text: an arXiv id
(bare, `arXiv:…`, the arXiv page or PDF, any version) or the paper's key.

A target is kept as written: never percent-decoded (`%0a` stays `%0a`, never a
line break in a browser's argument). One holding a control character even so
(written as itself, or as a Markdown escape such as `&#10;`) is refused when followed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.token import Token

from index import Paper, arxiv_id_named, arxiv_ids_in

from .text import displayable

# A target with a scheme (`https:`, `ftp:`, `mailto:`): not a paper's key.
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass(frozen=True)
class NoteLink:
    """A link of a note: its text as written and where it points."""

    text: str
    href: str  # as written in the note (Markdown's escapes read); a bare id: the id

    @property
    def web(self) -> bool:
        return self.href.lower().startswith(("https://", "http://"))

    @property
    def refused(self) -> bool:
        return refused_target(self.href)

    @property
    def has_scheme(self) -> bool:
        return bool(_SCHEME.match(self.href))

    @property
    def arxiv_id(self) -> str | None:
        """The arXiv id the target names, else the one the text names."""
        return arxiv_id_named(self.href) or arxiv_id_named(self.text)

    def names(self) -> list[str]:
        """The keys of the papers it may name, the likeliest first."""
        names = [arxiv_id_named(self.href), arxiv_id_named(self.text)]
        for written in (self.href, self.text):  # a paper's key, as `list --json` gives it
            written = written.strip()
            if written and not _SCHEME.match(written) and not any(c.isspace() for c in written):
                names.append(written)
        return list(dict.fromkeys(name for name in names if name))


@dataclass(frozen=True)
class Target:
    """A link and the paper of the library it names (None: none)."""

    link: NoteLink
    paper: Paper | None


def refused_target(url: str) -> bool:
    """Whether a link's target holds a control or invisible format character (NUL,
    a line break, ESC, a bidi override), or the visible symbol the note shows for
    one (␛, ⟨U+202E⟩): never handed to a browser, which cannot have it as written."""
    return any(unicodedata.category(c) in ("Cc", "Cf") for c in url) or bool(_SHOWN_FOR.search(url))


# The symbols a note shows for such characters (index.printable).
_SHOWN_FOR = re.compile("[\u2400-\u2421]|⟨U\\+[0-9A-F]{4,6}⟩")


class _AsWritten(MarkdownIt):
    """Markdown read as the viewer's widget reads it, a link's target kept as
    written: not percent-encoded, as the widget's parser does (and its click decodes)."""

    def normalizeLink(self, url: str) -> str:  # markdown-it's name for it
        return url


def links_in(note: str) -> list[NoteLink]:
    """The links of a note in order, each once: Markdown links (web addresses
    written plainly count, as the viewer makes them links) and arXiv ids in the text."""
    links: list[NoteLink] = []
    for block in _AsWritten("gfm-like").parse(displayable(note)):
        links += _inline_links(block.children or [])
    return list(dict.fromkeys(links))


def clicked(note: str, href: str) -> NoteLink:
    """The link of `note` a click in the viewer named: its Markdown widget hands the
    target percent-encoded, then decoded (`href`). The link as written, else (none
    matches) a link to `href` as handed."""
    for link in links_in(note):
        if href in (link.href, unquote(normalizeLink(link.href))):
            return link
    return NoteLink("", href)


def _inline_links(tokens: list[Token]) -> list[NoteLink]:
    links = []
    href: str | None = None  # inside a link: its target
    words: list[str] = []  # the link's text so far
    for token in tokens:
        if token.type == "link_open":
            href, words = str(token.attrs.get("href", "")), []
        elif token.type == "link_close" and href is not None:
            links.append(NoteLink("".join(words).strip(), href))
            href = None
        elif token.type in ("text", "code_inline"):
            if href is not None:
                words.append(token.content)
            else:
                found = arxiv_ids_in(token.content)
                links += [NoteLink(written, arxiv_id) for written, arxiv_id in found]
    return links


def resolve(link: NoteLink, get: Callable[[str], Paper | None]) -> Target:
    """The link with the paper it names, looked up with `get` (a key to its paper;
    it may read the index: call this off the event loop)."""
    for name in link.names():
        paper = get(name)
        if paper is not None:
            return Target(link, paper)
    return Target(link, None)
