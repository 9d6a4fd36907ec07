"""The ``|when`` filter: every style, naive and aware datetimes, the relative boundaries, and
that the text always names its zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from community.core.timefmt import when, when_span, when_text

pytestmark = pytest.mark.sqlite_only(reason="pure functions: --db changes nothing here")

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
INSTANT = datetime(2027, 3, 3, 9, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("style", "text"),
    [
        ("datetime", "3 Mar 2027 09:05 UTC"),
        ("date", "3 Mar 2027"),
        ("time", "09:05 UTC"),
        ("weekday", "Wed 3 Mar"),
        ("long_date", "3 March 2027"),
        ("long_datetime", "3 March 2027 09:05 UTC"),
    ],
)
def test_each_style_reads_as_a_person_writes_it(style, text):
    assert when_text(INSTANT, style) == text


def test_the_markup_carries_the_utc_instant_and_the_style_for_the_browser():
    assert str(when(INSTANT)) == (
        '<time datetime="2027-03-03T09:05:00Z" data-when="datetime">3 Mar 2027 09:05 UTC</time>'
    )
    assert str(when(INSTANT, "time")) == (
        '<time datetime="2027-03-03T09:05:00Z" data-when="time">09:05 UTC</time>'
    )


def test_a_naive_datetime_is_utc_and_an_aware_one_is_converted():
    naive = datetime(2027, 3, 3, 9, 5)  # noqa: DTZ001 (naive on purpose: SQLite returns these)
    in_paris = datetime(2027, 3, 3, 10, 5, tzinfo=ZoneInfo("Europe/Paris"))
    assert when(naive) == when(INSTANT) == when(in_paris)


def test_an_explicit_zone_is_named_and_left_alone_by_the_browser():
    markup = str(when(INSTANT, zone="America/New_York"))
    assert ">3 Mar 2027 04:05 EST</time>" in markup
    assert 'datetime="2027-03-03T09:05:00Z"' in markup and "data-when" not in markup
    summer = datetime(2027, 7, 1, 9, 5, tzinfo=UTC)
    assert when_text(summer, zone="America/New_York") == "1 Jul 2027 05:05 EDT"


def test_a_date_has_no_zone_and_is_shown_as_it_is():
    assert str(when(date(2027, 4, 15), "weekday")) == (
        '<time datetime="2027-04-15">Thu 15 Apr</time>'
    )


def test_nothing_renders_as_nothing_and_an_unknown_style_is_a_mistake():
    assert when(None) == "" and when_text(None) == ""
    with pytest.raises(ValueError, match="unknown time style"):
        when(INSTANT, "fortnight")


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (timedelta(seconds=0), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(seconds=-59), "just now"),  # a clock a little ahead
        (timedelta(minutes=1), "1 min ago"),
        (timedelta(minutes=59, seconds=59), "59 min ago"),
        (timedelta(hours=1), "1 h ago"),
        (timedelta(hours=23, minutes=59), "23 h ago"),
        (timedelta(hours=24), "yesterday"),  # 9 Mar 12:00
        (timedelta(hours=36), "yesterday"),  # 9 Mar 00:00
        (timedelta(hours=36, seconds=1), "8 Mar"),
        (timedelta(days=68), "1 Jan"),
        (timedelta(days=69), "31 Dec 2026"),
    ],
)
def test_relative_times_at_their_boundaries(age, text):
    assert when_text(NOW - age, "relative", now=NOW) == text


def test_a_time_ahead_is_shown_in_full_since_ago_would_be_false():
    assert when_text(NOW + timedelta(hours=2), "relative", now=NOW) == "10 Mar 2027 14:00 UTC"


def test_yesterday_is_the_viewers_calendar_day():
    tokyo_now = datetime(2027, 3, 10, 0, 30, tzinfo=UTC)  # 09:30 on the 10th in Tokyo
    earlier = datetime(2027, 3, 8, 16, 0, tzinfo=UTC)  # 01:00 on the 9th in Tokyo, 32 h before
    assert when_text(earlier, "relative", zone="Asia/Tokyo", now=tokyo_now) == "yesterday"
    assert when_text(earlier, "relative", zone="UTC", now=tokyo_now) == "8 Mar"


def test_a_relative_time_keeps_the_absolute_one_in_its_title():
    markup = str(when(NOW - timedelta(hours=2), "relative", now=NOW))
    assert markup == (
        '<time datetime="2027-03-10T10:00:00Z" data-when="relative" '
        'title="10 Mar 2027 10:00 UTC">2 h ago</time>'
    )


def test_an_event_span_names_the_zone_of_its_date():
    start = datetime(2027, 3, 13, 15, 0, tzinfo=UTC)
    assert str(when_span(start, start + timedelta(hours=1), "America/New_York")) == (
        '<time datetime="2027-03-13T15:00:00Z">Sat 13 Mar 2027, 10:00</time>\N{EN DASH}11:00 EST'
    )
    overnight = str(when_span(start, start + timedelta(hours=20), "America/New_York"))
    # The clocks go forward that night: each end names its own zone, not the start's twice.
    assert overnight.endswith("10:00 EST</time>\N{EN DASH}Sun 14 Mar 2027, 07:00 EDT")
