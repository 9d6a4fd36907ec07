"""The settings form has one select per kind the member can receive, so it is built per member."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField

from community.core.forms import choices
from community.notifications.kinds import COMMUNITY_DIGEST, DIGEST_CHOICES, Channel, Kind


def settings_form(kinds: list[Kind], current: dict[str, Channel]) -> FlaskForm:
    every_channel = choices(*((channel.value, channel.label) for channel in Channel))
    digest_channels = choices(*((channel.value, channel.label) for channel in DIGEST_CHOICES))

    class NotificationSettingsForm(FlaskForm):
        pass

    for kind in kinds:
        field = SelectField(kind.label, choices=every_channel, default=current[kind.name].value)
        setattr(NotificationSettingsForm, kind.name, field)
    digest = SelectField(
        COMMUNITY_DIGEST.label,
        choices=digest_channels,
        default=current[COMMUNITY_DIGEST.name].value,
    )
    setattr(NotificationSettingsForm, COMMUNITY_DIGEST.name, digest)
    return NotificationSettingsForm()
