"""Is a link to the author's own company? The rule the sales-pitch check applies (see
``sales_pitch.py``'s docstring): the host is the author's email domain or a subdomain of it, or
one label of the host *is* the company's name, bare or with a common prefix or suffix. Free-mail
domains are never anybody's company."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

FREE_MAIL_DOMAINS: Final = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
    }
)
# Dropped from the end of a company's name before it is compared with a host label.
_LEGAL_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "ltd",
        "limited",
        "llc",
        "llp",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "bv",
        "nv",
        "oy",
        "ab",
        "pty",
        "srl",
        "spa",
    ]
)
# A host label is the company's when it is the name, or the name with one of these attached.
_NAME_PREFIXES = ("get", "try", "use", "go", "join", "my", "the")
_NAME_SUFFIXES = (
    "hq",
    "app",
    "inc",
    "corp",
    "co",
    "group",
    "global",
    "labs",
    "tech",
    "software",
    "online",
    "io",
    "ai",
    "hub",
    "cloud",
)
MIN_COMPANY_SLUG: Final = 3  # shorter names are too ambiguous; the email domain still counts


def company_slug(company: str) -> str:
    """ "Acme Corp" -> "acme"; "Blue Harbor Capital, LLC" -> "blueharborcapital"."""
    ascii_name = unicodedata.normalize("NFKD", company).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower().replace("&", " and "))
    while words and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    if words and words[0] == "the":
        words.pop(0)
    return "".join(words)


def _normalise_domain(domain: str) -> str:
    domain = domain.strip().lower().lstrip("@").rstrip(".")
    return domain.removeprefix("www.")


def is_own_host(host: str, email_domain: str, company: str) -> bool:
    """The rule for "your own company's site"; see the module docstring."""
    host = host.lower()
    domain = _normalise_domain(email_domain)
    if (
        domain
        and domain not in FREE_MAIL_DOMAINS
        and (host == domain or host.endswith("." + domain))
    ):
        return True
    slug = company_slug(company)
    if len(slug) < MIN_COMPANY_SLUG:
        return False
    names = {slug}
    names.update(slug + suffix for suffix in _NAME_SUFFIXES)
    names.update(prefix + slug for prefix in _NAME_PREFIXES)
    labels = host.split(".")[:-1]  # the top-level domain is never a company name
    return any(label.replace("-", "") in names for label in labels)
