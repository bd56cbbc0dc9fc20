"""`flask warm-cache` and `flask prune-cache` (operations.md "Commands")."""
from __future__ import annotations

import click
from flask import Flask

from portal.extensions import db


def register(app: Flask) -> None:
    @app.cli.command("warm-cache")
    @click.option("--days", default=7, show_default=True, type=click.IntRange(1, 366),
                  help="Days to precompute, from today in each stylist's zone.")
    @click.option("--top", default=None, type=click.IntRange(1), help="Only the N most-booked stylists.")
    def warm_cache(days: int, top: int | None) -> None:
        """Precompute slot-cache entries for every service the chosen stylists offer."""
        from portal.services import cache_warming

        db.session.commit()  # read from a fresh snapshot
        ids = cache_warming.stylists_to_warm(db.session, top)
        db.session.commit()
        entries = 0
        with click.progressbar(ids, label="Warming stylists", show_pos=True) as bar:
            for stylist_id in bar:
                entries += cache_warming.warm_stylist(db.session, stylist_id, days)
        result = cache_warming.WarmResult(len(ids), entries)
        click.echo(f"Warmed {result.entries} entries for {result.stylists} stylists ({days} days).")

    @app.cli.command("prune-cache")
    def prune_cache() -> None:
        """Delete expired (and invalidated) slot-cache entries and old request statistics."""
        from portal.services import cache_warming

        db.session.commit()
        entries, stats = cache_warming.prune(db.session)
        click.echo(f"Pruned {entries} cache entries and {stats} statistics rows.")
