"""Flask extensions, created unbound; `create_app` binds them."""
from flask_bootstrap import Bootstrap5
from flask_cors import CORS
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from portal import limiter_storage  # noqa: F401  (registers memory+inline:// with limits)
from portal.network import client_ip

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base shared by every model (constraint names are deterministic)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
bootstrap = Bootstrap5()
cors = CORS()
# auto_check=False: the one rate-limited blueprint evaluates its limit once itself (portal/api/rate_limit.py)
limiter = Limiter(key_func=client_ip, default_limits=[], auto_check=False)
# The endpoints that serve files (the portal's own, Bootstrap's): they answer without
# the database and without loading the signed-in user, also while the database is down
# (the 503 page keeps its style).
STATIC_ENDPOINTS = frozenset({"static", "bootstrap.static"})
