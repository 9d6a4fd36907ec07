"""Forms of the member's own settings: account, time zone, level, two-step sign-in."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from community.core.forms import choices
from community.members.account import time_zone_groups
from community.members.levels import LEVEL_CHOICES
from community.members.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
    )
    password_confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", "The passwords differ.")],
    )


class ChangeEmailForm(FlaskForm):
    new_email = EmailField("New email address", validators=[DataRequired(), Length(max=254)])
    # Not "password": the password form on the same page has a field of that id.
    email_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )


class TimeZoneForm(FlaskForm):
    time_zone = SelectField("Time zone", default="UTC")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.choices = [
            SelectChoice(name, label, optgroup=region)
            for region, zones in time_zone_groups().items()
            for name, label in zones
        ]


class LevelForm(FlaskForm):
    level = SelectField("Your level", choices=choices(*LEVEL_CHOICES))


class CodeForm(FlaskForm):
    code = StringField("Code", validators=[DataRequired(), Length(max=20)])


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    code = StringField(
        "Code from your app, or a recovery code", validators=[DataRequired(), Length(max=20)]
    )
