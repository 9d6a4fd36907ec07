"""The transparent sales-pitch check: "education, not sales".

A post collects *signals* (a link to the author's own company, pricing language, an offer of a
demo, ...). Each signal is worth a fixed number of points, read from the table below, and a post
whose total reaches ``THRESHOLD`` is held for a moderator's review. The author is told exactly
which signals fired and on what evidence, so the check is never a black box.

This module is pure: no database, no Flask, no clock, no randomness. The same post in the same
context always gets the same assessment. Every check runs in linear time (a member's post must
not hold the server): links and prose come from the one Markdown parse of the post, patterns
have no overlapping quantifiers, and repetition is measured on word pairs, not by difflib.

Decisions worth knowing (each is covered by a test):

* Links are found in Markdown links ``[text](url)``, autolinks ``<https://...>``, HTML ``href``
  attributes and bare URLs (``http://``, ``https://``, ``www.``). Each link counts once;
  relative links and ``mailto:`` are not links to a site and are not counted.
* Text inside code blocks still counts for links and phrases: pitches hide there too. Code is
  left out only of the "shouting" and "exclamation" checks, where SQL keywords and ``!=`` would
  otherwise be mistaken for raised voices.
* A link is to the author's own company when its host is the author's email domain or a
  subdomain of it, or when one label of the host *is* the company's name (``acme.io``,
  ``acme-corp.com``, ``getacme.com``, ``acme.medium.com`` for "Acme Corp"). A label that merely
  *contains* the name (``acmeconsulting-news.com``, ``pacmeal.com``) does not count: that would
  punish members for linking to unrelated sites. Free-mail domains (gmail.com, ...) are never
  treated as the author's company.
* Money alone is not a pitch: "our budget grew 20%" or "we spent $2M on the migration" is how
  executives talk. Only a price quoted *per unit* ("$49/user/month", "€10 per seat") counts as
  pricing language, alongside the phrases listed below.
* Very short posts ("Thanks, very helpful!") are never counted as repeated text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from types import MappingProxyType
from typing import Final

from community.core.links import link_host
from community.forum.company_hosts import is_own_host
from community.forum.markdown import parse_post


@dataclass(frozen=True)
class Weight:
    """How much one signal is worth: ``points`` per piece of evidence, at most ``cap`` in all;
    ``advice`` tells the author of a held post what to change, in plain words."""

    points: int
    cap: int
    meaning: str
    advice: str


OWN_COMPANY_LINK: Final = "own_company_link"
PRICING_LANGUAGE: Final = "pricing_language"
CALL_TO_SALES: Final = "call_to_sales"
MANY_LINKS_NEW_MEMBER: Final = "many_links_new_member"
REPEATED_TEXT: Final = "repeated_text"
SHOUTING: Final = "shouting"
EXCLAMATIONS: Final = "exclamations"

# The weights table. Moderators: this is the whole scoring rule. Signals are listed (and
# reported) in this order.
WEIGHTS: Final[Mapping[str, Weight]] = MappingProxyType(
    {
        OWN_COMPANY_LINK: Weight(
            3,
            6,
            "each link to the author's own company's site",
            "say what you learned in the post itself instead of linking to your company's site",
        ),
        PRICING_LANGUAGE: Weight(
            2, 4, "each pricing or discount phrase", "leave out prices, discounts and offers"
        ),
        CALL_TO_SALES: Weight(
            3,
            6,
            "each invitation to a demo, a sales call or a private DM",
            "drop the invitation to a demo or a call: members who want one will ask",
        ),
        MANY_LINKS_NEW_MEMBER: Weight(
            3,
            6,
            "each link beyond 2 in a new member's post",
            "keep to 2 links or fewer while you are a new member",
        ),
        REPEATED_TEXT: Weight(
            5,
            5,
            "the same or nearly the same text as a recent post",
            "write for this conversation rather than repeating an earlier post",
        ),
        SHOUTING: Weight(
            1,
            1,
            "a run of ALL-CAPS words, or a post mostly in capitals",
            "write in ordinary sentence case",
        ),
        EXCLAMATIONS: Weight(1, 1, "3 or more exclamation marks", "use fewer exclamation marks"),
    }
)

# Why 5: no single weak signal holds a post on its own. One link to your own company (3),
# pricing words however many (at most 4: executives discuss budgets and pricing strategy), one
# demo offer (3) or shouting (1) are all below 5. Any two kinds of self-promotion together do
# hold it (own link + demo offer = 6, "DM me" + "30% off" = 5), as do two links to your own
# company, and the strong signals hold on their own: repeating a recent post (5) and a new
# member's post with 4 or more links (6).
THRESHOLD: Final = 5

NEW_MEMBER_LINK_ALLOWANCE: Final = 2  # links a new member may post before it counts
SIMILARITY_THRESHOLD: Final = 0.9  # share of word pairs in common that counts as "the same text"
MIN_WORDS_FOR_REPEAT: Final = 8  # shorter posts ("Thanks, very helpful!") may repeat freely
MAX_WORDS_COMPARED: Final = 1500  # only the first words are compared: enough to tell a repeat
MIN_EXCLAMATIONS: Final = 3
MIN_CAPS_RUN: Final = 4  # consecutive ALL-CAPS words, e.g. "LIMITED TIME OFFER TODAY"
MIN_LETTERS_FOR_CAPS_RATIO: Final = 20
CAPS_RATIO: Final = 0.6  # share of capital letters that reads as shouting

# Matched case-insensitively, as whole words ("discount" does not match "discounted cash
# flow"), with any run of whitespace between words.
PRICING_PHRASES: Final[tuple[str, ...]] = (
    "pricing",
    "price list",
    "% off",
    "discount",
    "discounts",
    "free trial",
    "special offer",
    "limited time",
    "limited-time",
    "per seat",
    "per user",
    "per license",
    "per month",
    "get a quote",
    "request a quote",
    "free quote",
    "promo code",
    "coupon",
    "money-back",
)
CALL_TO_SALES_PHRASES: Final[tuple[str, ...]] = (
    "book a demo",
    "schedule a demo",
    "request a demo",
    "get a demo",
    "book a call",
    "schedule a call",
    "dm me",
    "pm me",
    "message me",
    "reach out to me",
    "let's hop on a call",
    "hop on a call",
    "happy to set up a call",
    "contact our sales",
    "contact sales",
    "talk to our sales",
    "sign up today",
    "sign up now",
    "click here",
    "visit our website",
    "free consultation",
)
# A price quoted per unit: "$49/user/month", "€10 per seat", "£5k / month".
_PRICE_PER_UNIT = (
    r"[$€£]\s?\d[\d,]*(?:\.\d+)?\s?[km]?\s*(?:/|per\s+)\s*(?:seat|user|licen[cs]e|month|mo)\b"
    r"(?:\s*(?:/|per\s+)\s*(?:month|mo|year|yr)\b)?"
)


@dataclass(frozen=True)
class Signal:
    name: str
    points: int
    explanation: str


@dataclass(frozen=True)
class PitchAssessment:
    score: int
    signals: tuple[Signal, ...]
    held: bool
    threshold: int

    def advice(self) -> str:
        """For a held post's author (and its moderators), in one paragraph: what in the post
        reads like a pitch and what to change. No score: a number against a threshold tells an
        executive nothing they can act on, and the page already says the post is held."""
        found = "; ".join(_lower_first(s.explanation) for s in self.signals)
        changes = "; ".join(dict.fromkeys(WEIGHTS[s.name].advice for s in self.signals))
        return (
            f"Parts of it read like a sales pitch: {found}. What to change: {changes}. "
            "A moderator will publish it or tell you what still needs to change."
        )

    def summary(self) -> str:
        """One paragraph, for the author and for moderators."""
        if not self.signals:
            return (
                f"No sales-pitch signals found (score 0; posts scoring {self.threshold} "
                "or more are held for a moderator's review)."
            )
        reasons = "; ".join(f"{s.explanation} (+{s.points})" for s in self.signals)
        if self.held:
            return self.advice()
        return (
            f"This post scored {self.score}, below the threshold of {self.threshold}, so it "
            f"is not held. Signals noticed: {reasons}."
        )


@dataclass(frozen=True)
class PostContext:
    """A post to assess. ``links`` and ``prose`` come from the caller's one parse of the post
    (``forum.markdown.parse_post``); when left out, the text is parsed here."""

    text: str
    author_email_domain: str
    author_company: str
    author_is_new: bool
    recent_texts: tuple[str, ...] = ()
    links: tuple[str, ...] | None = None
    prose: str | None = None


@dataclass(frozen=True)
class Rules:
    """The parts of the check owners edit (``forum/pitch_rules.py`` keeps their versions):
    the two phrase lists and the threshold. Version 0 is the built-in set below."""

    pricing_phrases: tuple[str, ...] = PRICING_PHRASES
    call_to_sales_phrases: tuple[str, ...] = CALL_TO_SALES_PHRASES
    threshold: int = THRESHOLD
    version: int = 0


DEFAULT_RULES: Final = Rules()


def assess(
    context: PostContext, threshold: int | None = None, rules: Rules = DEFAULT_RULES
) -> PitchAssessment:
    """Score a post under ``rules``; it is held when the score reaches ``threshold`` (by
    default the rules' own)."""
    threshold = rules.threshold if threshold is None else threshold
    pricing_re, call_to_sales_re = _patterns(rules.pricing_phrases, rules.call_to_sales_phrases)
    text = _clean(context.text)
    if context.links is None or context.prose is None:
        parsed = parse_post(text)
        found_links, prose = parsed.links, parsed.prose
    else:
        found_links, prose = context.links, _clean(context.prose)
    links = [url for url in map(_clean, found_links) if link_host(url) is not None]
    found = [
        _own_company_links(links, context.author_email_domain, context.author_company),
        _phrases(PRICING_LANGUAGE, pricing_re, text, "Pricing or discount language"),
        _phrases(CALL_TO_SALES, call_to_sales_re, text, "Invites readers to a sales contact"),
        _many_links(links) if context.author_is_new else None,
        _repeated(text, tuple(map(_clean, context.recent_texts))),
        _shouting(prose),
        _exclamations(prose),
    ]
    signals = tuple(s for s in found if s is not None)
    score = sum(s.points for s in signals)
    return PitchAssessment(
        score=score, signals=signals, held=score >= threshold, threshold=threshold
    )


def _lower_first(sentence: str) -> str:
    return sentence[:1].lower() + sentence[1:]


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\u2019", "'")


def _own_company_links(links: list[str], email_domain: str, company: str) -> Signal | None:
    hosts = [host for host in map(link_host, links) if host is not None]
    own = [host for host in hosts if is_own_host(host, email_domain, company)]
    if not own:
        return None
    distinct = ", ".join(dict.fromkeys(own))
    times = f" x{len(own)}" if len(own) > 1 else ""
    return _signal(
        OWN_COMPANY_LINK, len(own), f"Links to your own company's site ({distinct}){times}"
    )


def _many_links(links: list[str]) -> Signal | None:
    extra = len(links) - NEW_MEMBER_LINK_ALLOWANCE
    if extra <= 0:
        return None
    return _signal(
        MANY_LINKS_NEW_MEMBER,
        extra,
        f"{len(links)} links in a post from a new member "
        f"(new members may post up to {NEW_MEMBER_LINK_ALLOWANCE} before review)",
    )


# -- phrases -----------------------------------------------------------------------------------


def _phrase_pattern(phrase: str) -> str:
    body = r"\s+".join(re.escape(word) for word in phrase.split())
    body = body.replace("'", "['\u2019]")
    end = r"(?!\w)" if phrase[-1].isalnum() else ""
    return body + end


def _compile(phrases: Iterable[str], *extra: str) -> re.Pattern[str]:
    """One pattern for lowercased text (see ``_lowercase``), built so that the engine rejects
    a position in a few steps: each phrase starts with a plain letter, which a failed branch
    checks before anything else. Case-insensitive matching would defeat that (each letter
    becomes a set to test), and so would a look-behind in front of every phrase: the start of
    a word is tested once, for all of them."""
    # Longest first, so "let's hop on a call" wins over "hop on a call" and counts once.
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    words = [_phrase_pattern(p) for p in ordered if p[0].isalnum()]
    # "30% off", "30 % off": keep the number as evidence. Only from the first digit of a run,
    # or a long run of digits would be re-scanned from each of its digits.
    percent = [r"(?<!\d)\d+\s?" + _phrase_pattern(p) for p in ordered if p.startswith("%")]
    # An empty list of words must not become an empty alternative, which matches everywhere.
    alternatives = [*extra, *percent, *([r"(?<!\w)(?:" + "|".join(words) + ")"] if words else [])]
    return re.compile("|".join(alternatives) if alternatives else "(?!)")


def is_usable_phrase(phrase: str) -> bool:
    """A phrase the patterns can hold: it starts with a letter, a digit or "%"."""
    return bool(phrase) and (phrase[0].isalnum() or phrase.startswith("%"))


@functools.lru_cache(maxsize=8)
def _patterns(
    pricing: tuple[str, ...], call_to_sales: tuple[str, ...]
) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The two phrase patterns for one version of the lists, compiled once per process."""
    return _compile(pricing, _PRICE_PER_UNIT), _compile(call_to_sales)


# The letters that case-insensitive matching also took for an ASCII letter of a phrase, whose
# lowercase is not that letter ("\u0130".lower() is even two characters long).
_FOLD_TO_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _lowercase(text: str) -> str:
    """``text`` in lowercase, character for character, so a match's place in it is its place
    in ``text``, where the evidence is quoted as written."""
    return text.translate(_FOLD_TO_ASCII).lower()


def _phrases(name: str, pattern: re.Pattern[str], text: str, label: str) -> Signal | None:
    counts: dict[str, int] = {}
    as_written: dict[str, str] = {}  # the first spelling seen, shown as the evidence
    for match in pattern.finditer(_lowercase(text)):
        evidence = " ".join(text[match.start() : match.end()].split())
        key = evidence.lower()
        as_written.setdefault(key, evidence)
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    listed = ", ".join(
        f'"{as_written[key]}"' + (f" x{count}" if count > 1 else "")
        for key, count in counts.items()
    )
    return _signal(name, sum(counts.values()), f"{label}: {listed}")


# -- repetition --------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())[:MAX_WORDS_COMPARED]


def _pairs(words: list[str]) -> set[tuple[str, str]]:
    return set(pairwise(words))


def _likeness(pairs: set[tuple[str, str]], other: set[tuple[str, str]]) -> float:
    """The share of word pairs two texts have in common (Dice's coefficient): one pass over
    each, unlike difflib's matching, which is quadratic in the number of words."""
    if not pairs or not other:
        return 0.0
    return 2 * len(pairs & other) / (len(pairs) + len(other))


def _snippet(text: str, length: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "\u2026"


def _repeated(text: str, recent_texts: tuple[str, ...]) -> Signal | None:
    words = _words(text)
    if len(words) < MIN_WORDS_FOR_REPEAT:
        return None
    flat = " ".join(text.lower().split())
    pairs = _pairs(words)
    best: tuple[float, str] | None = None
    for recent in recent_texts:
        if " ".join(recent.lower().split()) == flat:
            best = (1.0, recent)
            break
        ratio = min(_likeness(pairs, _pairs(_words(recent))), 0.99)  # 1.0 means word for word
        if ratio >= SIMILARITY_THRESHOLD and (best is None or ratio > best[0]):
            best = (ratio, recent)
    if best is None:
        return None
    ratio, recent = best
    how = "word for word" if ratio == 1.0 else f"nearly word for word ({int(ratio * 100)}% alike)"
    return _signal(
        REPEATED_TEXT, 1, f'Repeats one of your recent posts {how}: "{_snippet(recent)}"'
    )


# -- tone --------------------------------------------------------------------------------------

# A run of ALL-CAPS words. No apostrophe inside a word: with one, every letter before an
# apostrophe is a word end, and a long "A'A'A'..." would be re-scanned from each word start.
_CAPS_RUN_RE = re.compile(
    rf"\b[A-Z][A-Z0-9]*[A-Z]\b(?:[ \t]+\b[A-Z][A-Z0-9]*[A-Z]\b){{{MIN_CAPS_RUN - 1},}}"
)


def _shouting(prose: str) -> Signal | None:
    """``prose``: the post without code or links (SQL keywords are not raised voices)."""
    run = _CAPS_RUN_RE.search(prose)
    if run:
        return _signal(SHOUTING, 1, f'Written in capitals: "{_snippet(run.group(0), 40)}"')
    letters = "".join(filter(str.isalpha, prose))  # no Python loop: 20,000 characters cost 1 ms
    if len(letters) >= MIN_LETTERS_FOR_CAPS_RATIO:
        upper = sum(map(str.isupper, letters))
        if upper / len(letters) >= CAPS_RATIO:
            return _signal(
                SHOUTING, 1, f"Written mostly in capitals ({upper * 100 // len(letters)}%)"
            )
    return None


def _exclamations(prose: str) -> Signal | None:
    count = prose.count("!")
    if count < MIN_EXCLAMATIONS:
        return None
    return _signal(EXCLAMATIONS, 1, f"{count} exclamation marks")


def _signal(name: str, evidence: int, explanation: str) -> Signal:
    weight = WEIGHTS[name]
    return Signal(
        name=name, points=min(weight.points * evidence, weight.cap), explanation=explanation
    )
