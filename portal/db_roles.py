"""Least privilege on PostgreSQL (security.md "Logs that cannot be flooded or bent").

Three roles, created or brought up to date by `flask db-roles`, idempotently:

- **owner** (default `kb_owner`) owns the database, its schemas and every table,
  sequence and function in them. Migrations run as this role (`flask db upgrade`
  with its URL). Nobody serves requests as it.
- **portal** (default `kb_portal`) is what the portal connects as. It owns nothing:
  SELECT, INSERT, UPDATE, DELETE on every table of `public` and `private` — except
  the two logs, where it has SELECT and INSERT only — and `alembic_version`, which
  it may only read; sequences USAGE/SELECT; CONNECT on the database but not TEMPORARY
  (no temporary tables, for it or the public site). Owning nothing, it cannot ALTER a table,
  DISABLE a trigger or TRUNCATE; not a superuser, it cannot SET
  `session_replication_role`. Default privileges of the owner role give it the same
  rights on tables later migrations add; the log exception is re-applied on each run.
- **public site** (default `kb_public`): reads the catalogue and schedules
  (`CATALOGUE_TABLES`) and writes only `bookings` and `booking_reservations`.

Run it as a database superuser (or the cluster's administrator) with `DATABASE_URL`
naming the portal's database, before the first `db upgrade` and again after every
`db upgrade` (docs/security.md). Passwords, when wanted, come from the environment
(`DB_OWNER_PASSWORD`, `DB_PORTAL_PASSWORD`, `DB_PUBLIC_PASSWORD`), never the command line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from portal.database import PRIVATE_SCHEMA, private

SCHEMAS = ("public", PRIVATE_SCHEMA)
LOGS = (private("schedule_change_log"), private("service_management_log"))
CATALOGUE_TABLES = (
    "public.services", "public.stylist_profiles", "public.stylist_services", "public.stylist_schedules",
    "public.schedule_overrides",
)
PUBLIC_SITE_WRITES = ("public.bookings", "public.booking_reservations")
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class RoleNames:
    owner: str = "kb_owner"
    portal: str = "kb_portal"
    public_site: str = "kb_public"

    def __post_init__(self) -> None:
        for name in (self.owner, self.portal, self.public_site):
            if not ROLE_NAME.match(name):
                raise ValueError(f"{name!r} is not a plain role name (lower-case letters, digits, _).")
        if len({self.owner, self.portal, self.public_site}) != 3:
            raise ValueError("The three roles need three different names.")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def apply(conn: Connection, names: RoleNames, passwords: dict[str, str] | None = None) -> list[str]:
    """Create or update the roles and grants in the connected database; returns the
    statements run (for the command's summary). Safe to run any number of times."""
    passwords = passwords or {}
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    done: list[str] = []

    def run(statement: str) -> None:
        conn.exec_driver_sql(statement)
        done.append(statement)

    for role in (names.owner, names.portal, names.public_site):
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        if not exists:
            run(f'CREATE ROLE "{role}" LOGIN')
        run(f'ALTER ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS')
        if passwords.get(role):
            conn.exec_driver_sql(f'ALTER ROLE "{role}" PASSWORD {_literal(passwords[role])}')
            done.append(f'ALTER ROLE "{role}" PASSWORD ...')

    owner, portal, public = (f'"{n}"' for n in (names.owner, names.portal, names.public_site))
    run(f'ALTER DATABASE "{database}" OWNER TO {owner}')
    run(f'REVOKE ALL ON DATABASE "{database}" FROM PUBLIC')
    run(f'GRANT CONNECT ON DATABASE "{database}" TO {portal}, {public}')
    # no temporary tables: a place to stage data the grants do not cover (issue 22);
    # revoked explicitly, as earlier versions of this command granted it
    run(f'REVOKE TEMPORARY ON DATABASE "{database}" FROM {portal}, {public}')
    run("CREATE SCHEMA IF NOT EXISTS private")
    for schema in SCHEMAS:
        run(f"ALTER SCHEMA {schema} OWNER TO {owner}")
        run(f"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC")
    _own_everything(conn, names.owner, run)

    # the portal: everything in both schemas, the logs append-only, the migration marker read-only
    run(f"GRANT USAGE ON SCHEMA public, private TO {portal}")
    run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, private TO {portal}")
    run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public, private TO {portal}")
    for log in LOGS + ("public.alembic_version",):
        if _exists(conn, log):
            keep = "SELECT, INSERT" if log in LOGS else "SELECT"
            run(f"REVOKE ALL ON {log} FROM {portal}")
            run(f"GRANT {keep} ON {log} TO {portal}")
    run(f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public, private"
        f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {portal}")
    run(f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public, private"
        f" GRANT USAGE, SELECT ON SEQUENCES TO {portal}")

    # the public booking site: reads the catalogue and schedules, writes bookings and holds
    run(f"REVOKE ALL ON ALL TABLES IN SCHEMA public, private FROM {public}")
    run(f"REVOKE ALL ON SCHEMA private FROM {public}")
    run(f"GRANT USAGE ON SCHEMA public TO {public}")
    for table in CATALOGUE_TABLES:
        if _exists(conn, table):
            run(f"GRANT SELECT ON {table} TO {public}")
    for table in PUBLIC_SITE_WRITES:
        if _exists(conn, table):
            run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {public}")
    run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {public}")
    return done


def _exists(conn: Connection, qualified: str) -> bool:
    return conn.execute(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": qualified}).scalar_one()


def _own_everything(conn: Connection, owner: str, run) -> None:
    """Tables, views, sequences, functions and types of both schemas belong to the owner
    (a database migrated before the roles existed is taken over)."""
    relations = conn.execute(text(
        "SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname IN ('public', 'private') AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
        " AND pg_get_userbyid(c.relowner) <> :owner"
        " AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))"
    ), {"owner": owner}).all()
    kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE", "f": "FOREIGN TABLE"}
    for schema, name, kind in relations:
        run(f'ALTER {kinds[kind]} {schema}."{name}" OWNER TO "{owner}"')
    functions = conn.execute(text(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname IN ('public', 'private') AND pg_get_userbyid(p.proowner) <> :owner"
    ), {"owner": owner}).scalars().all()
    for signature in functions:
        run(f'ALTER ROUTINE {signature} OWNER TO "{owner}"')
    types = conn.execute(text(
        "SELECT format('%I.%I', n.nspname, t.typname) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
        " WHERE n.nspname IN ('public', 'private') AND t.typtype IN ('e', 'd')"
        " AND pg_get_userbyid(t.typowner) <> :owner"
    ), {"owner": owner}).scalars().all()
    for name in types:
        run(f'ALTER TYPE {name} OWNER TO "{owner}"')
