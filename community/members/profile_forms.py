from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from community.core.forms import choices
from community.members.models import DirectoryVisibility
from community.members.photos import MAX_PHOTO_MB
from community.members.profiles import MAX_BIO_LENGTH

VISIBILITY_CHOICES = choices(*((option.value, option.label) for option in DirectoryVisibility))


class PhotoAndBioForm(FlaskForm):
    photo = FileField("Photo")
    bio = TextAreaField("About you", validators=[Length(max=MAX_BIO_LENGTH)])


class ProfileForm(PhotoAndBioForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    title = StringField("Title", validators=[Length(max=120)])
    company = StringField("Company", validators=[Length(max=120)])
    region = StringField("Region", validators=[Length(max=80)])
    interests = StringField("Interests", validators=[Length(max=400)])
    directory_visibility = RadioField("Who may find you", choices=VISIBILITY_CHOICES)
    remove_photo = BooleanField("Remove my photo (peers see your initials)")


PHOTO_HINT = f"A JPEG, PNG, GIF or WebP up to {MAX_PHOTO_MB} MB; it is cropped to a square."
