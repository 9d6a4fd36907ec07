from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from community.core.forms import choices
from community.members.levels import LEVEL_CHOICES, LEVEL_ORDER


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PolicyForm(FlaskForm):
    # A number, checked by the form: int() in the view made "abc" a 500.
    base_version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    admitted_levels = MultiCheckboxField("Admitted levels", choices=choices(*LEVEL_CHOICES))
    blocked_email_domains = TextAreaField(
        "Personal mail domains refused (one per line)", validators=[Optional(), Length(max=4000)]
    )
    nomination_quota = IntegerField(
        "Nominations per member per month", validators=[InputRequired(), NumberRange(0, 50)]
    )
    cooldown_days = IntegerField(
        "Days before a declined address may apply again",
        validators=[InputRequired(), NumberRange(0, 3650)],
    )
    invitation_days = IntegerField(
        "Days an invitation stays valid", validators=[InputRequired(), NumberRange(1, 60)]
    )
    note = TextAreaField(
        "What changes and why (sent to affected members)", validators=[Optional(), Length(max=2000)]
    )


def add_tier_fields(
    form_class: type[PolicyForm], tier_choices: list[tuple[str, str]]
) -> type[PolicyForm]:
    """A policy form with one tier choice per level (``tier_<level>``) for the current tiers."""

    class BoundPolicyForm(form_class):  # type: ignore[misc, valid-type]
        pass

    for level in LEVEL_ORDER:
        setattr(
            BoundPolicyForm,
            f"tier_{level.value}",
            SelectField(
                f"Tier for {level.label}",
                choices=choices(("", "—"), *tier_choices),
                validate_choice=False,
            ),
        )
    return BoundPolicyForm


class TierForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=1000)])


class NewTierForm(TierForm):
    slug = StringField("Slug", validators=[DataRequired(), Length(max=40)])
    rank = IntegerField(
        "Rank (higher sees more)", validators=[InputRequired(), NumberRange(1, 1000)]
    )


class RoleForm(FlaskForm):
    role = SelectField("Role", validate_choice=False)
    reason = TextAreaField(
        "Reason (kept in the audit log)", validators=[DataRequired(), Length(max=1000)]
    )


class MemberTierForm(FlaskForm):
    tier = SelectField("Tier", validate_choice=False)
    reason = TextAreaField(
        "Reason (kept in the audit log)", validators=[DataRequired(), Length(max=1000)]
    )


class TwoFactorResetForm(FlaskForm):
    reason = TextAreaField(
        "How you confirmed it is them (kept in the audit log)",
        validators=[DataRequired(), Length(max=1000)],
    )


class AnnouncementForm(FlaskForm):
    text = StringField("Announcement (one line)", validators=[DataRequired(), Length(max=300)])
    url = StringField("Link on this site", default="/", validators=[Optional(), Length(max=300)])
    tier = SelectField("Audience", validate_choice=False)


class PitchRulesForm(FlaskForm):
    base_version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    pricing_phrases = TextAreaField(
        "Pricing and discount phrases (one per line)", validators=[Length(max=20000)]
    )
    call_to_sales_phrases = TextAreaField(
        "Invitations to a sales contact (one per line)", validators=[Length(max=20000)]
    )
    threshold = IntegerField(
        "Threshold: a post scoring this much or more is held",
        validators=[InputRequired(), NumberRange(1, 50)],
    )
    note = TextAreaField(
        "What changes and why (kept with the version)", validators=[Optional(), Length(max=2000)]
    )
