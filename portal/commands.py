"""`flask` commands: create-user and seed-demo (the cache and budget commands join later)."""
from __future__ import annotations

import click
from flask import Flask

from portal import cache_commands
from portal.actor import Actor
from portal.extensions import db
from portal.services import accounts, budgets, demo


def register(app: Flask) -> None:
    cache_commands.register(app)

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--name", required=True, help="Display name.")
    @click.option("--role", required=True, type=click.Choice(["admin", "auditor", "stylist", "customer"]))
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
