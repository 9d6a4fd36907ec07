from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from community.core.forms import choices
from community.membership.models import DECLINE_LABELS


class ApproveForm(FlaskForm):
    override_reason = TextAreaField(
        "Override reason (owners, for requests outside the policy)",
        validators=[Optional(), Length(max=2000)],
    )


class DeclineForm(FlaskForm):
    category = SelectField(
        "Reason",
        choices=choices(
            ("", "Choose a reason"), *[(c.value, label) for c, label in DECLINE_LABELS.items()]
        ),
        validators=[DataRequired("Choose a reason for declining.")],
    )
    message = TextAreaField(
        "Personal message (optional)", validators=[Optional(), Length(max=2000)]
    )


class RevokeForm(FlaskForm):
    reason = StringField("Reason (audit log)", validators=[DataRequired(), Length(max=500)])
    message = TextAreaField("Message to the member", validators=[Optional(), Length(max=2000)])


class SuspendForm(RevokeForm):
    until = DateTimeLocalField(
        "Suspended until (UTC)", format="%Y-%m-%dT%H:%M", validators=[InputRequired()]
    )


class ReinstateForm(FlaskForm):
    reason = StringField("Reason (audit log)", validators=[DataRequired(), Length(max=500)])
