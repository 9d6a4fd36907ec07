"""Post Markdown: normal formatting renders, nothing executable survives, mentions agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from community.forum.markdown import excerpt, find_mentions, parse_post, render_markdown

pytestmark = pytest.mark.sqlite_only(reason="pure functions: --db changes nothing here")

ALLOWED_TAGS = {
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
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "span": {"class"},
    "code": {"class"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
SAFE_SCHEMES = {"http", "https", "mailto"}
REL = "nofollow noopener noreferrer"


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]


@dataclass
class Collector(HTMLParser):
    """Records every start tag, attribute and comment the browser-like parser sees."""

    elements: list[Element] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


def assert_safe(html: str) -> Collector:
    """No tag or attribute outside the allowlist, no handlers, only safe link schemes."""
    doc = parse(html)
    assert not doc.comments, html
    for element in doc.elements:
        assert element.tag in ALLOWED_TAGS, html
        for name, value in element.attrs.items():
            assert not name.startswith("on"), html
            assert name in ALLOWED_ATTRIBUTES.get(element.tag, set()), html
            assert "javascript" not in value.lower(), html
        if element.tag == "a":
            assert element.attrs.get("rel") == REL, html
            assert "target" not in element.attrs
            href = element.attrs.get("href")
            if href is not None:
                assert urlsplit(href).scheme in SAFE_SCHEMES, html
        if element.tag == "span":
            assert element.attrs.get("class") == "mention", html
        if element.tag == "code" and "class" in element.attrs:
            assert element.attrs["class"].startswith("language-"), html
    return doc


def links(html: str) -> list[Element]:
    return [element for element in parse(html).elements if element.tag == "a"]


def mentions_in(html: str) -> list[str]:
    """Text of each mention span in rendered HTML."""

    class Spans(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.inside = False
            self.found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.inside = tag == "span" and ("class", "mention") in attrs
            if self.inside:
                self.found.append("")

        def handle_endtag(self, tag: str) -> None:
            self.inside = False

        def handle_data(self, data: str) -> None:
            if self.inside:
                self.found[-1] += data

    spans = Spans()
    spans.feed(html)
    spans.close()
    return spans.found


# --- normal Markdown ----------------------------------------------------------------------


def test_emphasis_strong_and_strikethrough() -> None:
    html = render_markdown("*em* **strong** ~~gone~~")
    assert html == "<p><em>em</em> <strong>strong</strong> <s>gone</s></p>"


def test_lists_keep_their_start_number() -> None:
    assert render_markdown("- a\n- b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    assert render_markdown("3. c\n4. d") == '<ol start="3">\n<li>c</li>\n<li>d</li>\n</ol>'


def test_inline_code_and_fenced_code_keep_their_text_escaped() -> None:
    assert render_markdown("use `a < b` here") == "<p>use <code>a &lt; b</code> here</p>"
    html = render_markdown("```python\nif a < b:\n    pass\n```")
    assert html == '<pre><code class="language-python">if a &lt; b:\n    pass\n</code></pre>'


def test_code_language_class_must_look_like_a_language() -> None:
    html = render_markdown('```x" onclick="alert(1)\ncode\n```')
    doc = assert_safe(html)
    assert [e.tag for e in doc.elements] == ["pre", "code"]


def test_blockquote_and_rule() -> None:
    html = render_markdown("> quoted\n\n---")
    assert html == "<blockquote>\n<p>quoted</p>\n</blockquote>\n<hr>"


def test_headings_are_demoted_below_the_page_headings() -> None:
    html = render_markdown("# One\n## Two\n### Three\n###### Six")
    assert html == "<h3>One</h3>\n<h4>Two</h4>\n<h5>Three</h5>\n<h6>Six</h6>"


def test_tables_with_alignment_use_align_not_style() -> None:
    html = render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert_safe(html)
    assert '<th align="left">a</th>' in html
    assert '<th align="center">b</th>' in html
    assert '<td align="right">3</td>' in html
    assert "style" not in html


def test_links_get_rel_and_keep_title() -> None:
    html = render_markdown('[site](https://example.com/a?b=1&c=2 "The title")')
    assert html == (
        f'<p><a href="https://example.com/a?b=1&amp;c=2" title="The title" rel="{REL}">site</a></p>'
    )


def test_autolinks_and_mailto_links_are_kept() -> None:
    html = render_markdown("<https://example.com> [mail](mailto:ada@example.com)")
    assert_safe(html)
    assert [a.attrs["href"] for a in links(html)] == [
        "https://example.com",
        "mailto:ada@example.com",
    ]


def test_bare_urls_stay_text_without_linkify() -> None:
    assert render_markdown("see https://example.com") == "<p>see https://example.com</p>"


def test_relative_links_lose_their_href() -> None:
    html = render_markdown("[x](/admin/delete) [y](../up) [z](#top)")
    assert_safe(html)
    assert all("href" not in a.attrs for a in links(html))


def test_images_become_links_to_the_image() -> None:
    html = render_markdown('![a chart](https://example.com/c.png "Chart")')
    assert html == (
        f'<p><a href="https://example.com/c.png" title="Chart" rel="{REL}">a chart</a></p>'
    )


def test_image_inside_a_link_leaves_only_its_alt_text() -> None:
    html = render_markdown("[![logo](https://example.com/l.png)](https://example.com)")
    assert html == f'<p><a href="https://example.com" rel="{REL}">logo</a></p>'


OWN = "/images/" + "0123456789abcdef" * 2


def test_our_own_uploaded_images_show_inline_and_are_read_off_the_parse() -> None:
    html = render_markdown(f'![the chart]({OWN}.png "Q3") and [![logo]({OWN}.jpg)](https://e.com)')
    assert html == (
        f'<p><img src="{OWN}.png" alt="the chart" title="Q3" loading="lazy"> and '
        f'<a href="https://e.com" rel="{REL}">'
        f'<img src="{OWN}.jpg" alt="logo" loading="lazy"></a></p>'
    )
    parsed = parse_post(f"![]({OWN}.png) ![]({OWN}.png) ![x](https://e.com/x.png)")
    assert parsed.images == ("0123456789abcdef" * 2,)
    assert parsed.links == ("https://e.com/x.png",)  # our image is no link to another site


@pytest.mark.parametrize(
    "source",
    [
        f"[a link, not an image]({OWN}.png)",  # relative links still lose their href
        f"![other extension]({OWN}.svg)",
        "![short key](/images/0123.png)",
        f"![elsewhere](/static{OWN}.png)",
        f"![query]({OWN}.png?x=1)",
        f"<img src={OWN}.png onerror=alert(1)>",
        f'![quote]({OWN}.png"onerror=alert(1))',
    ],
)
def test_no_other_image_or_relative_url_gets_through(source: str) -> None:
    html = render_markdown(source)
    for element in assert_safe(html).elements:
        assert element.tag != "img" and "href" not in element.attrs, html


def test_empty_text_renders_empty() -> None:
    assert render_markdown("") == ""
    assert render_markdown("   \n") == ""


def test_raw_html_is_shown_as_text() -> None:
    assert render_markdown("a <b>bold</b> claim") == "<p>a &lt;b&gt;bold&lt;/b&gt; claim</p>"


# --- XSS grid -----------------------------------------------------------------------------

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt src=https://evil.example/x.js></ScRiPt>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\n>alert(1)</script\n>",
    "<<script>script>alert(1)<</script>/script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;vascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](%6Aavascript:alert(1))",
    "[click]( javascript:alert(1) )",
    "[click](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    '<https://a.com/"onmouseover="alert(1)>',
    "[click](\njavascript:alert(1))",
    "<JAVASCRIPT:alert(1)>",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "[click][ref]\n\n[ref]: <vbscript:msgbox(1)>",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](data:text/html,<script>alert(1)</script>)",
    "<data:text/html,<script>alert(1)</script>>",
    "[click](file:///etc/passwd)",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="https://ok.example" onclick="alert(1)">click</a>',
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)" />',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<!-- comment --><script>alert(1)</script>",
    "<!--><img src=x onerror=alert(1)>-->",
    '[x](https://a.com" onmouseover="alert(1))',
    "[x](https://a.com' onmouseover='alert(1))",
    '[x](https://a.com "title\\" onmouseover=\\"alert(1)")',
    '[x](<https://a.com" onmouseover="alert(1)>)',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '[a](https://ok.example)"><script>alert(1)</script>',
    "![x](javascript:alert(1))",
    "![x](JaVaScRiPt:alert(1))",
    '![x](https://a.com/p.png" onerror="alert(1))',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "[![x](javascript:alert(1))](javascript:alert(2))",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`</code><script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "| a |\n|---|\n| <script>alert(1)</script> |",
    "> <img src=x onerror=alert(1)>",
    "# <script>alert(1)</script>",
    "@<script>alert(1)</script>",
    '@x"><script>alert(1)</script>',
    "@bob<img src=x onerror=alert(1)>",
    "[@bob](javascript:alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<a href=javascript&colon;alert(1)>x</a>",
    "\x00<script>alert(1)</script>",
    "<x onclick=alert(1)>click</x>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_leave_nothing_executable(payload: str) -> None:
    assert len(XSS_PAYLOADS) >= 30
    html = render_markdown(payload)
    assert_safe(html)
    lowered = html.lower()
    for needle in ("<script", "<img", "<svg", "<iframe", "<style", "<object", "<embed"):
        assert needle not in lowered, html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_have_no_mentions_outside_text(payload: str) -> None:
    # Whatever a payload produced, mention spans only ever hold "@" + a valid handle.
    for text in mentions_in(render_markdown(payload)):
        assert text.startswith("@")
        assert text[1:] in find_mentions(payload)


def test_rendered_html_survives_a_second_sanitize_pass_unchanged() -> None:
    # Stored HTML is final: sanitizing it again must not change it (no hidden mutation XSS).
    import nh3

    from community.forum import markdown

    source = "# T\n\n*a* @bob [l](https://x.example) `c`\n\n| a |\n|:-:|\n| b |"
    html = render_markdown(source)
    assert markdown._CLEANER.clean(html) == html
    assert "href" in nh3.clean(html)


# --- mentions -----------------------------------------------------------------------------


def test_mentions_render_as_spans_in_lowercase() -> None:
    html = render_markdown("Thanks @Ada.Lovelace and @bob_b!")
    assert html == (
        '<p>Thanks <span class="mention">@ada.lovelace</span> and '
        '<span class="mention">@bob_b</span>!</p>'
    )


def test_sentence_punctuation_is_not_part_of_the_handle() -> None:
    assert find_mentions("ask @bob. Or @carol-, or @dave...") == ["bob", "carol", "dave"]
    html = render_markdown("ask @bob.")
    assert html == '<p>ask <span class="mention">@bob</span>.</p>'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@alice hi", ["alice"]),
        ("hi @alice", ["alice"]),
        ("(@alice)", ["alice"]),
        ("@Alice @alice @ALICE @bob", ["alice", "bob"]),
        ("@bob then @alice then @bob", ["bob", "alice"]),
        ("mail a@b.com or ada@example.org", []),
        ("mail <ada@example.org>", []),
        ("`@alice` in code", []),
        ("```\n@alice\n```", []),
        ("    @alice in an indented block", []),
        ("[@alice](https://example.com)", []),
        ("[ping @alice](https://example.com)", []),
        ("<https://example.com/@alice>", []),
        ("![@alice](https://example.com/a.png)", []),
        ("[x][r] @bob\n\n[r]: https://example.com", ["bob"]),
        ("@a is too short", []),
        ("@" + "a" * 30 + " is the longest", ["a" * 30]),
        ("@" + "a" * 31 + " is too long", []),
        ("@_alice must start with a letter or digit", []),
        ("@@alice is not a mention", []),
        ("**@alice** and *@bob*", ["alice", "bob"]),
        ("> @alice quoted\n- @bob listed\n# @carol heading", ["alice", "bob", "carol"]),
        ("| @alice |\n|---|\n| @bob |", ["alice", "bob"]),
        ("@<script>", []),
        ("", []),
    ],
)
def test_find_mentions(text: str, expected: list[str]) -> None:
    assert find_mentions(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hi @Alice, see `@bob` and [@carol](https://x.example) and @dave.",
        "@x1 @y2 a@b.com <https://e.example/@z9> ![@q](https://i.example)",
        "- @one\n- **@two**\n\n```\n@three\n```\n\n> @four",
    ],
)
def test_find_mentions_agrees_with_rendering(text: str) -> None:
    rendered = [m.removeprefix("@") for m in mentions_in(render_markdown(text))]
    assert list(dict.fromkeys(rendered)) == find_mentions(text)


def test_mention_in_link_text_or_code_is_not_a_span() -> None:
    html = render_markdown("[hi @alice](https://example.com) `@bob`")
    assert 'class="mention"' not in html
    assert mentions_in(html) == []


# --- excerpt ------------------------------------------------------------------------------


def test_excerpt_strips_markdown_and_collapses_whitespace() -> None:
    text = "# Title\n\nSome **bold**   and _em_ with [a link](https://x.example).\n\n- one\n- two"
    assert excerpt(text) == "Title Some bold and em with a link. one two"


def test_excerpt_keeps_code_and_mentions_as_text() -> None:
    assert excerpt("Ask @Bob about `a < b`\n\n```\nx = 1\n```") == "Ask @bob about a < b x = 1"


def test_excerpt_is_plain_text_not_html() -> None:
    assert excerpt("<script>alert(1)</script> &amp; co") == "<script>alert(1)</script> & co"


def test_excerpt_short_text_is_unchanged() -> None:
    assert excerpt("short post", 200) == "short post"
    assert excerpt("exactly ten", 11) == "exactly ten"


def test_excerpt_cuts_at_a_word_boundary_with_an_ellipsis() -> None:
    text = "The quick brown fox jumps over the lazy dog"
    assert excerpt(text, 20) == "The quick brown fox…"
    assert excerpt(text, 18) == "The quick brown…"
    result = excerpt("word " * 100, 50)
    assert len(result) <= 50
    assert result.endswith("word…")


def test_excerpt_cuts_a_single_long_word() -> None:
    assert excerpt("a" * 30, 10) == "a" * 9 + "…"


def test_excerpt_drops_trailing_punctuation_before_the_ellipsis() -> None:
    assert excerpt("Hello, world, again and again", 14) == "Hello, world…"


def test_excerpt_rejects_a_non_positive_length() -> None:
    with pytest.raises(ValueError, match="length"):
        excerpt("text", 0)
