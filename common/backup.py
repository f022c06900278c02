"""Backups of the whole database that prove themselves, and restores that check the proof.

A backup is two files: the data (`pg_dump --format=custom` on PostgreSQL, a copy made with SQLite's online
backup API on SQLite) and `<file>.manifest.json` beside it. The manifest records when the backup was made,
the latest applied migration of every app, the size and SHA-256 of the data file, and for every table of
our models its row count and a SHA-256 over its rows in primary-key order.

The rows are hashed in the very state that was saved: on PostgreSQL in the snapshot that pg_dump itself
reads (exported from a repeatable-read transaction and handed to `pg_dump --snapshot`), on SQLite in the
copy just written. A restore first checks that the data file is byte for byte the one the manifest
describes, restores it (on PostgreSQL in one transaction: a failure leaves the database as it was), then
hashes the restored tables again and fails unless every count and checksum matches the manifest.

Every row is hashed as the database itself writes it out as text (PostgreSQL's row literal, SQLite's
`quote()` of each column), read through a streaming cursor in chunks: no table is ever held in memory, and
the value is the same however the Python driver would have converted it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.request import pathname2url

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST_SUFFIX = ".manifest.json"
MANIFEST_FORMAT = "sotay-backup/1"
# Rows fetched per round trip while hashing a table.
CHUNK_ROWS = 5_000
FILE_CHUNK_BYTES = 1 << 20
# The migration record is data too: a restore must bring back the schema state it was taken at.
MIGRATIONS_TABLE = "django_migrations"
# The server-side cursor that streams a table's rows.
CURSOR_NAME = "sotay_backup_rows"

Progress = Callable[[str, int], None]


class BackupError(Exception):
    """A backup or restore that cannot go ahead, or whose result does not match its manifest."""


def manifest_path_for(path: str | os.PathLike) -> Path:
    path = Path(path)
    return path.with_name(path.name + MANIFEST_SUFFIX)


def backup_create(
    *, path: str | os.PathLike, force: bool = False, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
) -> dict:
    """Back up the whole database into `path` and write its manifest beside it; return the manifest.

    Refuses to overwrite an existing backup unless `force`; even then the old files are replaced only once
    the new backup is complete.
    """
    connection = connections[using]
    path = Path(path)
    manifest_path = manifest_path_for(path)
    if not force:
        for existing in (path, manifest_path):
            if existing.exists():
                raise BackupError(
                    _("%(file)s already exists: give --force to replace it.") % {"file": existing},
                )
    _require_outside_transaction(connection)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if connection.vendor == "postgresql":
            tables, migrations = _postgresql_backup(connection, partial, progress)
        elif connection.vendor == "sqlite":
            tables, migrations = _sqlite_backup(connection, partial, progress)
        else:
            raise BackupError(_("Backups are made of PostgreSQL and SQLite databases only."))
        size, sha256 = _file_digest(partial)
        manifest = {
            "format": MANIFEST_FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": connection.vendor, "version": _server_version(connection)},
            "file": {"name": path.name, "bytes": size, "sha256": sha256},
            "migrations": migrations,
            "tables": tables,
        }
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    _write_manifest(manifest_path, manifest)
    return manifest


def backup_verify(*, path: str | os.PathLike, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Check a backup without touching the database: the data file is the one its manifest describes and
    can be read back (SQLite: every table hashes to the manifest; PostgreSQL: pg_restore reads its contents).
    Return the manifest."""
    connection = connections[using]
    path = Path(path)
    manifest = _read_checked_manifest(path, connection.vendor)
    if connection.vendor == "sqlite":
        _sqlite_check_file(connection, path, manifest)
    else:
        _run_postgresql_tool(connection, "pg_restore", ["--list", "--file", os.devnull, str(path)])
    return manifest


def backup_restore(
    *, path: str | os.PathLike, force: bool = False, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
) -> dict:
    """Replace the database with the backup in `path`, then check every table against its manifest.

    Refuses a database that holds data unless `force`, and a data file that does not match its manifest.
    Raises BackupError if the restored tables differ from the manifest. Return the manifest.
    """
    connection = connections[using]
    path = Path(path)
    _require_outside_transaction(connection)
    manifest = _read_checked_manifest(path, connection.vendor)
    if not force:
        holding = tables_holding_data(using=using)
        if holding:
            raise BackupError(
                _(
                    "The database %(name)s already holds data (in %(tables)s). A restore replaces all of it: "
                    "give --force to go ahead."
                )
                % {"name": connection.settings_dict["NAME"], "tables": ", ".join(holding[:5])}
            )
    if connection.vendor == "postgresql":
        _postgresql_restore(connection, path)
    else:
        _sqlite_check_file(connection, path, manifest)
        _sqlite_restore(connection, path)
    restored = database_digests(using=using, tables=list(manifest["tables"]), progress=progress)
    differences = _differences(manifest["tables"], restored)
    if differences:
        raise BackupError(
            _("The restored database does not match the manifest of %(file)s: %(differences)s")
            % {"file": path, "differences": "; ".join(differences)}
        )
    return manifest


def database_digests(
    *, using: str = DEFAULT_DB_ALIAS, tables: list[str] | None = None, progress: Progress | None = None
) -> dict[str, dict]:
    """Row count and checksum of every table of our models (or of `tables`) in the live database, as a
    manifest records them: `{table: {"rows": n, "sha256": hex}}`. Read in one consistent snapshot."""
    connection = connections[using]
    _require_outside_transaction(connection)
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using), connection.cursor() as cursor:
            _postgresql_begin_snapshot(cursor)
            return _table_digests(connection, connection.connection, tables, progress)[0]
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("BEGIN")  # Django keeps SQLite in autocommit: a deferred transaction gives one snapshot.
    try:
        return _table_digests(connection, raw, tables, progress)[0]
    finally:
        raw.execute("COMMIT")


def tables_holding_data(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The tables of our models with at least one row, leaving out what `migrate` itself writes into every
    database (the migration record, content types, permissions, seeded defaults). Empty: nothing to lose."""
    connection = connections[using]
    written_by_migrate = {MIGRATIONS_TABLE} | {
        apps.get_model(label)._meta.db_table
        for label in ("contenttypes.ContentType", "auth.Permission", "corrections.FieldPolicy")
    }
    holding = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True, include_views=False)):
            if table in written_by_migrate:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                holding.append(table)
    return holding


def pending_migrations(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations of the code not applied in the database (after restoring an older backup)."""
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


# Hashing -----------------------------------------------------------------------------------------------


def _table_digests(connection, raw, tables: list[str] | None, progress: Progress | None) -> tuple[dict, dict]:
    """Digest every table through the DB-API connection `raw` (the live database, or a backup file on
    SQLite), and read its migration state. `connection` is Django's, for introspection and quoting."""
    introspection, quote_name = connection.introspection, connection.ops.quote_name
    cursor = raw.cursor()
    try:
        present = set(introspection.table_names(cursor))
        if tables is None:
            tables = sorted(
                table for table in {*introspection.django_table_names(), MIGRATIONS_TABLE} if table in present
            )
        digests = {}
        for table in tables:
            if table not in present:
                digests[table] = None
                continue
            key = introspection.get_primary_key_columns(cursor, table) or []
            # Without a primary key the row text itself gives the order.
            order_by = ", ".join(quote_name(column) for column in key) or "1"
            if connection.vendor == "postgresql":
                row_text = "ROW(r.*)::text"
            else:
                cursor.execute(f"PRAGMA table_info({quote_name(table)})")
                row_text = " || ',' || ".join(f"quote({quote_name(row[1])})" for row in cursor.fetchall())
            sql = f"SELECT {row_text} FROM {quote_name(table)} AS r ORDER BY {order_by}"
            digests[table] = _digest_rows(raw, connection.vendor, sql)
            if progress:
                progress(table, digests[table]["rows"])
        migrations = {}
        if MIGRATIONS_TABLE in present:
            cursor.execute(f"SELECT app, name FROM {quote_name(MIGRATIONS_TABLE)} ORDER BY id")
            migrations = {app: name for app, name in cursor.fetchall()}
        return digests, migrations
    finally:
        cursor.close()


def _digest_rows(raw, vendor: str, sql: str) -> dict:
    # PostgreSQL: a server-side cursor, or the driver would fetch the whole table at once.
    cursor = raw.cursor(name=CURSOR_NAME) if vendor == "postgresql" else raw.cursor()
    digest, rows = hashlib.sha256(), 0
    try:
        cursor.execute(sql)
        while chunk := cursor.fetchmany(CHUNK_ROWS):
            for (text,) in chunk:
                data = text.encode()
                # Length-prefixed, so that no two different tables can give the same stream of bytes.
                digest.update(len(data).to_bytes(8, "big"))
                digest.update(data)
            rows += len(chunk)
    finally:
        cursor.close()
    return {"rows": rows, "sha256": digest.hexdigest()}


def _differences(expected: dict, found: dict) -> list[str]:
    differences = []
    for table, digest in expected.items():
        actual = found.get(table)
        if actual is None:
            differences.append(_("table %(table)s is missing") % {"table": table})
        elif actual["rows"] != digest["rows"]:
            differences.append(
                _("%(table)s has %(found)s rows, not %(expected)s")
                % {"table": table, "found": actual["rows"], "expected": digest["rows"]}
            )
        elif actual["sha256"] != digest["sha256"]:
            differences.append(_("%(table)s has different contents") % {"table": table})
    return differences


# PostgreSQL ---------------------------------------------------------------------------------------------


def _postgresql_begin_snapshot(cursor) -> None:
    # One snapshot for the whole read, and fixed output settings: the row text must not depend on the
    # server's or the connection's defaults, which may differ between the backup and the restore.
    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    cursor.execute("SET LOCAL TimeZone = 'UTC'")
    cursor.execute("SET LOCAL DateStyle = 'ISO, YMD'")
    cursor.execute("SET LOCAL IntervalStyle = 'postgres'")
    cursor.execute("SET LOCAL extra_float_digits = 1")
    cursor.execute("SET LOCAL bytea_output = 'hex'")


def _postgresql_backup(connection, partial: Path, progress: Progress | None) -> tuple[dict, dict]:
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        _postgresql_begin_snapshot(cursor)
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        # pg_dump reads the snapshot of this open transaction: the dump and the checksums below see the
        # same rows, even while the application keeps writing.
        _run_postgresql_tool(
            connection,
            "pg_dump",
            ["--format=custom", f"--snapshot={snapshot}", f"--file={partial}", _dbname_argument(connection)],
        )
        return _table_digests(connection, connection.connection, None, progress)


def _postgresql_restore(connection, path: Path) -> None:
    # Our own idle connection holds no locks, but one opened again afterwards starts clean.
    connection.close()
    try:
        _run_postgresql_tool(
            connection,
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                # One transaction: if anything fails, nothing of the restore remains.
                "--single-transaction",
                "--exit-on-error",
                _dbname_argument(connection),
                str(path),
            ],
        )
    finally:
        connection.close()


def _dbname_argument(connection) -> str:
    return f"--dbname={connection.settings_dict['NAME']}"


def _run_postgresql_tool(connection, tool: str, arguments: list[str]) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            _("%(tool)s was not found: install the PostgreSQL client programs (the server's version or newer).")
            % {"tool": tool}
        )
    settings_dict = connection.settings_dict
    # The password goes in the environment, never on the command line (where `ps` shows it to everyone).
    _arguments, secret_env = connection.client.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(secret_env or {})}
    for variable, setting in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(setting):
            env[variable] = str(settings_dict[setting])
    result = subprocess.run(
        [executable, "--no-password", *arguments], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed (exit status %(status)s): %(error)s")
            % {"tool": tool, "status": result.returncode, "error": result.stderr.strip()[-2000:]}
        )


# SQLite -------------------------------------------------------------------------------------------------


def _sqlite_backup(connection, partial: Path, progress: Progress | None) -> tuple[dict, dict]:
    connection.ensure_connection()
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
        # One self-contained file: no -wal or -shm files beside it.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    # Hash the copy itself: it is one consistent state, whatever was written to the database meanwhile.
    with _sqlite_open(partial) as source:
        return _table_digests(connection, source, None, progress)


def _sqlite_check_file(connection, path: Path, manifest: dict) -> None:
    """Read the whole backup file and hash it as the manifest did, before anything overwrites the database:
    SQLite's copy cannot be rolled back once made."""
    try:
        with _sqlite_open(path) as source:
            (check,) = source.execute("PRAGMA quick_check").fetchone()
            if check != "ok":
                raise BackupError(_("%(file)s is damaged: %(error)s") % {"file": path, "error": check})
            digests, _migrations = _table_digests(connection, source, list(manifest["tables"]), None)
    except sqlite3.DatabaseError as error:
        raise BackupError(_("%(file)s cannot be read: %(error)s") % {"file": path, "error": error}) from error
    differences = _differences(manifest["tables"], digests)
    if differences:
        raise BackupError(
            _("%(file)s does not match its manifest: %(differences)s")
            % {"file": path, "differences": "; ".join(differences)}
        )


def _sqlite_restore(connection, path: Path) -> None:
    connection.close()
    connection.ensure_connection()
    try:
        with _sqlite_open(path) as source:
            # One step, in one write transaction on the database: it is replaced whole or not at all.
            source.backup(connection.connection)
    except sqlite3.DatabaseError as error:
        raise BackupError(_("%(file)s cannot be restored: %(error)s") % {"file": path, "error": error}) from error
    finally:
        # Django's next query opens a connection that reads the restored schema from scratch.
        connection.close()


class _sqlite_open:
    """A read-only connection to a backup file, closed on exit (sqlite3's own context manager only commits)."""

    def __init__(self, path: Path):
        self.connection = sqlite3.connect(f"file:{pathname2url(str(Path(path).resolve()))}?mode=ro", uri=True)

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *exc_info) -> None:
        self.connection.close()


# Files --------------------------------------------------------------------------------------------------


def _require_outside_transaction(connection) -> None:
    # The backup tools use connections of their own: they would not see what this transaction has not committed.
    if connection.in_atomic_block:
        raise BackupError(_("Backups and restores run outside any transaction."))


def _server_version(connection) -> str:
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        return str(connection.pg_version)
    return sqlite3.sqlite_version


def _file_digest(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while block := handle.read(FILE_CHUNK_BYTES):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def _write_manifest(manifest_path: Path, manifest: dict) -> None:
    partial = manifest_path.with_name(manifest_path.name + ".partial")
    partial.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, manifest_path)


def _read_checked_manifest(path: Path, vendor: str) -> dict:
    """The manifest beside `path`, after checking that the data file is byte for byte the one it describes."""
    manifest_path = manifest_path_for(path)
    if not path.is_file():
        raise BackupError(_("%(file)s does not exist.") % {"file": path})
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            _("%(manifest)s is missing: without it the restore cannot be checked.") % {"manifest": manifest_path}
        ) from None
    except (OSError, ValueError) as error:
        raise BackupError(
            _("%(manifest)s cannot be read: %(error)s") % {"manifest": manifest_path, "error": error}
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(_("%(manifest)s is not a Sổ tay backup manifest.") % {"manifest": manifest_path})
    backup_vendor = manifest.get("database", {}).get("vendor")
    if backup_vendor != vendor:
        raise BackupError(
            _("%(file)s is a backup of a %(backup)s database; this database is %(database)s.")
            % {"file": path, "backup": backup_vendor, "database": vendor}
        )
    size, sha256 = _file_digest(path)
    if (size, sha256) != (manifest["file"]["bytes"], manifest["file"]["sha256"]):
        raise BackupError(
            _(
                "%(file)s does not match its manifest (%(size)s bytes instead of %(expected)s, or different "
                "contents): it is damaged or incomplete."
            )
            % {"file": path, "size": size, "expected": manifest["file"]["bytes"]}
        )
    return manifest
