"""Flask extensions, created without an app and bound in ``create_app``."""

from typing import TYPE_CHECKING

from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from community.core.csrf import MaskedCSRFProtect


class Base(DeclarativeBase):
    # Stable constraint names, so migrations can alter them on SQLite and PostgreSQL alike.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
# Models subclass ``Model``: at run time Flask-SQLAlchemy's ``db.Model`` (which adds the query
# property and table names), for type checkers the declarative base it is built on.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = MaskedCSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
socketio = SocketIO()
compress = Compress()
