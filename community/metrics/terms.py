"""The words of members' posts, for "what they are saying" and trending terms: lower-case
words of three letters or more, without the common English words that say nothing."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

WORD = re.compile(r"[a-z][a-z0-9'-]{2,29}")
# Common words and forum filler: they are in every post, so they never describe one.
_STOPWORD_TEXT = """
about above after again against all also am an and any are aren't as at be because been
before being below between both but by can can't cannot could couldn't did didn't do does
doesn't doing don't down during each few for from further get got had hadn't has hasn't
have haven't having he her here hers herself him himself his how i'd i'll i'm i've if in
into is isn't it it's its itself just let's like make many may me more most much must my
myself need no nor not now of off on once one only or other ought our ours ourselves out
over own really same see she should shouldn't so some such than that that's the their
theirs them themselves then there there's these they they'd they'll they're they've this
those through thing things think to too under until up upon us use used very was wasn't
way we we'd we'll we're we've well were weren't what what's when where which while who
whom why will with won't would wouldn't yes yet you you'd you'll you're you've your yours
yourself yourselves thanks thank anyone everyone something someone lot lots going want
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def words(text: str) -> list[str]:
    """The telling words of one text, in order."""
    return [word for word in WORD.findall(text.lower()) if word not in STOPWORDS]


def top_terms(texts: Iterable[str], limit: int) -> list[str]:
    """The ``limit`` words found in the most texts (each text counts a word once)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(words(text)))
    return [word for word, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]
