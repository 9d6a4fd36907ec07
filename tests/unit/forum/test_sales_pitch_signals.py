"""The sales-pitch check, signal by signal: what each one notices, with its evidence, and
how links are found."""

from __future__ import annotations

import pytest

from community.core.links import link_host
from community.forum.company_hosts import company_slug, is_own_host
from community.forum.markdown import find_links
from community.forum.sales_pitch import (
    CALL_TO_SALES,
    EXCLAMATIONS,
    MANY_LINKS_NEW_MEMBER,
    OWN_COMPANY_LINK,
    PRICING_LANGUAGE,
    REPEATED_TEXT,
    SHOUTING,
    Signal,
)
from tests.unit.forum.test_sales_pitch import names, only, post

pytestmark = pytest.mark.sqlite_only(reason="pure functions: --db changes nothing here")

# -- each signal alone, with its evidence -------------------------------------------------------


def test_own_company_link_alone_names_the_domain() -> None:
    assessment = post("Our write-up is at https://acme.com/blog/planning.")
    signal = only(assessment)
    assert signal == Signal(OWN_COMPANY_LINK, 3, "Links to your own company's site (acme.com)")
    assert not assessment.held


def test_own_company_links_are_counted_per_link() -> None:
    signal = only(post("See https://acme.com/a and [this](https://acme.com/b)."))
    assert signal.explanation == "Links to your own company's site (acme.com) x2"
    assert signal.points == 6


def test_subdomains_of_the_email_domain_count_as_own() -> None:
    signal = only(post("Details: https://blog.acme.com/post and https://www.acme.com/"))
    assert signal.name == OWN_COMPANY_LINK
    assert "blog.acme.com" in signal.explanation
    assert "www.acme.com" in signal.explanation


def test_a_domain_that_merely_ends_like_the_email_domain_is_not_own() -> None:
    text = "See https://notacme.com/x and https://acme.com.evil.org/"
    assert post(text, company="Zenith Partners").signals == ()


def test_a_host_label_equal_to_the_company_name_counts_as_own() -> None:
    signal = only(post("Try it: https://acme.io/start", domain="acmecorp-mail.com"))
    assert signal.name == OWN_COMPANY_LINK
    assert "acme.io" in signal.explanation


@pytest.mark.parametrize(
    ("host", "own"),
    [
        ("acme.com", True),
        ("app.acme.com", True),
        ("acme.io", True),
        ("acme-corp.com", True),
        ("getacme.com", True),
        ("acmehq.co.uk", True),
        ("acme.medium.com", True),
        # The decided rule: a label that merely contains the name is somebody else's site.
        ("acmeconsulting-news.com", False),
        ("pacmeal.com", False),
        ("acmeconsulting.com", False),
        ("news.example.com", False),
    ],
)
def test_the_company_name_rule(host: str, own: bool) -> None:
    assert is_own_host(host, "acme.com", "Acme Corp") is own
    assert is_own_host(host, "", "Acme Corp") is own  # the name rule alone


def test_a_label_merely_containing_the_company_name_does_not_fire() -> None:
    assessment = post(
        "Good coverage here: https://acmeconsulting-news.com/story", domain="acme.com"
    )
    assert assessment.signals == ()


def test_free_mail_domains_are_not_treated_as_the_company() -> None:
    text = "Markets reacted: https://finance.yahoo.com/news/abc"
    assert post(text, domain="yahoo.com", company="Harbor Partners").signals == ()


def test_short_company_names_rely_on_the_email_domain_only() -> None:
    assert not is_own_host("ge.com", "gmail.com", "GE")
    assert is_own_host("ge.com", "ge.com", "GE")


def test_company_slug_drops_legal_suffixes() -> None:
    assert company_slug("Acme Corp") == "acme"
    assert company_slug("Blue Harbor Capital, LLC") == "blueharborcapital"
    assert company_slug("The Müller Group GmbH") == "mullergroup"
    assert company_slug("Inc.") == ""


def test_pricing_language_alone_quotes_the_phrases() -> None:
    signal = only(post("Ask about our special offer."))
    assert signal == Signal(PRICING_LANGUAGE, 2, 'Pricing or discount language: "special offer"')


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Start a FREE TRIAL now", '"FREE TRIAL"'),
        ("Only 5 spots, limited time", '"limited time"'),
        ("It is just $12 per seat", '"$12 per seat"'),
        ("From €1,200/month", None),
        ("Plans at $49/user/month", '"$49/user/month"'),
        ("Get a quote from the team", '"Get a quote"'),
        ("Use promo code COUNCIL", '"promo code"'),
        ("Save 25% off list", '"25% off"'),
    ],
)
def test_pricing_phrases_are_recognised(text: str, evidence: str | None) -> None:
    assessment = post(text)
    assert PRICING_LANGUAGE in names(assessment)
    if evidence is not None:
        signal = next(s for s in assessment.signals if s.name == PRICING_LANGUAGE)
        assert evidence in signal.explanation


@pytest.mark.parametrize(
    "text",
    [
        "Our budget grew 20% year on year.",
        "We spent $2M on the programme and $400k on training.",
        "The discounted cash flow model was optimistic.",
        "To quote Drucker, culture eats strategy for breakfast.",
        "Revenue was up 12% and costs down 3%.",
    ],
)
def test_money_talk_is_not_pricing_language(text: str) -> None:
    assert post(text).signals == ()


def test_call_to_sales_alone_quotes_the_phrase() -> None:
    assessment = post("If this resonates, let\u2019s hop on a call next week.")
    signal = only(assessment)
    assert signal == Signal(
        CALL_TO_SALES, 3, 'Invites readers to a sales contact: "let\'s hop on a call"'
    )
    assert not assessment.held


@pytest.mark.parametrize(
    "phrase",
    [
        "book a demo",
        "Schedule a demo",
        "request a demo",
        "DM me",
        "message me",
        "reach out to me",
        "happy to set up a call",
        "contact our sales",
        "sign up today",
        "click here",
    ],
)
def test_call_to_sales_phrases_are_recognised(phrase: str) -> None:
    signal = only(post(f"Well, {phrase} to learn more."))
    assert signal.name == CALL_TO_SALES
    assert f'"{phrase}"' in signal.explanation


def test_phrases_respect_word_boundaries_and_spacing() -> None:
    assert post("Our admin team handles it.").signals == ()  # "dm me" inside words
    assert post("The demo booking system failed.").signals == ()
    signal = only(post("Please book   a\ndemo with us."))
    assert signal.name == CALL_TO_SALES
    assert '"book a demo"' in signal.explanation


def test_many_links_from_a_new_member_counts_links_beyond_two() -> None:
    three = "Reads: https://a.org/1 https://b.org/2 https://c.org/3"
    signal = only(post(three, new=True))
    assert signal.name == MANY_LINKS_NEW_MEMBER
    assert signal.points == 3
    assert signal.explanation.startswith("3 links in a post from a new member")
    assert not post(three, new=True).held


def test_two_links_from_a_new_member_are_fine() -> None:
    assert post("See https://a.org/1 and https://b.org/2", new=True).signals == ()


def test_relative_links_and_mailto_are_not_counted_as_links() -> None:
    text = "See [above](#intro), [docs](/library/42), [me](mailto:x@y.org) and https://a.org/1"
    assert post(text, new=True).signals == ()


def test_many_links_from_an_established_member_are_fine() -> None:
    text = " ".join(f"https://site{i}.org/x" for i in range(6))
    assert post(text, new=False).signals == ()


def test_near_identical_text_counts_as_repeated() -> None:
    earlier = (
        "Council members: our quarterly planning framework cut meeting time in half. "
        "Here is how we rolled it out across six business units last year."
    )
    now = earlier.replace("six", "seven").upper()
    signal = only(post(now.lower(), recent=(earlier,)))
    assert signal.name == REPEATED_TEXT
    assert signal.points == 5
    assert "% alike" in signal.explanation
    assert "Council members: our quarterly planning" in signal.explanation


def test_identical_text_ignores_whitespace_and_case() -> None:
    earlier = "We are excited to share our new approach to board reporting with everyone here."
    signal = only(
        post(
            "  WE ARE EXCITED to share our new\napproach to board reporting with everyone   here.",
            recent=(earlier,),
        )
    )
    assert "word for word:" in signal.explanation


def test_different_text_is_not_repeated() -> None:
    earlier = "How do you structure the first ninety days of a new CIO in a regulated bank?"
    now = "What metrics do you show the board about cyber risk each quarter, and why those?"
    assert post(now, recent=(earlier,)).signals == ()


def test_short_replies_may_repeat() -> None:
    assert post("Thanks, very helpful!", recent=("Thanks, very helpful!",)).signals == ()


def test_shouting_alone() -> None:
    signal = only(post("This changed everything: ACT NOW BEFORE IT ENDS, colleagues."))
    assert signal.name == SHOUTING
    assert signal.points == 1
    assert "ACT NOW BEFORE IT ENDS" in signal.explanation


def test_a_post_mostly_in_capitals_is_shouting() -> None:
    signal = only(post("PLEASE, READ. THIS. IT MATTERS, truly"))
    assert signal.name == SHOUTING
    assert "mostly in capitals" in signal.explanation


def test_acronyms_are_not_shouting() -> None:
    assert post("Our CEO, CFO and CTO met the ERP vendor about GDPR and SOC 2.").signals == ()


def test_exclamations_alone() -> None:
    signal = only(post("What a quarter! Great team! Thank you all!"))
    assert signal == Signal(EXCLAMATIONS, 1, "3 exclamation marks")


def test_images_and_code_do_not_count_as_exclamations() -> None:
    text = "Chart: ![chart](https://a.org/c.png)\n\n```\nif a != b: print('!')\n```\nThoughts?"
    assert EXCLAMATIONS not in names(post(text))


# -- links ----------------------------------------------------------------------------------------


def test_links_are_found_in_every_markdown_form_each_once() -> None:
    text = (
        "[site](https://one.org/a) <https://two.org/b> https://three.org/c, www.four.org/d. "
        "[https://five.org](https://five.org) (see https://en.wikipedia.org/wiki/X_(y)) "
        '<a href="https://six.org/f">six</a>'
    )
    assert find_links(text) == [
        "https://one.org/a",
        "https://two.org/b",
        "https://three.org/c",
        "www.four.org/d",
        "https://five.org",
        "https://en.wikipedia.org/wiki/X_(y)",
        "https://six.org/f",
    ]


def test_links_inside_code_blocks_still_count() -> None:
    text = "Install it:\n\n```bash\ncurl https://get.acme.com/install.sh | sh\n```\n"
    signal = only(post(text))
    assert signal.name == OWN_COMPANY_LINK
    assert "get.acme.com" in signal.explanation


def test_phrases_inside_code_still_count() -> None:
    assert CALL_TO_SALES in names(post("`# book a demo: sales@acme.com`"))


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://Blog.Acme.com:8443/x?y=1", "blog.acme.com"),
        ("www.acme.com/pricing", "www.acme.com"),
        ("acme.com/pricing", "acme.com"),
        ("mailto:sales@acme.com", None),
        ("/relative/path", None),
        ("ftp://acme.com/file", None),
    ],
)
def test_link_host(url: str, host: str | None) -> None:
    assert link_host(url) == host
