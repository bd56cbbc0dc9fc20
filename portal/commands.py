"""`flask` commands: create-user, reset-two-step, password-link, db-roles, seed-demo (the cache and budget commands join later)."""
from __future__ import annotations

import os

import click
from flask import Flask

from portal import cache_commands, worker
from portal import db_roles as roles
from portal.actor import Actor
from portal.database import has_roles, use_case
from portal.domain.roles import ROLE_NAMES
from portal.extensions import db
from portal.domain.refusals import Refused
from portal.services.identity import accounts, mfa, passwords
from portal.services.operations import demo
from portal.services.scheduling import budgets


def register(app: Flask) -> None:
    cache_commands.register(app)
    worker.register(app)

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--name", required=True, help="Display name.")
    @click.option("--role", required=True, type=click.Choice(ROLE_NAMES))
    @click.option("--password", default=None, help="Asked for when not given.")
    def create_user(email: str, name: str, role: str, password: str | None) -> None:
        """Create a user with one role."""
        if password is None:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user = accounts.register_user(
                db.session, Actor.system("flask create-user"), email, name, role, password
            )
        except accounts.AccountError as error:
            raise click.ClickException(error.message) from error
        click.echo(f"Created {role} {user.email} ({user.id}).")

    @app.cli.command("reset-two-step")
    @click.argument("email")
    def reset_two_step(email: str) -> None:
        """Remove a user's two-step sign-in (they set it up again at their next sign-in)."""
        try:
            user = mfa.reset_by_operator(db.session, email, "flask reset-two-step")
        except Refused as refused:
            raise click.ClickException(refused.message) from refused
        click.echo(f"Two-step sign-in of {user.email} is reset; their sessions have ended.")

    @app.cli.command("password-link")
    @click.argument("email")
    def password_link(email: str) -> None:
        """Issue a one-time password link for a user (admins too: the operator is trusted)."""
        try:
            issued = passwords.issue_link_by_operator(db.session, email, "flask password-link")
        except Refused as refused:
            raise click.ClickException(refused.message) from refused
        click.echo(f"Password link for {issued.user.email}, valid once until {issued.expires_at:%Y-%m-%d %H:%M} UTC. "
                   f"Open the portal's address followed by:\n/password/{issued.token}")

    @app.cli.command("db-roles")
    @click.option("--owner", default="kb_owner", show_default=True, help="Role that owns the schema (migrations).")
    @click.option("--portal", "portal_role", default="kb_portal", show_default=True, help="Role the portal connects as.")
    @click.option("--public-site", default="kb_public", show_default=True, help="Role of the public booking site.")
    def db_roles(owner: str, portal_role: str, public_site: str) -> None:
        """Create or update the three PostgreSQL roles and their grants (idempotent).

        Run as a database administrator (DATABASE_URL), before the first `db upgrade`
        and after every one. Passwords: DB_OWNER_PASSWORD, DB_PORTAL_PASSWORD,
        DB_PUBLIC_PASSWORD in the environment (optional)."""
        if not has_roles(db.engine):
            raise click.ClickException("db-roles is for PostgreSQL; SQLite has no roles.")
        try:
            names = roles.RoleNames(owner, portal_role, public_site)
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        passwords = {
            owner: os.environ.get("DB_OWNER_PASSWORD", ""), portal_role: os.environ.get("DB_PORTAL_PASSWORD", ""),
            public_site: os.environ.get("DB_PUBLIC_PASSWORD", ""),
        }
        with use_case(db.session):
            done = roles.apply(db.session.connection(), names, passwords)
        click.echo(f"Roles {owner} (owner), {portal_role} (portal), {public_site} (public site): "
                   f"{len(done)} statements applied.")

    @app.cli.command("reset-budgets")
    def reset_budgets() -> None:
        """Renew every override budget whose month has turned (in the stylist's zone)."""
        renewed = budgets.renew_due_budgets(db.session)
        click.echo(f"Renewed {renewed} override budget(s).")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database has data.")
    @click.option("--url", default=None, help="The portal's address, for the sign-in hint (e.g. http://127.0.0.1:8000).")
    def seed_demo(if_empty: bool, url: str | None) -> None:
        """Load a realistic Kathmandu salon (refuses a database that has data)."""
        try:
            logins = demo.seed(db.session)
        except demo.DemoRefused as error:
            if if_empty:
                click.echo("The database already has data: demo data not loaded.")
                return
            raise click.ClickException(error.message) from error
        where = f"{url.rstrip('/')}/login" if url else "the portal's /login page (the address `flask run` prints)"
        click.echo(f"Demo data loaded. Sign in at {where} with:")
        for email, password, role in logins:
            click.echo(f"  {role:<8} {email:<28} {password}")
