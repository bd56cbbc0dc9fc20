"""The cache's two hot statements (a hit, a cached range) through libpq, psycopg's public
`pq` module: each prepared once per connection under a name of its own, its parameters
sent as text and its values taken as text. psycopg's cursor layer (placeholder
conversion, adapters, result objects) was a third of a hit's driver time; what the
caller needs of the values is a handful of ints, ISO instants and one JSON text, which
`cache_reader` makes of them.
"""
from __future__ import annotations

import re

from psycopg import OperationalError, pq

from portal.database import ROUND_TRIP_SECONDS, last_result_within


class Prepared:
    """A statement written with `:name` parameters, as libpq takes it: `$n` in the order of
    `names`."""

    def __init__(self, name: str, sql: str, names: tuple[str, ...]):
        self.name = name.encode()
        self.names = names
        self.sql = re.sub(r":(\w+)", lambda m: f"${names.index(m.group(1)) + 1}", sql).encode()

    def prepare(self, pgconn) -> None:
        _checked(pgconn.prepare(self.name, self.sql), pq.ExecStatus.COMMAND_OK)

    def rows(self, pgconn, params: dict) -> list[list[bytes | None]]:
        """Every row's values (None for NULL), in one round trip — waiting at most
        ROUND_TRIP_SECONDS for a server that may have gone silent (TimeoutError)."""
        pgconn.send_query_prepared(self.name, [str(params[n]).encode() for n in self.names])
        result = _checked(last_result_within(pgconn, ROUND_TRIP_SECONDS), pq.ExecStatus.TUPLES_OK)
        value, width = result.get_value, result.nfields
        return [[value(row, column) for column in range(width)] for row in range(result.ntuples)]


def _checked(result, wanted):
    if result.status != wanted:
        raise OperationalError(result.error_message.decode(errors="replace"))
    return result
