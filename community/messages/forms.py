from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from community.core.forms import choices
from community.messages.checks import MAX_MESSAGE, MAX_NOTE, MAX_SUBJECT
from community.messages.contact import CONTACT_CHOICES
from community.messages.reports import MAX_REPORT_TEXT
from community.moderation.models import FLAG_LABELS


class ContactPreferenceForm(FlaskForm):
    preference = RadioField("Who may message me directly", choices=choices(*CONTACT_CHOICES))


class NewConversationForm(FlaskForm):
    recipients = StringField(
        "To (@handles, separated by commas)", validators=[DataRequired(), Length(max=700)]
    )
    subject = StringField("Subject (optional)", validators=[Optional(), Length(max=MAX_SUBJECT)])
    body = TextAreaField("Message (Markdown)", validators=[DataRequired(), Length(max=MAX_MESSAGE)])


class MessageForm(FlaskForm):
    body = TextAreaField("Message (Markdown)", validators=[DataRequired(), Length(max=MAX_MESSAGE)])


class IntroductionForm(FlaskForm):
    note = TextAreaField(
        "Why you would like to talk (a sentence or two)",
        validators=[DataRequired(), Length(max=MAX_NOTE)],
    )


class ReportForm(FlaskForm):
    reason = SelectField("Why", choices=choices(*((str(k), v) for k, v in FLAG_LABELS.items())))
    text = TextAreaField(
        "Anything the moderators should know", validators=[Length(max=MAX_REPORT_TEXT)]
    )
