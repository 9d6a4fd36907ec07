from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from community.forum.posting import MAX_BODY, MAX_TITLE


class ThreadForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=MAX_TITLE)])
    body = TextAreaField("Your post (Markdown)", validators=[DataRequired(), Length(max=MAX_BODY)])
    poll_question = StringField(
        "Poll question (optional)", validators=[Optional(), Length(max=300)]
    )
    poll_options = TextAreaField("Options, one per line", validators=[Optional(), Length(max=2500)])
    poll_multiple = BooleanField("Members may choose several options")


class ReplyForm(FlaskForm):
    body = TextAreaField("Reply (Markdown)", validators=[DataRequired(), Length(max=MAX_BODY)])
    quoted_post_id = HiddenField()


class EditForm(FlaskForm):
    body = TextAreaField("Post (Markdown)", validators=[DataRequired(), Length(max=MAX_BODY)])


class CommunityForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    slug = StringField("Address (/c/…)", validators=[DataRequired(), Length(max=60)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    category = StringField("Category", validators=[DataRequired(), Length(max=60)])
    min_tier = SelectField("Minimum tier", validate_choice=False)
    is_chapter = BooleanField("A chapter (region or subject) with its own leads")
    position = IntegerField(
        "Order within the category", default=0, validators=[Optional(), NumberRange(0, 10_000)]
    )
