"""The sales-pitch check's editable rules, versioned like the membership policy.

Owners edit the two phrase lists and the threshold; each save adds a ``PitchRules`` row with
its author and time, and the newest is the one every post and first contact is checked
against. Version 0 is the built-in set in ``sales_pitch.py``, in force until the first save.
The weights stay in code: they are the scoring rule the check explains to every author.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from community import access
from community.core.audit import record_audit
from community.core.errors import DomainError
from community.core.events import commit
from community.extensions import db
from community.forum.models import PitchRules
from community.forum.sales_pitch import DEFAULT_RULES, Rules, is_usable_phrase
from community.members.models import Member

MAX_PHRASES = 200
MAX_PHRASE_LENGTH = 60
THRESHOLD_RANGE = (1, 50)


def _as_rules(row: PitchRules) -> Rules:
    return Rules(
        pricing_phrases=tuple(row.pricing_phrases),
        call_to_sales_phrases=tuple(row.call_to_sales_phrases),
        threshold=row.threshold,
        version=row.version,
    )


def get_current_rules() -> Rules:
    """The rules in force: the newest saved version, or the built-in set."""
    row = db.session.scalars(
        select(PitchRules).order_by(PitchRules.version.desc()).limit(1)
    ).first()
    return DEFAULT_RULES if row is None else _as_rules(row)


def list_versions(owner: Member) -> list[PitchRules]:
    """Every saved version, newest first, with its author."""
    access.check_owner(owner)
    return list(
        db.session.scalars(
            select(PitchRules)
            .options(joinedload(PitchRules.created_by))
            .order_by(PitchRules.version.desc())
        )
    )


@dataclass(frozen=True)
class RulesDraft:
    pricing_phrases: str  # one phrase per line, as the form sends them
    call_to_sales_phrases: str
    threshold: int
    note: str = ""


def _phrases(text: str, field: str) -> list[str]:
    """One phrase per line: spaces folded, lowercased, duplicates dropped, order kept."""
    phrases = list(dict.fromkeys(" ".join(line.split()).lower() for line in text.splitlines()))
    phrases = [phrase for phrase in phrases if phrase]
    if len(phrases) > MAX_PHRASES:
        raise DomainError(f"Keep each list under {MAX_PHRASES} phrases.", field=field)
    for phrase in phrases:
        if len(phrase) > MAX_PHRASE_LENGTH:
            raise DomainError(
                f"“{phrase[:30]}…” is too long: phrases are at most {MAX_PHRASE_LENGTH} "
                "characters.",
                field=field,
            )
        if not is_usable_phrase(phrase):
            raise DomainError(f"“{phrase}” must start with a letter, a digit or “%”.", field=field)
    return phrases


def save_rules(owner: Member, draft: RulesDraft, base_version: int) -> Rules:
    """Save the draft as the next version, audit-logged. ``base_version``: the version the
    owner's form was made from; if another owner saved since, nothing is overwritten."""
    access.check_owner(owner)
    current = get_current_rules()
    if base_version != current.version:
        raise DomainError(
            f"Another owner saved version {current.version} while you were editing. "
            "Review it and make your change again."
        )
    low, high = THRESHOLD_RANGE
    if not low <= draft.threshold <= high:
        raise DomainError(f"The threshold is a number from {low} to {high}.", field="threshold")
    pricing = _phrases(draft.pricing_phrases, "pricing_phrases")
    calls = _phrases(draft.call_to_sales_phrases, "call_to_sales_phrases")
    if (
        tuple(pricing) == current.pricing_phrases
        and tuple(calls) == current.call_to_sales_phrases
        and draft.threshold == current.threshold
    ):
        raise DomainError("Nothing changed: these are the rules in force.")
    row = PitchRules(
        version=current.version + 1,
        pricing_phrases=pricing,
        call_to_sales_phrases=calls,
        threshold=draft.threshold,
        note=draft.note.strip(),
        created_by=owner,
    )
    db.session.add(row)
    added = sorted(
        set(pricing + calls) - set(current.pricing_phrases + current.call_to_sales_phrases)
    )
    removed = sorted(
        set(current.pricing_phrases + current.call_to_sales_phrases) - set(pricing + calls)
    )
    record_audit(
        owner,
        "pitch_rules.changed",
        "pitch_rules",
        row.version,
        target_label=f"Sales-pitch rules version {row.version}",
        reason=row.note,
        threshold_from=str(current.threshold),
        threshold_to=str(draft.threshold),
        added=", ".join(added)[:500],
        removed=", ".join(removed)[:500],
    )
    try:
        commit()
    except IntegrityError:
        # Two owners saving the same next version at once: the unique version refuses one.
        db.session.rollback()
        raise DomainError(
            "Another owner saved a version at the same moment. Review it and try again."
        ) from None
    return _as_rules(row)
