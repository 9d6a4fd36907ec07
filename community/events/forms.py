from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from community.events.services import MAX_CAPACITY, MAX_DESCRIPTION, MAX_TITLE

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class EventForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=MAX_TITLE)])
    description = TextAreaField(
        "Description (Markdown)", validators=[Optional(), Length(max=MAX_DESCRIPTION)]
    )
    # InputRequired, not DataRequired: a date that does not exist (30 February) is then
    # "Not a valid datetime value", not "This field is required" under what was typed.
    starts_at = DateTimeLocalField("Starts", format=LOCAL_FORMAT, validators=[InputRequired()])
    ends_at = DateTimeLocalField("Ends", format=LOCAL_FORMAT, validators=[InputRequired()])
    timezone = SelectField("Time zone", validate_choice=False, default="UTC")
    online = BooleanField("Online event")
    location = StringField("Place (in person)", validators=[Optional(), Length(max=300)])
    link = StringField("Link to join (online)", validators=[Optional(), Length(max=500)])
    capacity = IntegerField(
        "Places (empty for no limit)", validators=[Optional(), NumberRange(1, MAX_CAPACITY)]
    )
    min_tier = SelectField("Minimum tier", validate_choice=False)
