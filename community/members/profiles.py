"""Profiles: what a member tells peers about themselves, and what a profile page shows.

The level is not edited here: a level change is judged by the membership policy (the account
settings). Who may open a profile is the access package's rule (``access.can_see_profile``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from community import access
from community.core.errors import DomainError
from community.core.events import commit, on_commit
from community.extensions import db
from community.forum.models import Post, Reaction
from community.members import photos
from community.members.models import DirectoryVisibility, Member, MemberInterest

MAX_BIO_LENGTH = 1000
MAX_INTERESTS = 8
MAX_INTEREST_LENGTH = 40
RECENT_POSTS = 10
# Letters (any script), digits, spaces and a little punctuation: "supply chain", "m&a", "c++".
_INTEREST_RE = re.compile(r"[^\W_](?:[\w &+./-]*[^\W_+]|[+]*)?")


@dataclass(frozen=True)
class ProfileChanges:
    """What the profile form sends. ``photo`` is the uploaded file's bytes, or None."""

    name: str
    title: str
    company: str
    region: str
    bio: str
    interests: str  # comma-separated, as typed
    directory_visibility: str
    photo: bytes | None = None
    remove_photo: bool = False


def parse_interests(text: str) -> list[str]:
    """Distinct lowercase tags from "Supply chain, M&A, AI", in the order typed."""
    tags: dict[str, None] = {}
    for part in text.split(","):
        tag = " ".join(part.split()).lower()
        if not tag:
            continue
        if len(tag) > MAX_INTEREST_LENGTH:
            raise DomainError(
                f"Keep each interest under {MAX_INTEREST_LENGTH} characters ({tag[:20]}…).",
                field="interests",
            )
        if not _INTEREST_RE.fullmatch(tag):
            raise DomainError(
                f"“{tag}” is not a tag: use words, digits, spaces and & + . / -.",
                field="interests",
            )
        tags.setdefault(tag, None)
    if len(tags) > MAX_INTERESTS:
        raise DomainError(f"List at most {MAX_INTERESTS} interests.", field="interests")
    return list(tags)


def _clean_bio(text: str) -> str:
    """Plain text with its line breaks, at most two in a row, without trailing spaces."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    bio = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if len(bio) > MAX_BIO_LENGTH:
        raise DomainError(
            f"Keep the bio under {MAX_BIO_LENGTH} characters (it has {len(bio)}).", field="bio"
        )
    return bio


def update_profile(member: Member, changes: ProfileChanges) -> Member:
    """Save the member's profile. Everything is checked before anything is written, so a
    refused photo keeps none of the rest half-saved (and the form keeps what was typed)."""
    name = " ".join(changes.name.split())
    if not name:
        raise DomainError("Give the name peers know you by.", field="name")
    if len(name) > 120:
        raise DomainError("Keep the name under 120 characters.", field="name")
    try:
        visibility = DirectoryVisibility(changes.directory_visibility)
    except ValueError:
        raise DomainError("Choose who may find you.", field="directory_visibility") from None
    bio = _clean_bio(changes.bio)
    tags = parse_interests(changes.interests)
    prepared = photos.prepare_photo(changes.photo, member.id) if changes.photo else None

    member.name = name
    member.title = changes.title.strip()[:120]
    member.company = changes.company.strip()[:120]
    member.region = changes.region.strip()[:80]
    member.bio = bio
    member.directory_visibility = visibility.value
    kept = {interest.tag: interest for interest in member.interests}
    member.interests = [kept.get(tag) or MemberInterest(tag=tag) for tag in tags]
    old_photo = member.photo
    if prepared is not None:
        # Written before the commit, so the row never names a missing file.
        photos.store_photo(prepared)
        member.photo = prepared.stem
    elif changes.remove_photo:
        member.photo = ""
    if old_photo and old_photo != member.photo:
        on_commit(photos.remove_photo, old_photo)
    commit()
    return member


def update_bio_and_photo(member: Member, bio: str, photo: bytes | None) -> Member:
    """The welcome page's two questions; the rest of the profile stays as it is."""
    return update_profile(
        member,
        ProfileChanges(
            name=member.name,
            title=member.title,
            company=member.company,
            region=member.region,
            bio=bio,
            interests=", ".join(interest.tag for interest in member.interests),
            directory_visibility=member.directory_visibility,
            photo=photo,
        ),
    )


@dataclass(frozen=True)
class ProfilePage:
    member: Member
    recent_posts: list[Post]
    reactions_received: int
    post_count: int


def get_profile_page(viewer: Member, member_id: int) -> ProfilePage:
    """The profile, or NotFound when it is missing or out of the viewer's sight. Only posts
    the viewer could open are listed; the counts are the member's public record."""
    member = access.get_visible_member(viewer, member_id)
    recent = (
        select(Post)
        .join(Post.thread)
        .options(contains_eager(Post.thread))
        .where(
            Post.author_id == member.id,
            access.visible_threads_filter(viewer),
            access.visible_posts_filter(viewer, moderator=False),
        )
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(RECENT_POSTS)
    )
    live_posts = (Post.author_id == member.id) & Post.deleted_at.is_(None)
    reactions = db.session.scalar(
        select(func.count()).select_from(Reaction).join(Post).where(live_posts)
    )
    post_count = db.session.scalar(select(func.count()).select_from(Post).where(live_posts))
    return ProfilePage(
        member=member,
        recent_posts=list(db.session.scalars(recent)),
        reactions_received=reactions or 0,
        post_count=post_count or 0,
    )


def get_member_by_handle(viewer: Member, handle: str) -> Member:
    """The member an @mention names, under the same rule as their profile page."""
    member_id = db.session.scalar(select(Member.id).where(Member.handle == handle.lower()))
    return access.get_visible_member(viewer, member_id or 0)
