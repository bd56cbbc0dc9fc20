"""`flask` commands: create-user and seed-demo (the cache and budget commands join later)."""
from __future__ import annotations

import click
from flask import Flask

from portal.extensions import db
from portal.services import accounts


def register(app: Flask) -> None:
    from portal import cache_commands

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
            user = accounts.create_user(db.session, email, name, role, password)
        except accounts.AccountError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Created {role} {user.email} ({user.id}).")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load a realistic Kathmandu salon (refuses a database that has data)."""
        from portal.services import demo

        try:
            logins = demo.seed(db.session)
        except demo.DemoRefused as error:
            raise click.ClickException(str(error)) from error
        click.echo("Demo data loaded. Sign in at http://127.0.0.1:5000/login with:")
        for email, password, role in logins:
            click.echo(f"  {role:<8} {email:<28} {password}")
