"""What the main pages cost the database: few statements, and no write when nothing moves."""

from __future__ import annotations

from community.core.events import commit
from community.extensions import db
from community.notifications.services import Draft, notify
from tests import factories
from tests.factories.forum import add_posts, make_community, start_thread
from tests.integration.test_query_counts import count_queries

WRITES = ("INSERT", "UPDATE", "DELETE")


def _visit(client, url: str) -> list[str]:
    db.session.remove()  # start cold, as a new request in production does
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return [s for s in statements if not s.upper().startswith(("SAVEPOINT", "ROLLBACK", "RELEASE"))]


def test_a_thread_read_before_is_shown_in_ten_statements_and_writes_nothing(as_member):
    _, author = as_member()
    reader, _ = as_member()
    thread = start_thread(author, make_community("strategy"), "Read already", "The opening.")
    add_posts(thread, author, 3)
    first = _visit(reader, f"/t/{thread.id}")
    assert any(statement.upper().startswith(WRITES) for statement in first)  # read up to 4

    again = _visit(reader, f"/t/{thread.id}")
    # Session, thread, its community's leads, where the reader stands (held posts, read
    # position, first unread), posts, reactions, poll, watch level, header counts, library box.
    assert len(again) <= 10, again
    assert not [s for s in again if s.upper().startswith(WRITES)]


def test_the_first_unread_post_still_leads_to_the_right_place(as_member):
    _, author = as_member()
    reader, _ = as_member()
    thread = start_thread(author, make_community("strategy"), "Growing", "The opening.")
    reader.get(f"/t/{thread.id}")
    add_posts(thread, author, 2)  # posts 2 and 3 are new to the reader
    assert reader.get(f"/t/{thread.id}/unread").headers["Location"].endswith("#p2")
    assert "Jump to first unread" in reader.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Jump to first unread" not in reader.get(f"/t/{thread.id}").get_data(as_text=True)


def _loads_chapter_leads(statement: str) -> bool:
    return " ".join(statement.split()).startswith("SELECT chapter_lead.community_id, member.id")


def test_lists_of_threads_do_not_load_their_communities_chapter_leads(as_member):
    """A list shows a thread's community by name: the leads (for moderation powers) are
    loaded only where the page itself needs them, for the community it is about."""
    lead = factories.make_member()
    community = make_community("strategy")
    community.leads.append(lead)
    commit()
    _, author = as_member()
    reader, _ = as_member()
    start_thread(author, community, "Unread on home", "The opening.")
    reader.get("/c/")  # builds the reader's unread state
    for url, leads_queries in (("/", 0), ("/c/", 1), ("/c/strategy", 1)):
        statements = _visit(reader, url)
        assert sum(map(_loads_chapter_leads, statements)) == leads_queries, url
    assert "Unread on home" in reader.get("/").get_data(as_text=True)


def test_a_member_never_notified_pays_the_same_header_as_one_who_was(as_member):
    """The header's badge is one kept number for every member: a member who has never had a
    notification has a badge row from the start, so their pages do not count instead."""
    quiet, _ = as_member()
    notified, member = as_member()
    notify([member.id], Draft(kind="announcement", text="Welcome", url="/"))
    commit()
    make_community("strategy")
    for url in ("/c/", "/c/strategy", "/events"):
        assert _visit(quiet, url) == _visit(notified, url), url
