from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from community import access
from community.core.csrf import masked_csrf_token
from community.core.errors import DomainError, NotFound, PermissionDenied, RateLimited
from community.core.forms import act_and_flash, show_domain_error, wants_json
from community.core.params import parse_id, parse_ids
from community.extensions import limiter
from community.forum import (
    communities,
    drafts,
    mentionable,
    polls,
    post_list,
    reactions,
    services,
    thread_list,
    thread_moderation,
    thread_state,
    watching,
)
from community.forum.forms import EditForm, ReplyForm, ThreadForm
from community.forum.polls import PollDraft
from community.members.viewer import signed_in_member

bp = Blueprint("forum", __name__)
# The reason is shown once, on the held post itself, where the author sees what to change.
HELD_NOTICE = "Your {what} is held for a moderator's review; the note on it says why."


@bp.get("/c/")
def community_list() -> str:
    return render_template(
        "forum/communities.html", overview=communities.get_overview(signed_in_member())
    )


@bp.get("/c/<slug>")
def community(slug: str) -> str:
    member = signed_in_member()
    community = communities.get_visible_community(member, slug)
    choice = thread_list.ListChoice.parse(request.args.get("sort"), request.args.get("show"))
    page_number = request.args.get("page", 1, type=int)
    listing = thread_list.list_threads(member, community, page_number, choice)
    return render_template(
        "forum/community.html",
        community=community,
        listing=listing,
        page=listing.page,
        pager_args=dict(slug=community.slug, **choice.as_args()),
        sorts=list(thread_list.ThreadSort),
        filters=list(thread_list.ThreadFilter),
        watch=watching.community_watch_level(member, community),
        moderates=access.can_moderate_community(member, community),
    )


@bp.route("/c/<slug>/new", methods=["GET", "POST"])
def new_thread(slug: str) -> ResponseReturnValue:
    community = communities.get_visible_community(current_user, slug)
    form = ThreadForm()
    if form.validate_on_submit():
        poll = None
        if (form.poll_question.data or "").strip() or (form.poll_options.data or "").strip():
            poll = PollDraft(
                form.poll_question.data or "",
                (form.poll_options.data or "").splitlines(),
                form.poll_multiple.data,
            )
        try:
            thread = services.create_thread(
                current_user, community, form.title.data, form.body.data, poll
            )
        except RateLimited as error:
            show_domain_error(form, error)
            page = render_template("forum/new_thread.html", community=community, form=form)
            return page, 429, error.headers
        except DomainError as error:
            show_domain_error(form, error)
        else:
            drafts.note_posted(drafts.community_scope(community.slug))
            return redirect(url_for("forum.thread", thread_id=thread.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("forum/new_thread.html", community=community, form=form), status


def _render_thread(
    thread_id: int,
    page_number: int,
    form: ReplyForm,
    status: int = 200,
    headers: dict[str, str] | None = None,
):
    member = signed_in_member()
    view = services.get_thread_page(member, thread_id, page_number)
    move_targets = communities.list_moderated_communities(member) if view.powers.move else []
    html = render_template(
        "forum/thread.html",
        view=view,
        post_list=post_list.render_post_list(member, view),
        powers=view.powers,
        form=form,
        move_targets=move_targets,
        poll=polls.get_poll_view(member, view.thread),
        watch=watching.watch_level(member, view.thread),
    )
    # Mark read after rendering: the commit expires every loaded row, and the page would
    # otherwise load each post and author again, one query each.
    if status == 200 and view.moves_read_position:
        services.mark_read(member, view.thread, max(post.number for post in view.posts.items))
    return html, status, headers or {}


@bp.get("/t/<int:thread_id>")
@bp.get("/t/<int:thread_id>/<slug>")
def thread(thread_id: int, slug: str = "") -> str:
    form = ReplyForm()
    quote_id = parse_id(request.args.get("quote"))
    if quote_id:
        quoted = access.get_visible_post(current_user, quote_id)
        author = quoted.author.handle if quoted.author else "former member"
        lines = services.get_excerpt(quoted).splitlines() or [""]
        form.body.data = f"> @{author} wrote:\n" + "\n".join(f"> {line}" for line in lines) + "\n\n"
        form.quoted_post_id.data = str(quoted.id)
    return _render_thread(thread_id, request.args.get("page", 1, type=int), form)


@bp.get("/t/<int:thread_id>/unread")
def first_unread(thread_id: int) -> Response:
    view = services.get_thread_page(current_user, thread_id)
    number = view.first_unread or view.thread.highest_post_number
    page = services.page_of_post_number(current_user, view.thread, number)
    return redirect(url_for("forum.thread", thread_id=thread_id, page=page, _anchor=f"p{number}"))


@bp.get("/t/<int:thread_id>/last")
def last_post(thread_id: int) -> Response:
    """The thread's last post the member can see, on its page: "Jump to last"."""
    thread = access.get_visible_thread(current_user, thread_id)
    number = services.get_last_post_number(current_user, thread)
    page = services.page_of_post_number(current_user, thread, number)
    return redirect(url_for("forum.thread", thread_id=thread_id, page=page, _anchor=f"p{number}"))


@bp.get("/p/<int:post_id>")
def post(post_id: int) -> Response:
    """A post's permanent link, as notifications and emails use: the page it is on now."""
    post = access.get_visible_post(current_user, post_id)
    page = services.page_of_post_number(current_user, post.thread, post.number)
    return redirect(
        url_for("forum.thread", thread_id=post.thread_id, page=page, _anchor=f"p{post.number}")
    )


@bp.post("/t/<int:thread_id>/reply")
def reply(thread_id: int) -> Response | tuple[str, int]:
    form = ReplyForm()
    if form.validate_on_submit():
        quoted = parse_id(form.quoted_post_id.data)
        try:
            post = services.reply(current_user, thread_id, form.body.data, quoted)
        except NotFound:
            raise  # the 404 page; a closed thread's PermissionDenied stays a form error
        except RateLimited as error:
            show_domain_error(form, error)
            return _render_thread(thread_id, 10_000, form, 429, error.headers)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            drafts.note_posted(drafts.thread_scope(thread_id))
            page = services.page_of_post_number(current_user, post.thread, post.number)
            if post.is_held:
                flash(HELD_NOTICE.format(what="reply"), "error")
            return redirect(
                url_for("forum.thread", thread_id=thread_id, page=page, _anchor=f"p{post.number}")
            )
    last_page = 10_000  # the form comes back where replies are: at the end of the thread
    return _render_thread(thread_id, last_page, form, 400)


@bp.post("/p/<int:post_id>/react")
def react(post_id: int) -> ResponseReturnValue:
    try:
        post = access.get_visible_post(current_user, post_id)
        reactions.toggle_reaction(current_user, post_id, request.form.get("kind", ""))
    except NotFound:
        raise  # the 404 page, not a flashed message
    except DomainError as error:
        if wants_json():
            return jsonify(error=error.message), 400
        flash(error.message, "error")
        post = access.get_visible_post(current_user, post_id)
    if wants_json():
        summary = reactions.get_post_reactions(current_user, post_id)
        return jsonify(
            post_id=post_id,
            reactions={
                kind: {"count": len(who.names), "names": who.names, "mine": who.mine}
                for kind, who in summary.items()
            },
        )
    page = services.page_of_post_number(current_user, post.thread, post.number)
    return redirect(
        url_for("forum.thread", thread_id=post.thread_id, page=page, _anchor=f"p{post.number}")
    )


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
def edit(post_id: int) -> Response | tuple[str, int]:
    post = access.get_visible_post(current_user, post_id)
    if not access.can_edit_post(current_user, post):
        abort(403)
    form = EditForm(data={"body": post.body} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            post = services.edit_post(current_user, post_id, form.body.data)
        except PermissionDenied:
            raise  # the 403 page, as the can_edit check above answers
        except DomainError as error:
            show_domain_error(form, error)
        else:
            drafts.note_posted(drafts.post_scope(post_id))
            if post.is_held:
                flash(HELD_NOTICE.format(what="post"), "error")
            return redirect(
                url_for(
                    "forum.thread",
                    thread_id=post.thread_id,
                    page=services.page_of_post_number(current_user, post.thread, post.number),
                    _anchor=f"p{post.number}",
                )
            )
    return render_template("forum/edit.html", post=post, form=form), 400 if form.errors else 200


@bp.post("/p/<int:post_id>/delete")
def delete(post_id: int) -> Response:
    post = services.delete_post(current_user, post_id)
    flash("The post is deleted.", "success")
    return redirect(url_for("forum.thread", thread_id=post.thread_id))


@bp.get("/p/<int:post_id>/revisions")
def revisions(post_id: int) -> str:
    post = access.get_visible_post(current_user, post_id)
    history = services.get_revisions(current_user, post_id)
    return render_template("forum/revisions.html", post=post, revisions=history)


# Each button's change to the thread, and what the moderator is told once it is done.
MODERATION_ACTIONS = {
    "pin": ({"pinned": True}, "Thread pinned."),
    "unpin": ({"pinned": False}, "Thread unpinned."),
    "lock": ({"locked": True}, "Thread locked: only moderators may post."),
    "unlock": ({"locked": False}, "Thread unlocked."),
}


@bp.post("/t/<int:thread_id>/moderate")
def moderate_thread(thread_id: int) -> Response:
    action = request.form.get("action", "")
    if action not in MODERATION_ACTIONS:
        abort(400)
    change, done = MODERATION_ACTIONS[action]
    return _thread_action(
        thread_id,
        lambda: thread_moderation.set_thread_flags(current_user, thread_id, **change),
        done,
    )


def _thread_action(thread_id: int, action, done: str) -> Response:
    act_and_flash(action, done)
    return redirect(url_for("forum.thread", thread_id=thread_id))


@bp.post("/t/<int:thread_id>/assign")
def assign(thread_id: int) -> Response:
    handle = request.form.get("assignee", "")
    return _thread_action(
        thread_id,
        lambda: thread_moderation.assign_thread(current_user, thread_id, handle),
        "Marked as needing a response.",
    )


@bp.post("/t/<int:thread_id>/unassign")
def unassign(thread_id: int) -> Response:
    return _thread_action(
        thread_id,
        lambda: thread_moderation.clear_assignment(current_user, thread_id),
        "No longer waiting for a response.",
    )


@bp.post("/t/<int:thread_id>/close")
def close(thread_id: int) -> Response:
    reason = request.form.get("reason", "")
    return _thread_action(
        thread_id,
        lambda: thread_state.close_thread(current_user, thread_id, reason),
        "Thread closed: it takes no new replies.",
    )


@bp.post("/t/<int:thread_id>/reopen")
def reopen(thread_id: int) -> Response:
    return _thread_action(
        thread_id,
        lambda: thread_state.reopen_thread(current_user, thread_id),
        "Thread reopened.",
    )


@bp.post("/t/<int:thread_id>/move")
def move(thread_id: int) -> Response:
    slug = request.form.get("community", "")
    return _thread_action(
        thread_id,
        lambda: thread_moderation.move_thread(current_user, thread_id, slug),
        "Thread moved.",
    )


@bp.get("/assigned")
def assigned() -> str:
    return render_template(
        "forum/assigned.html", threads=thread_moderation.list_assigned(current_user)
    )


@bp.post("/t/<int:thread_id>/vote")
def vote(thread_id: int) -> ResponseReturnValue:
    choices = parse_ids(request.form.getlist("option"))
    if not wants_json():
        return _thread_action(
            thread_id, lambda: polls.vote(current_user, thread_id, choices), "Your vote is counted."
        )
    try:
        polls.vote(current_user, thread_id, choices)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        return jsonify(error=error.message), 400
    view = services.get_thread_page(current_user, thread_id)
    html = render_template(
        "forum/_poll.html",
        poll=polls.get_poll_view(current_user, view.thread),
        thread=view.thread,
        powers=view.powers,
        token=masked_csrf_token(),
    )
    return jsonify(message="Your vote is counted.", html=html)


@bp.post("/t/<int:thread_id>/poll/close")
def close_poll(thread_id: int) -> Response:
    return _thread_action(
        thread_id, lambda: polls.close_poll(current_user, thread_id), "The poll is closed."
    )


WATCH_SAVED = "Notification level saved."


@bp.post("/t/<int:thread_id>/watch")
def watch_thread(thread_id: int) -> ResponseReturnValue:
    level = request.form.get("level", "")
    if wants_json():
        return _watch_answer(lambda: watching.set_thread_watch(current_user, thread_id, level))
    return _thread_action(
        thread_id,
        lambda: watching.set_thread_watch(current_user, thread_id, level),
        WATCH_SAVED,
    )


@bp.post("/c/<slug>/watch")
def watch_community(slug: str) -> ResponseReturnValue:
    community = communities.get_visible_community(current_user, slug)
    level = request.form.get("level", "")
    if wants_json():
        return _watch_answer(lambda: watching.set_community_watch(current_user, community, level))
    try:
        watching.set_community_watch(current_user, community, level)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(WATCH_SAVED, "success")
    return redirect(url_for("forum.community", slug=slug))


def _watch_answer(save: Callable[[], object]) -> ResponseReturnValue:
    """A watch level saved for the page's script: the level and the message, or the error."""
    try:
        save()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        return jsonify(error=error.message), 400
    return jsonify(level=request.form.get("level", ""), message=WATCH_SAVED)


# --- @handle suggestions for the editor (static/js/mentions.js); pages work without them ------


def _per_member() -> str:
    return f"member:{current_user.id}"


MENTION_LIMIT = limiter.limit("60 per minute", key_func=_per_member)


@bp.get("/t/<int:thread_id>/mentionable")
@MENTION_LIMIT
def mentionable_in_thread(thread_id: int) -> Response:
    found = mentionable.mentionable_in_thread(current_user, thread_id, request.args.get("q", ""))
    return _suggestions(found)


@bp.get("/c/<slug>/mentionable")
@MENTION_LIMIT
def mentionable_in_community(slug: str) -> Response:
    community = communities.get_visible_community(current_user, slug)
    return _suggestions(
        mentionable.mentionable_in_community(current_user, community, request.args.get("q", ""))
    )


def _suggestions(found: list[mentionable.Suggestion]) -> Response:
    """The handles (as before), and each member's name and title for the picker to show."""
    return jsonify(
        handles=[each.handle for each in found],
        members=[{"handle": m.handle, "name": m.name, "title": m.title} for m in found],
    )
