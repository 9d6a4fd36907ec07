"""The sales-pitch check: executives' questions pass, pitches are held, authors learn why."""

from __future__ import annotations

import pytest

from community.core.links import link_host
from community.forum.markdown import find_links
from community.moderation.sales_pitch import (
    CALL_TO_SALES,
    EXCLAMATIONS,
    MANY_LINKS_NEW_MEMBER,
    OWN_COMPANY_LINK,
    PRICING_LANGUAGE,
    REPEATED_TEXT,
    SHOUTING,
    THRESHOLD,
    WEIGHTS,
    PitchAssessment,
    PostContext,
    Signal,
    assess,
    company_slug,
    is_own_host,
)


def post(
    text: str,
    *,
    domain: str = "acme.com",
    company: str = "Acme Corp",
    new: bool = False,
    recent: tuple[str, ...] = (),
) -> PitchAssessment:
    return assess(
        PostContext(
            text=text,
            author_email_domain=domain,
            author_company=company,
            author_is_new=new,
            recent_texts=recent,
        )
    )


def only(assessment: PitchAssessment) -> Signal:
    assert len(assessment.signals) == 1, assessment.signals
    return assessment.signals[0]


def names(assessment: PitchAssessment) -> list[str]:
    return [s.name for s in assessment.signals]


# -- ordinary executive posts are not held ------------------------------------------------------

ORDINARY_POSTS = [
    pytest.param(
        "How are you structuring the CFO-CIO relationship after an ERP migration?\n\n"
        "Our budget grew 20% this year and the board wants a clearer view of ROI. We spent $2M "
        "on the migration and I'd like to hear how others report on it.",
        id="budget-and-money",
    ),
    pytest.param(
        "Interesting piece on AI regulation in the EU: "
        "[FT analysis](https://www.ft.com/content/abc123). Has anyone briefed their board "
        "on what it means for vendor contracts?",
        id="news-link",
    ),
    pytest.param(
        "Gartner's latest research (https://www.gartner.com/en/documents/4012345) says 60% of "
        "CIOs are consolidating vendors. At Acme Corp we went the other way: we split our "
        "platform team in two and it worked. Happy to compare notes here in the thread.",
        id="research-link-and-own-company-named-without-link",
    ),
    pytest.param(
        "We renegotiated our cloud contract last quarter. The vendor opened with a 10% "
        "discount, we ended at 22% by committing to three years. How do you approach pricing "
        "conversations with hyperscalers?",
        id="procurement-talk-mentions-pricing",
    ),
    pytest.param(
        "Lessons from our first year with a fractional CISO:\n\n"
        "1. Define the decision rights early.\n2. Budget for tooling separately.\n"
        "3. Expect the DCF (discounted cash flow) case for security to be weak; argue risk.\n\n"
        "What would you add?",
        id="experience-report",
    ),
    pytest.param(
        "Thanks, this is really helpful!",
        id="short-thanks",
    ),
    pytest.param(
        "Our runbook uses this query:\n\n```sql\nSELECT region, SUM(revenue) FROM sales "
        "WHERE year = 2024 GROUP BY region;\n```\n\nDoes anyone track this per segment?",
        id="code-with-capitals",
    ),
]


@pytest.mark.parametrize("text", ORDINARY_POSTS)
def test_an_ordinary_executive_post_is_not_held(text: str) -> None:
    assessment = post(text)
    assert not assessment.held
    assert assessment.score < THRESHOLD


@pytest.mark.parametrize("text", ORDINARY_POSTS)
def test_an_ordinary_post_from_a_new_member_is_not_held(text: str) -> None:
    assert not post(text, new=True).held


def test_ordinary_posts_raise_no_signals_at_all() -> None:
    text = (
        "Our budget grew 20% and we spent $2M on the migration. "
        "See https://www.reuters.com/technology/ for the context. Acme Corp is hiring."
    )
    assert post(text).signals == ()
    assert post(text).score == 0


# -- clear pitches are held ---------------------------------------------------------------------


def test_own_domain_link_and_book_a_demo_is_held() -> None:
    assessment = post(
        "We solved vendor sprawl with our platform: https://acme.com/platform. "
        "Book a demo and see for yourself."
    )
    assert assessment.held
    assert names(assessment) == [OWN_COMPANY_LINK, CALL_TO_SALES]
    assert assessment.score == 6


def test_dm_me_for_30_percent_off_is_held() -> None:
    assessment = post("DM me for 30% off our leadership programme.")
    assert assessment.held
    assert names(assessment) == [PRICING_LANGUAGE, CALL_TO_SALES]
    assert assessment.score == THRESHOLD


def test_a_new_member_posting_four_links_is_held() -> None:
    text = (
        "Useful reading: https://a-news.com/1 https://b-research.org/2 "
        "[three](https://c-blog.net/3) <https://d-site.io/4>"
    )
    assessment = post(text, new=True)
    assert assessment.held
    signal = only(assessment)
    assert signal.name == MANY_LINKS_NEW_MEMBER
    assert signal.points == 6
    assert "4 links" in signal.explanation


def test_the_same_text_posted_again_is_held() -> None:
    text = "Leaders: the one framework that fixed our quarterly planning, and how to adopt it."
    assessment = post(text, recent=("Something else entirely, nothing alike.", text))
    assert assessment.held
    assert only(assessment).name == REPEATED_TEXT


def test_a_full_blown_pitch_scores_every_signal_it_shows() -> None:
    assessment = post(
        "LIMITED TIME OFFER FOR COUNCIL MEMBERS!!! Visit https://acme.com and "
        "https://try.acme.io - pricing starts at $49/user/month. Book a demo today!",
        new=True,
    )
    assert assessment.held
    assert names(assessment) == [
        OWN_COMPANY_LINK,
        PRICING_LANGUAGE,
        CALL_TO_SALES,
        SHOUTING,
        EXCLAMATIONS,
    ]


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


# -- caps -----------------------------------------------------------------------------------------


def test_own_company_links_are_capped() -> None:
    text = " ".join(f"https://acme.com/{i}" for i in range(5))
    signal = only(post(text))
    assert signal.points == WEIGHTS[OWN_COMPANY_LINK].cap == 6
    assert signal.explanation.endswith("x5")


def test_pricing_language_is_capped_below_the_threshold() -> None:
    text = "Pricing, discount, free trial, special offer, per seat, coupon, promo code."
    assessment = post(text)
    signal = only(assessment)
    assert signal.points == WEIGHTS[PRICING_LANGUAGE].cap == 4
    assert not assessment.held


def test_repeated_phrases_are_counted_and_capped() -> None:
    signal = only(post("DM me. Really, DM me. Or DM me. Or book a demo."))
    assert signal.points == WEIGHTS[CALL_TO_SALES].cap == 6
    assert signal.explanation == 'Invites readers to a sales contact: "DM me" x3, "book a demo"'


def test_many_links_is_capped() -> None:
    text = " ".join(f"https://site{i}.org/x" for i in range(10))
    assert only(post(text, new=True)).points == WEIGHTS[MANY_LINKS_NEW_MEMBER].cap


def test_each_cap_is_at_least_its_points() -> None:
    for weight in WEIGHTS.values():
        assert weight.cap >= weight.points > 0


# -- threshold ------------------------------------------------------------------------------------


def test_exactly_at_the_threshold_is_held_and_one_below_is_not() -> None:
    at = post("DM me for 30% off.")  # 3 + 2
    below = post("Pricing and a discount, PM.")  # 2 + 2
    assert at.score == THRESHOLD and at.held
    assert below.score == THRESHOLD - 1 and not below.held


def test_a_custom_threshold_is_used_and_reported() -> None:
    text = "Our write-up: https://acme.com/blog"  # 3 points
    assert assess(PostContext(text, "acme.com", "Acme", False), threshold=3).held
    low = assess(PostContext(text, "acme.com", "Acme", False), threshold=4)
    assert not low.held
    assert low.threshold == 4


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


# -- summary --------------------------------------------------------------------------------------


def test_summary_of_a_held_post_names_every_signal_and_the_hold() -> None:
    assessment = post("Our platform: https://acme.com/p. Book a demo.")
    summary = assessment.summary()
    assert "held for a moderator's review" in summary
    assert "scored 6" in summary and "threshold of 5" in summary
    assert "Links to your own company's site (acme.com) (+3)" in summary
    assert 'Invites readers to a sales contact: "Book a demo" (+3)' in summary
    assert "\n" not in summary


def test_summary_of_a_post_below_the_threshold_is_not_a_hold() -> None:
    summary = post("Our write-up: https://acme.com/blog").summary()
    assert "not held" in summary
    assert "held for a moderator's review" not in summary
    assert "acme.com" in summary


def test_summary_with_no_signals() -> None:
    summary = post("How do you run your QBRs?").summary()
    assert summary.startswith("No sales-pitch signals found")
    assert "score 0" in summary


# -- determinism ----------------------------------------------------------------------------------


def test_assessment_is_deterministic_and_ordered_by_the_table() -> None:
    text = (
        "DM me!!! FREE TRIAL AT ACME NOW https://acme.com https://x.org https://y.org "
        "https://z.org 50% off"
    )
    context = PostContext(text, "acme.com", "Acme Corp", True, (text,))
    first = assess(context)
    assert all(assess(context) == first for _ in range(5))
    order = list(WEIGHTS)
    assert names(first) == sorted(names(first), key=order.index)
    assert set(names(first)) == set(WEIGHTS)
