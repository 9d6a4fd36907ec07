def test_landing_page_invites_visitors_to_apply(client):
    page = client.get("/")
    assert page.status_code == 200
    assert b'href="/apply"' in page.data


def test_owner_signs_in_and_sees_admin_link(as_member):
    client, owner = as_member("owner")
    page = client.get("/")
    assert owner.name.encode() in page.data
    assert b'href="/admin/"' in page.data
