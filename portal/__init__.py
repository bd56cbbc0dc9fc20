"""KB Stylish service engine: the admin portal and the public slots API."""
from __future__ import annotations

from typing import Any, Mapping

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import announce, load_config
from portal.database import engine_options
from portal.zones import use_pinned_tzdata


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the portal. `config` overrides defaults and the environment."""
    app = Flask(
        __name__, instance_relative_config=True,
        template_folder="../templates", static_folder="../static",
    )
    load_config(app, config)
    use_pinned_tzdata()
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"], app.config)
    )

    hops = int(app.config["TRUSTED_PROXY_HOPS"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _init_extensions(app)
    _init_slots(app)
    _register_blueprints(app)

    from portal import commands, errors, i18n, metrics, request_input, security_headers, templating
    from portal.i18n import jinja as i18n_jinja
    i18n.init_app(app)
    i18n_jinja.register(app)
    errors.register(app)
    request_input.register(app)
    security_headers.register(app)
    metrics.register(app)
    templating.register(app)
    commands.register(app)
    from portal.desk import commands as desk_commands
    desk_commands.register(app)
    announce(app)
    return app


def _init_extensions(app: Flask) -> None:
    from portal import models  # noqa: F401  (register the tables on the metadata)
    from portal.extensions import bootstrap, cors, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=_migrations_dir())
    csrf.init_app(app)
    bootstrap.init_app(app)
    _init_limiter_storage(app, limiter)
    origins = [o.strip() for o in str(app.config["CORS_ORIGINS"]).split(",") if o.strip()]
    if origins:  # none listed: no browser origin may call /api, and no hook runs per request
        cors.init_app(
            app, resources={r"/api/*": {"origins": origins}}, methods=["GET", "HEAD", "OPTIONS"],
            supports_credentials=False, expose_headers=["X-Cache-Hit", "X-Cached", "X-Computed-At", "Retry-After"],
        )
    login_manager.init_app(app)
    from portal.auth import session_loader  # noqa: F401  (user loader)
    from portal.auth.session_cookie import PagesOnlySessionInterface
    app.session_interface = PagesOnlySessionInterface()


def _init_slots(app: Flask) -> None:
    """The slots package's settings and store, built once (`portal.slots.settings`)."""
    from portal.extensions import db
    from portal.slots.settings import from_config

    with app.app_context():
        app.extensions["slots"] = from_config(app.config, db.engine)


def _init_limiter_storage(app: Flask, limiter) -> None:
    """Flask-Limiter for its storage and strategy only (`limiter.limiter`, `limiter.storage`:
    portal/api/rate_limit.py, portal/throttle.py). With `auto_check=False` and no
    decorated limits, the after-request and teardown hooks its `init_app` adds (limit
    headers, conditional deductions, resetting its request context) have nothing to do,
    yet would run on every request: they are left out."""
    after = list(app.after_request_funcs.get(None, []))
    teardown = list(app.teardown_request_funcs.get(None, []))
    limiter.init_app(app)
    app.after_request_funcs[None], app.teardown_request_funcs[None] = after, teardown


def _register_blueprints(app: Flask) -> None:
    from portal.account import enforce
    from portal.auth.access import label_gated_views
    from portal.account.routes import bp as account_bp
    from portal.api.routes import bp as api_bp
    from portal.audit.routes import bp as audit_bp
    from portal.auth.routes import bp as auth_bp
    from portal.booking_link.routes import bp as booking_link_bp
    from portal.bookings.routes import bp as bookings_bp
    from portal.budgets.routes import bp as budgets_bp
    from portal.catalogue.routes import bp as catalogue_bp
    from portal.dashboard.routes import bp as dashboard_bp
    from portal.desk.routes import bp as desk_bp
    from portal.holidays.routes import bp as holidays_bp
    from portal.i18n.routes import bp as i18n_bp
    from portal.messages.routes import bp as messages_bp
    from portal.people.routes import bp as people_bp
    from portal.promotions.routes import bp as promotions_bp
    from portal.reports.routes import bp as reports_bp
    from portal.schedules.routes import bp as schedules_bp
    from portal.time_off.routes import bp as time_off_bp

    for blueprint in (auth_bp, account_bp, dashboard_bp, people_bp, catalogue_bp, promotions_bp, schedules_bp,
                      budgets_bp, audit_bp, bookings_bp, api_bp, i18n_bp, holidays_bp, reports_bp, desk_bp,
                      booking_link_bp, messages_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(time_off_bp)
    label_gated_views(app)  # each view of a `require_roles` blueprint carries its roles
    enforce.register(app)  # admins and auditors: two-step sign-in before any other page


def _migrations_dir() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent / "migrations")
