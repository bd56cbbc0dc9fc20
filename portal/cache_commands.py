"""`flask warm-cache` and `flask prune-cache` (operations.md "Commands")."""
from __future__ import annotations

import click
from flask import Flask, current_app

from portal.slots import warming


def register(app: Flask) -> None:
    @app.cli.command("warm-cache")
    @click.option("--days", default=7, show_default=True, type=click.IntRange(1, 366),
                  help="Days to precompute, from today in each stylist's zone.")
    @click.option("--top", default=None, type=click.IntRange(1), help="Only the N most-booked stylists.")
    def warm_cache(days: int, top: int | None) -> None:
        """Precompute slot-cache entries for every service the chosen stylists offer."""
        def progress(ids):
            with click.progressbar(ids, label="Warming stylists", show_pos=True) as bar:
                yield from bar

        result = warming.warm(current_app.extensions["slots"], days, top, progress=progress)
        click.echo(f"Warmed {result.entries} entries for {result.stylists} stylists ({days} days).")

    @app.cli.command("prune-cache")
    def prune_cache() -> None:
        """Delete expired (and invalidated) slot-cache entries and old request statistics."""
        entries, stats = warming.prune(current_app.extensions["slots"])
        click.echo(f"Pruned {entries} cache entries and {stats} statistics rows.")
