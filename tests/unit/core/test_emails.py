"""One spelling per address: what normalize_email and check_email make of what people type."""

from __future__ import annotations

import pytest

from community.core.emails import check_email, normalize_email
from community.core.errors import DomainError

pytestmark = pytest.mark.sqlite_only(reason="pure functions: --db changes nothing here")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ＡＬＩＣＥ@Example.COM", "alice@example.com"),  # noqa: RUF001 - fullwidth on purpose
        ("  Jane.Doe@BigCo.com ", "jane.doe@bigco.com"),
        ("alice@Bücher.de", "alice@xn--bcher-kva.de"),
        ("alice@example.com.", "alice@example.com"),
    ],
)
def test_addresses_equal_under_nfkc_or_case_are_stored_the_same(typed: str, stored: str) -> None:
    assert normalize_email(typed) == stored
    assert check_email(typed) == stored


def test_a_local_part_mixing_cyrillic_with_latin_is_refused_with_a_form_error() -> None:
    with pytest.raises(DomainError, match="mixes letters from different alphabets") as refused:
        check_email("\u0430lice@example.com")  # CYRILLIC SMALL LETTER A, then Latin "lice"

    assert refused.value.field == "email"


@pytest.mark.parametrize("address", ["алиса@example.com", "山田たろう@example.jp", "j.doe2@x.com"])
def test_a_local_part_in_one_script_is_accepted(address: str) -> None:
    assert check_email(address) == normalize_email(address)
