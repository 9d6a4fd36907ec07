"""One spelling per email address, so that one person is one request and one account.

``normalize_email`` is what every entry point and every lookup by email goes through:

* NFKC first, so fullwidth or compatibility forms (fullwidth ``ALICE``) become plain ones;
* the domain is case-folded and IDNA-encoded (``bücher.de`` -> ``xn--bcher-kva.de``), the form
  mail servers and DNS use;
* the local part is lowercased too. RFC 5321 lets a server treat ``Alice`` and ``alice`` as two
  mailboxes, but no provider our members use does, and the stored addresses have always been
  lowercased: keeping that rule means one person cannot hold two accounts by changing case.

``check_email`` also refuses local parts that mix scripts (a Cyrillic a among Latin letters),
which look like another person's address. It is for the forms that create requests and accounts;
lookups only normalize (a confusable address simply matches nobody).
"""

from __future__ import annotations

import contextlib
import unicodedata

import idna

from community.core.errors import DomainError

# Scripts written together in one language count as one (Japanese mixes all three).
_SAME_SCRIPT = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK"}


def normalize_email(address: str) -> str:
    """The one stored spelling of an address (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", address).strip()
    local, at, domain = text.rpartition("@")
    if not at:
        return text.lower()
    domain = domain.rstrip(".").lower()
    # An invalid domain stays as typed: the form refuses it, and a lookup matches nobody.
    with contextlib.suppress(idna.IDNAError):
        domain = idna.encode(domain, uts46=True).decode("ascii")
    return f"{local.lower()}@{domain}"


def _script(char: str) -> str:
    name = unicodedata.name(char, "UNKNOWN")
    first = name.split()[0]
    return _SAME_SCRIPT.get(first, first)


def local_part_scripts(address: str) -> set[str]:
    """The scripts of the letters before the @ (digits and punctuation belong to none)."""
    local = address.rpartition("@")[0]
    return {_script(char) for char in local if unicodedata.category(char).startswith("L")}


def check_email(address: str, field: str = "email") -> str:
    """The normalized address, or a form error when its local part mixes scripts."""
    email = normalize_email(address)
    if len(local_part_scripts(email)) > 1:
        raise DomainError(
            "This address mixes letters from different alphabets (for example Latin and "
            "Cyrillic), so it could pass for someone else's. Type it in one alphabet.",
            field=field,
        )
    return email
