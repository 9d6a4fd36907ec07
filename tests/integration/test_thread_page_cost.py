"""What a thread page costs the database: few statements, and no write when nothing moves."""

from __future__ import annotations

from community.core.events import commit
from community.extensions import db
from community.notifications.models import UnreadBadge
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
    reader, member = as_member()
    db.session.add(UnreadBadge(member_id=member.id, unread=0, version=0))  # counted, as usual
    commit()
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
