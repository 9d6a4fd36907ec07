"""Markdown for discussion posts: render once, sanitize with an allowlist.

Posts are written in Markdown and turned into HTML **once, when the post is saved**; the
sanitized HTML is stored with the post and served as-is. Rendering on every page view would
cost CPU on the hottest path and would let a parser upgrade silently change (or un-sanitize)
old posts; rendering at save time makes the stored HTML the reviewed artefact.

The pipeline is two independent layers, so a bug in one is caught by the other:

1. markdown-it-py (CommonMark + tables + strikethrough) with raw HTML **disabled**, so any
   ``<script>`` a member types is escaped as text. Its ``validateLink`` already refuses
   ``javascript:``, ``vbscript:``, ``file:`` and most ``data:`` links. A few core rules work on
   the token stream: ``#``/``##`` headings are demoted to ``h3``/``h4`` (the page owns
   ``h1``/``h2``), images are turned into plain links (no remote images: tracking pixels,
   layout abuse) unless they are pictures members uploaded here (``OWN_IMAGE_RE``, served
   through an access-checked route), table alignment becomes an ``align`` attribute instead
   of inline ``style``,
   and ``@mentions`` in plain text (not in code, not inside links) become mention tokens.
2. nh3 (Rust ``ammonia``) with an explicit allowlist of tags, attributes and URL schemes
   (http, https, mailto; relative URLs are dropped, but for our own image paths on ``<img>``).
   Every link gets
   ``rel="nofollow noopener noreferrer"``. nh3 rather than bleach because bleach is deprecated
   and html5lib-based; nh3 is maintained, fast and parses like a browser (html5ever).

``find_mentions`` parses with the same ``MarkdownIt`` instance and reads the same mention
tokens, so the handles it returns are exactly the ones highlighted in the rendered HTML.

Linkify (bare ``https://...`` becoming a link) needs the optional ``linkify-it-py`` package,
which is not a project dependency, so it is off: bare URLs stay text; ``<https://...>``
autolinks and ``[text](url)`` links work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from community.core.links import find_bare_urls, strip_bare_urls

__all__ = [
    "OWN_IMAGE_RE",
    "ParsedPost",
    "cut_excerpt",
    "excerpt",
    "find_links",
    "find_mentions",
    "parse_post",
    "render_markdown",
]

# `@` + handle, preceded by start-of-text or a non-word character (so `a@b.com` is not a
# mention) and not followed by further handle characters (so over-long handles never match a
# prefix). Trailing "." / "-" are sentence punctuation ("thanks @bob."), not part of the handle.
_MENTION_RE = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9_.-]{1,29})(?![a-z0-9_.-])", re.IGNORECASE)
_HANDLE_RE = re.compile(r"[a-z0-9][a-z0-9_.-]{1,29}")
_HEADING_SHIFT = 2  # "#" -> h3, "##" -> h4, ..., capped at h6
_ALIGNMENTS = {"left", "center", "right"}
_CODE_CLASS_RE = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
# A picture uploaded through the composer (``forum.post_images``): the only image a post
# shows inline. Anything else written as an image stays a link.
OWN_IMAGE_RE = re.compile(r"/images/(?P<key>[0-9a-f]{32})\.(?:png|jpg)")
_ABSOLUTE_LINK_RE = re.compile(r"(?:https?|mailto):", re.IGNORECASE)

_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "img",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "span": {"class"},
    "code": {"class"},
    "ol": {"start"},
}
_ALLOWED_ATTRIBUTE_VALUES = {
    "th": {"align": _ALIGNMENTS},
    "td": {"align": _ALIGNMENTS},
    "img": {"loading": {"lazy"}},
}
_URL_SCHEMES = {"http", "https", "mailto"}
_LINK_REL = "nofollow noopener noreferrer"


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    """Second-level attribute filter for nh3: restrict URLs, classes and list starts.

    nh3 has already dropped absolute URLs with other schemes; relative ones reach this filter
    (``url_relative="pass_through"``) so that our own image paths can be kept on ``<img>``:
    a link must be absolute, an image must be one of ours."""
    if attr == "href":
        return value if _ABSOLUTE_LINK_RE.match(value) else None
    if attr == "src":
        return value if tag == "img" and OWN_IMAGE_RE.fullmatch(value) else None
    if attr == "class":
        if tag == "span":
            return "mention" if value == "mention" else None
        if tag == "code":
            return value if _CODE_CLASS_RE.fullmatch(value) else None
        return None
    if tag == "ol" and attr == "start":
        return value if value.isdigit() and len(value) <= 9 else None
    return value


_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    attributes=_ALLOWED_ATTRIBUTES,
    tag_attribute_values=_ALLOWED_ATTRIBUTE_VALUES,
    attribute_filter=_filter_attribute,
    url_schemes=_URL_SCHEMES,
    url_relative="pass_through",  # and refused in _filter_attribute, but for our images
    link_rel=_LINK_REL,
    strip_comments=True,
)


# --- token-stream rules -------------------------------------------------------------------


def _demote_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1:])
            token.tag = f"h{min(level + _HEADING_SHIFT, 6)}"


def _table_alignment(state: StateCore) -> None:
    """markdown-it writes ``style="text-align:x"``; use ``align`` so no style attr is needed."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and token.attrs:
            style = str(token.attrs.pop("style", ""))
            align = style.removeprefix("text-align:")
            if align in _ALIGNMENTS:
                token.attrs["align"] = align


def _images_to_links(state: StateCore) -> None:
    """Only our own images show: any other ``![alt](src)`` becomes ``[alt](src)`` (just
    ``alt`` in a link)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        block.children = _replace_images(block.children)


def _replace_images(children: list[Token]) -> list[Token]:
    result: list[Token] = []
    link_depth = 0
    for token in children:
        if token.type == "link_open":
            link_depth += 1
        elif token.type == "link_close":
            link_depth = max(0, link_depth - 1)
        if token.type != "image":
            result.append(token)
            continue
        if _own_image_key(token):
            token.attrSet("loading", "lazy")
            result.append(token)
            continue
        alt = _replace_images(token.children or [])
        if link_depth:
            # Already inside a link: an <a> in an <a> is invalid, keep the alt text only.
            result.extend(alt)
            continue
        src = str(token.attrGet("src") or "")
        attrs: dict[str, str | int | float] = {"href": src}
        title = token.attrGet("title")
        if title:
            attrs["title"] = title
        if not alt:
            alt = [Token("text", "", 0, content=src)]
        result.append(Token("link_open", "a", 1, attrs=attrs, markup="image"))
        result.extend(alt)
        result.append(Token("link_close", "a", -1, markup="image"))
    return result


def _own_image_key(token: Token) -> str:
    """The key of one of our uploaded images this image token shows, or ""."""
    match = OWN_IMAGE_RE.fullmatch(str(token.attrGet("src") or ""))
    return match["key"] if match else ""


def _iter_mentions(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, handle)`` for each mention in a plain-text run."""
    for match in _MENTION_RE.finditer(text):
        handle = match.group(1).rstrip(".-").lower()
        if _HANDLE_RE.fullmatch(handle):
            yield match.start(), match.start() + 1 + len(handle), handle


def _split_mentions(token: Token) -> list[Token]:
    parts: list[Token] = []
    pos = 0
    for start, end, handle in _iter_mentions(token.content):
        if start > pos:
            parts.append(Token("text", "", 0, content=token.content[pos:start]))
        parts.append(Token("mention", "span", 0, content=f"@{handle}", meta={"handle": handle}))
        pos = end
    if not parts:
        return [token]
    if pos < len(token.content):
        parts.append(Token("text", "", 0, content=token.content[pos:]))
    return parts


def _mentions(state: StateCore) -> None:
    """Turn ``@handle`` in text outside links into ``mention`` tokens.

    Code spans are ``code_inline`` tokens and code blocks are ``fence``/``code_block`` block
    tokens, so only ``text`` tokens are looked at; link text (including autolinks and links
    made from images) is skipped by tracking link depth.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        link_depth = 0
        for token in block.children:
            if token.type == "link_open":
                link_depth += 1
            elif token.type == "link_close":
                link_depth = max(0, link_depth - 1)
            if token.type == "text" and not link_depth and "@" in token.content:
                children.extend(_split_mentions(token))
            else:
                children.append(token)
        block.children = children


def _render_mention(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f'<span class="mention">{escapeHtml(tokens[idx].content)}</span>'


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.core.ruler.push("forum_headings", _demote_headings)
    md.core.ruler.push("forum_table_align", _table_alignment)
    md.core.ruler.push("forum_images", _images_to_links)
    md.core.ruler.push("forum_mentions", _mentions)
    md.add_render_rule("mention", _render_mention)
    return md


_MD = _build_parser()


# --- public API ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedPost:
    """Everything the forum needs from one post's Markdown, read from **one** parse.

    A post is parsed once when it is saved; the checks (links, mentions, the sales-pitch tone
    checks) and the stored HTML and excerpt all come from that one token stream.
    """

    html: str
    mentions: tuple[str, ...]
    links: tuple[str, ...]  # [text](url), <autolinks>, image sources, bare URLs, code included
    prose: str  # the text outside code and links, bare URLs dropped: for the tone checks
    plain: str  # the text without Markdown (link text and code kept), whitespace collapsed
    images: tuple[str, ...] = ()  # keys of our own uploaded images the post shows

    def excerpt(self, length: int = 200) -> str:
        return cut_excerpt(self.plain, length)


def parse_post(text: str) -> ParsedPost:
    """Parse ``text`` once and read off its HTML, mentions, links, prose and plain text."""
    tokens = _MD.parse(text or "")
    html = _CLEANER.clean(_MD.renderer.render(tokens, _MD.options, {})).strip() if text else ""
    mentions: dict[str, None] = {}
    images: dict[str, None] = {}
    links: list[str] = []
    prose: list[str] = []
    plain: list[str] = []
    for block in tokens:
        if block.type in ("fence", "code_block"):
            links.extend(find_bare_urls(block.content))
            plain.append(block.content)
        elif block.type == "inline":
            _read_inline(block.children or [], mentions, images, links, prose, plain)
        plain.append(" ")
        prose.append("\n")
    return ParsedPost(
        html=html,
        mentions=tuple(mentions),
        links=tuple(links),
        prose="".join(prose),
        plain=" ".join("".join(plain).split()),
        images=tuple(images),
    )


def _read_inline(
    children: list[Token],
    mentions: dict[str, None],
    images: dict[str, None],
    links: list[str],
    prose: list[str],
    plain: list[str],
) -> None:
    link_depth = 0
    run: list[str] = []  # plain text outside links, joined so a URL split by a mention is whole

    def end_run() -> None:
        if run:
            joined = "".join(run)
            links.extend(find_bare_urls(joined))
            prose.append(strip_bare_urls(joined))
            run.clear()

    for token in children:
        kind = token.type
        if kind == "link_open":
            end_run()
            link_depth += 1
            links.append(str(token.attrGet("href") or ""))
        elif kind == "link_close":
            link_depth = max(0, link_depth - 1)
        elif kind in ("text", "mention"):
            if kind == "mention":
                mentions.setdefault(token.meta["handle"], None)
            plain.append(token.content)
            if not link_depth:
                run.append(token.content)
        elif kind == "image" and _own_image_key(token):
            images.setdefault(_own_image_key(token), None)
        elif kind == "code_inline":
            end_run()
            links.extend(find_bare_urls(token.content))
            plain.append(token.content)
        elif kind in ("softbreak", "hardbreak"):
            end_run()
            plain.append(" ")
            prose.append("\n")
    end_run()
    # A link whose href was refused (javascript:) or empty is no link to a site.
    links[:] = [url for url in links if url]


def render_markdown(text: str) -> str:
    """Render Markdown to sanitized HTML, safe to store and output unescaped."""
    if not text:
        return ""
    return _CLEANER.clean(_MD.render(text)).strip()


def find_mentions(text: str) -> list[str]:
    """Distinct lowercase handles mentioned in ``text``, in order of first appearance.

    Uses the same parse as :func:`render_markdown`, so a handle is returned exactly when it is
    highlighted in the rendered post (not in code, not in link text, not in e-mail addresses).
    """
    return list(parse_post(text).mentions)


def find_links(text: str) -> list[str]:
    """Every link in the Markdown, in order of appearance, each occurrence once."""
    return list(parse_post(text).links)


def excerpt(text: str, length: int = 200) -> str:
    """Plain-text summary of ``text`` for lists and notifications (see :func:`cut_excerpt`)."""
    if length < 1:
        raise ValueError("length must be at least 1")
    return cut_excerpt(parse_post(text).plain, length)


def cut_excerpt(plain: str, length: int) -> str:
    """Cut plain text at a word boundary with "…" so that it is at most ``length`` characters.

    Markdown is already stripped (link text and code contents kept, URLs dropped) and
    whitespace collapsed. The result is plain text: escape it when putting it into HTML.
    """
    if length < 1:
        raise ValueError("length must be at least 1")
    if len(plain) <= length:
        return plain
    budget = length - 1  # room for the ellipsis
    cut = plain[:budget]
    if plain[budget] != " ":
        space = cut.rfind(" ")
        if space > 0:
            cut = cut[:space]
    return cut.rstrip(" .,;:!?-") + "…"
