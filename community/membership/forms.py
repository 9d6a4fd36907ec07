from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Email, EqualTo, Length, Optional

from community.core.forms import choices
from community.members.levels import LEVEL_CHOICES
from community.members.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class RequestForm(FlaskForm):
    """The public request form; members use the same fields to nominate a peer."""

    name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        "Work email",
        validators=[DataRequired(), Email("Enter a valid email address."), Length(max=254)],
    )
    title = StringField("Job title", validators=[DataRequired(), Length(max=120)])
    level = SelectField(
        "Level",
        choices=choices(("", "Choose a level"), *LEVEL_CHOICES),
        validators=[DataRequired("Choose a level.")],
        validate_choice=True,
    )
    company = StringField("Company", validators=[DataRequired(), Length(max=120)])
    region = StringField("Region", validators=[DataRequired(), Length(max=80)])
    profile_url = URLField(
        "Profile link (optional)",
        validators=[
            Optional(),
            URL(message="Enter a full web address starting with https://"),
            Length(max=300),
        ],
    )
    reason = TextAreaField(
        "Why do you want to join?", validators=[DataRequired(), Length(min=20, max=2000)]
    )


class NominationForm(RequestForm):
    """A member nominating a peer: the same fields, but the reason is the nominator's."""

    reason = TextAreaField(
        "Why do you nominate this person?",
        validators=[DataRequired(), Length(min=20, max=2000)],
    )


class AcceptInvitationForm(FlaskForm):
    name = StringField(
        "Your name as members will see it", validators=[DataRequired(), Length(max=120)]
    )
    password = PasswordField(
        "Choose a password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
    )
    password_confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", "The passwords differ.")],
    )
    accept_guidelines = BooleanField(
        "I have read and accept the community guidelines",
        validators=[DataRequired("Please accept the community guidelines.")],
    )
