from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from community.core.forms import choices
from community.library.attachments import ACCEPTED
from community.library.models import Kind
from community.library.services import MAX_BODY, MAX_SUMMARY, MAX_TITLE

# Time zones an editor may schedule in; the time is stored in UTC.
TIME_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)


class ResourceForm(FlaskForm):
    kind = SelectField("Kind", choices=choices(*((k.value, k.label) for k in Kind)))
    title = StringField("Title", validators=[DataRequired(), Length(max=MAX_TITLE)])
    summary = TextAreaField("Summary", validators=[Optional(), Length(max=MAX_SUMMARY)])
    body = TextAreaField("Text (Markdown)", validators=[Optional(), Length(max=MAX_BODY)])
    min_tier = SelectField("Minimum tier", validate_choice=False)
    topics = StringField("Topics, separated by commas", validators=[Optional(), Length(max=500)])
    authors = StringField(
        "Authors (@handles, separated by commas)", validators=[Optional(), Length(max=500)]
    )
    attachment = FileField(f"File ({ACCEPTED})")
    remove_attachment = BooleanField("Remove the current file")
    external_url = StringField("Or a link (https://…)", validators=[Optional(), Length(max=500)])


class ScheduleForm(FlaskForm):
    publish_date = DateField("Publish on", validators=[Optional()])
    publish_time = TimeField("At", validators=[Optional()])
    time_zone = SelectField(
        "Time zone", choices=choices(*((zone, zone.replace("_", " ")) for zone in TIME_ZONES))
    )


class PathForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField("Summary", validators=[Optional(), Length(max=2000)])
