"""`flask list-overlaps` and `flask link-customers` (front-desk.md, docs/front-desk.md)."""
from __future__ import annotations

import click
from flask import Flask

from portal.extensions import db
from portal.services.desk import customers
from portal.services.desk.desk_overlaps import existing_overlaps


def register(app: Flask) -> None:
    @app.cli.command("list-overlaps")
    def list_overlaps() -> None:
        """List occupying bookings of one stylist that overlap (resolve them before
        upgrading to the no-double-booking rule, migration 0012b). Exits 1 when any."""
        try:
            pairs = existing_overlaps(db.session)
        finally:
            db.session.close()  # no read transaction left open (it would hold up a migration)
        for pair in pairs:
            click.echo(f"stylist {pair.stylist_id}: booking {pair.first_id} ({pair.first_start:%Y-%m-%d %H:%M}–"
                       f"{pair.first_end:%H:%M} UTC) overlaps booking {pair.second_id} "
                       f"({pair.second_start:%Y-%m-%d %H:%M}–{pair.second_end:%H:%M} UTC)")
        click.echo(f"{len(pairs)} overlapping pair(s).")
        if pairs:
            raise SystemExit(1)

    @app.cli.command("link-customers")
    def link_customers() -> None:
        """Give every phone met on a booking its customer row (meant for every minute)."""
        result = customers.link_new_phones(db.session)
        click.echo(f"Linked {result.linked} new phone(s); {result.unmatched} could not be read as numbers.")
