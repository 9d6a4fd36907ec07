"""BREACH: the CSRF token is masked afresh at every rendering, so compressed pages never repeat
the session's secret byte for byte; every masked rendering is accepted, a tampered one is not."""

from __future__ import annotations

import re

from community.core.csrf import unmask_csrf_token
from tests import factories

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FORM_EXPIRED = "The form expired or was sent from another site"


def tokens_on(client, address: str) -> tuple[list[str], str]:
    page = client.get(address).get_data(as_text=True)
    return TOKEN.findall(page), page


def test_each_rendering_carries_a_different_token_and_never_the_secret(as_member):
    client, member = as_member()
    thread = factories.start_thread(member, factories.make_community(), "Boards", "How?")

    first, _ = tokens_on(client, "/password/forgot")
    second, _ = tokens_on(client, "/password/forgot")
    on_thread, thread_page = tokens_on(client, f"/t/{thread.id}")

    rendered = [*first, *second, *on_thread]
    assert len(on_thread) >= 2  # the reply form's hidden_tag() and buttons' csrf_token()
    # No response repeats another's token (a post list's forms share one within a page).
    assert not set(first) & set(second) and not set(first + second) & set(on_thread)
    signed = {unmask_csrf_token(token) for token in rendered}
    # One session, one secret, shown under a new mask every time. The signed form carries a
    # timestamp, so two responses a second apart sign the same secret differently.
    secrets = {token.split(".")[0] for token in signed}
    assert len(secrets) == 1
    for token in signed:
        assert token and token not in thread_page and not any(token in t for t in rendered)


def test_every_masked_token_is_accepted_and_a_tampered_one_refused(client):
    first = tokens_on(client, "/password/forgot")[0][0]
    second = tokens_on(client, "/password/forgot")[0][0]
    email = {"email": "nobody@example-corp.com"}

    for token in (first, second):
        sent = client.post("/password/forgot", data={**email, "csrf_token": token})
        assert sent.status_code == 200 and "nobody@example-corp.com" in sent.get_data(True)
    by_header = client.post("/password/forgot", data=email, headers={"X-CSRFToken": first})
    assert by_header.status_code == 200  # as the in-place actions send it

    flipped = first[:10] + ("A" if first[10] != "A" else "B") + first[11:]
    for tampered in (flipped, first[:-4], first + "AAAA", "not a token"):
        refused = client.post("/password/forgot", data={**email, "csrf_token": tampered})
        assert refused.status_code == 400 and FORM_EXPIRED in refused.get_data(as_text=True)
