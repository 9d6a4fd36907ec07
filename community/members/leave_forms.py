"""Forms of leaving: deleting the account."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from community.members.services import MAX_PASSWORD_LENGTH


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    # Asked for only when two-step sign-in is on (the service checks it then).
    code = StringField(
        "Code from your app, or a recovery code", validators=[Optional(), Length(max=20)]
    )
    erase = BooleanField(
        "Also erase everything I wrote: my posts, the threads I started (with the replies in "
        "them) and my messages."
    )
    confirm = BooleanField(
        "I understand that this cannot be undone.",
        validators=[DataRequired("Tick the box to confirm.")],
    )
