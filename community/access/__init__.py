"""Visibility and powers, decided in one place.

Every view, list, search, notification, API call and socket room asks this package ("may this
member see this thread?"), never restates a rule. It stands above the models of every domain
and below their services, as Discourse's guardian stands beside its models: one module per
domain, every answer re-exported here so callers write ``access.can_see_thread(...)``.
"""

from community.access.events import (
    can_manage_events,
    can_see_event,
    visible_events_filter,
)
from community.access.forum import (
    can_moderate_community,
    can_reopen_thread,
    can_see_community,
    can_see_post,
    can_see_thread,
    check_can_reply,
    community_readers_filter,
    get_visible_post,
    get_visible_thread,
    is_chapter_lead,
    moderated_threads_filter,
    thread_readers_filter,
    visible_communities,
    visible_threads_filter,
)
from community.access.library import (
    can_edit_resource,
    can_see_discussed_resource,
    can_see_path,
    can_see_resource,
    can_see_resource_figures,
    discussed_resource_filter,
    discussed_resource_readers_filter,
    readable_resources_filter,
    resource_readers_filter,
    visible_resources_filter,
    visible_topics_filter,
)
from community.access.roles import (
    EDITOR_ROLES,
    MODERATOR_ROLES,
    ROLE_POWER,
    can_act_on_member,
    editor_required,
    is_editor,
    is_moderator,
    is_owner,
    moderator_required,
    owner_required,
    tier_admits,
)

__all__ = [
    "EDITOR_ROLES",
    "MODERATOR_ROLES",
    "ROLE_POWER",
    "can_act_on_member",
    "can_edit_resource",
    "can_manage_events",
    "can_moderate_community",
    "can_reopen_thread",
    "can_see_community",
    "can_see_discussed_resource",
    "can_see_event",
    "can_see_path",
    "can_see_post",
    "can_see_resource",
    "can_see_resource_figures",
    "can_see_thread",
    "check_can_reply",
    "community_readers_filter",
    "discussed_resource_filter",
    "discussed_resource_readers_filter",
    "editor_required",
    "get_visible_post",
    "get_visible_thread",
    "is_chapter_lead",
    "is_editor",
    "is_moderator",
    "is_owner",
    "moderated_threads_filter",
    "moderator_required",
    "owner_required",
    "readable_resources_filter",
    "resource_readers_filter",
    "thread_readers_filter",
    "tier_admits",
    "visible_communities",
    "visible_events_filter",
    "visible_resources_filter",
    "visible_threads_filter",
    "visible_topics_filter",
]
