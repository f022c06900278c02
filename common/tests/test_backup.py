"""backup_data and restore_data: a round trip gives back identical tables, and a bad backup changes nothing.

pg_dump and pg_restore (and SQLite's backup API) use connections of their own, which see only committed
rows: these tests commit (transaction=True) and the tree fixture's rows with them.
"""

import json
import os
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from audit.models import ChangeLog
from common import backup
from members.models import Member
from members.services import member_update

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_client_programs():
    if connection.vendor != "postgresql":
        return
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        message = f"{' and '.join(missing)} not found: install the PostgreSQL client programs (postgresql-client)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def backup_file(tmp_path):
    return tmp_path / "sotay.backup"


@pytest.fixture
def changed_member(tree):
    """The tree, with one member's record changed through the service: the change log has rows."""
    return member_update(
        actor=tree.users["admin_a"], member=tree.member_a1, data={"phone": "0912345678"}, reason="Sửa số điện thoại"
    )


def run(command: str, *arguments) -> None:
    # English messages whatever the catalogue holds: the assertions read the source strings.
    with translation.override("en"):
        call_command(command, *map(str, arguments), verbosity=0)


def tamper_with_the_data(member: Member) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Member._meta.db_table} SET full_name = %s WHERE id = %s", ["Người Khác", member.pk])
        cursor.execute(f"DELETE FROM {ChangeLog._meta.db_table}")


def read_manifest(backup_file) -> dict:
    return json.loads(backup.manifest_path_for(backup_file).read_text(encoding="utf-8"))


def write_manifest(backup_file, manifest: dict) -> None:
    backup.manifest_path_for(backup_file).write_text(json.dumps(manifest), encoding="utf-8")


def test_a_backup_restored_over_changed_data_gives_back_identical_tables(changed_member, backup_file):
    before = backup.database_digests()
    change_count = ChangeLog.objects.count()
    run("backup_data", backup_file)
    tamper_with_the_data(changed_member)
    assert backup.database_digests() != before

    run("restore_data", backup_file, "--force")

    assert backup.database_digests() == before
    restored = Member.objects.get(pk=changed_member.pk)
    assert (restored.full_name, restored.phone) == ("Nguyễn Văn An", "0912345678")
    assert change_count > 0
    assert ChangeLog.objects.count() == change_count


def test_the_manifest_records_the_migration_state_and_every_tables_count_and_checksum(changed_member, backup_file):
    run("backup_data", backup_file)

    manifest = read_manifest(backup_file)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM django_migrations WHERE app = 'members' ORDER BY id DESC")
        latest_members_migration = cursor.fetchone()[0]
    assert manifest["migrations"]["members"] == latest_members_migration
    assert manifest["tables"][Member._meta.db_table]["rows"] == Member.objects.count() == 3
    assert manifest["tables"] == backup.database_digests()
    assert manifest["file"]["bytes"] == backup_file.stat().st_size


def test_a_restore_into_an_empty_database_needs_no_force(changed_member, backup_file):
    before = backup.database_digests()
    run("backup_data", backup_file)
    call_command("flush", interactive=False, verbosity=0)
    assert backup.tables_holding_data() == []

    run("restore_data", backup_file)

    assert backup.database_digests() == before


def test_a_restore_into_a_database_holding_data_is_refused_without_force(changed_member, backup_file):
    run("backup_data", backup_file)
    tamper_with_the_data(changed_member)
    tampered = backup.database_digests()

    with pytest.raises(CommandError, match="already holds data.*--force"):
        run("restore_data", backup_file)

    assert backup.database_digests() == tampered


def test_a_backup_does_not_overwrite_an_existing_file_unless_forced(tree, backup_file):
    backup_file.write_bytes(b"an older backup")

    with pytest.raises(CommandError, match="already exists.*--force"):
        run("backup_data", backup_file)
    assert backup_file.read_bytes() == b"an older backup"

    run("backup_data", backup_file, "--force")
    assert read_manifest(backup_file)["file"]["bytes"] == backup_file.stat().st_size


def test_a_truncated_backup_is_refused_and_the_database_is_left_as_it_was(changed_member, backup_file):
    run("backup_data", backup_file)
    backup_file.write_bytes(backup_file.read_bytes()[: backup_file.stat().st_size // 2])
    tamper_with_the_data(changed_member)
    tampered = backup.database_digests()

    with pytest.raises(CommandError, match="does not match its manifest.*damaged or incomplete"):
        run("restore_data", backup_file, "--force")

    assert backup.database_digests() == tampered


def test_a_truncated_backup_whose_manifest_was_made_to_match_fails_and_leaves_the_database_as_it_was(
    changed_member, backup_file
):
    """The file check passes, so the restore itself must fail: PostgreSQL rolls back its one transaction,
    SQLite's copy is read through before anything is overwritten."""
    run("backup_data", backup_file)
    backup_file.write_bytes(backup_file.read_bytes()[: backup_file.stat().st_size * 3 // 4])
    manifest = read_manifest(backup_file)
    manifest["file"]["bytes"], manifest["file"]["sha256"] = backup._file_digest(backup_file)
    write_manifest(backup_file, manifest)
    tamper_with_the_data(changed_member)
    tampered = backup.database_digests()

    with pytest.raises(CommandError, match="pg_restore failed|cannot be read|is damaged"):
        run("restore_data", backup_file, "--force")

    assert backup.database_digests() == tampered
    assert Member.objects.get(pk=changed_member.pk).full_name == "Người Khác"


def test_a_restore_that_does_not_give_back_the_manifests_tables_fails_loudly(changed_member, backup_file):
    run("backup_data", backup_file)
    manifest = read_manifest(backup_file)
    manifest["tables"][Member._meta.db_table]["sha256"] = "0" * 64
    write_manifest(backup_file, manifest)

    with pytest.raises(CommandError, match=f"does not match .*manifest.*{Member._meta.db_table} has different"):
        run("restore_data", backup_file, "--force")


def test_a_backup_without_its_manifest_is_refused(tree, backup_file):
    run("backup_data", backup_file)
    backup.manifest_path_for(backup_file).unlink()

    with pytest.raises(CommandError, match="manifest.json is missing"):
        run("restore_data", backup_file, "--force")


def test_verify_only_checks_the_backup_without_touching_the_database(changed_member, backup_file):
    run("backup_data", backup_file)
    tamper_with_the_data(changed_member)
    tampered = backup.database_digests()

    run("restore_data", backup_file, "--verify-only")
    backup_file.write_bytes(backup_file.read_bytes() + b"\0")
    with pytest.raises(CommandError, match="does not match its manifest"):
        run("restore_data", backup_file, "--verify-only")

    assert backup.database_digests() == tampered


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is used on PostgreSQL only")
def test_a_missing_pg_dump_is_named_in_the_error(tree, backup_file, monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)

    with pytest.raises(CommandError, match="pg_dump was not found: install the PostgreSQL client programs"):
        run("backup_data", backup_file)

    assert not backup_file.exists()
