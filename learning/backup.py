"""Backup and restore of a site: the ``default`` database and the files of its storages
(the private storage and, when it is a separate storage, the media storage), in one
``.tar.gz`` archive with a manifest. Used by the ``backup_site`` and ``restore_site``
management commands.

Files are read and written through the Django storage API, so the same code serves a
local disk and an S3 bucket. The database is dumped with the tool that gives a consistent
copy of a running site: ``pg_dump --format=custom`` for PostgreSQL, Python's
``sqlite3.Connection.backup`` for SQLite."""

import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import connections

from learning.storage import PRIVATE_STORAGE_ALIAS

FORMAT = "learning-site-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message names the problem."""


def storage_aliases():
    """The storages holding site data: the private one, then the media (default) one."""
    if PRIVATE_STORAGE_ALIAS in settings.STORAGES:
        return [PRIVATE_STORAGE_ALIAS, "default"]
    return ["default"]


def _database(alias="default"):
    connection = connections[alias]
    if connection.vendor not in DATABASE_MEMBER:
        raise BackupError(f"Unsupported database vendor {connection.vendor!r}.")
    return connection


def describe_target():
    connection = _database()
    return connection.vendor, connection.settings_dict["NAME"]


def _pg_env_and_args(settings_dict):
    env = os.environ.copy()
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [option, str(settings_dict[key])]
    return env, args


def _run(command, env):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed or not on PATH.") from error
    if result.returncode != 0:
        raise BackupError(
            f"{command[0]} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}"
        )


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _list_files(storage, directory=""):
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for name in sorted(directories):
        yield from _list_files(storage, f"{directory}/{name}" if directory else name)


def _dump_database(connection, target):
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(settings_dict)
        _run(
            ["pg_dump", "--format=custom", "--file", str(target), *args, settings_dict["NAME"]],
            env,
        )
    else:
        source = sqlite3.connect(str(settings_dict["NAME"]))
        destination = sqlite3.connect(str(target))
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()


def backup(destination):
    """Write the archive to ``destination`` (a file path, or an existing directory to
    hold ``site-backup-<UTC time>.tar.gz``); return ``(path, manifest)``. The archive is
    written under a temporary name and renamed when complete."""
    connection = _database()
    created = datetime.now(UTC)
    destination = Path(destination)
    if destination.is_dir():
        destination = destination / f"site-backup-{created:%Y%m%dT%H%M%SZ}.tar.gz"
    if not destination.parent.is_dir():
        raise BackupError(f"The directory {destination.parent} does not exist.")
    with tempfile.TemporaryDirectory(prefix="site-backup-") as work:
        work = Path(work)
        database_member = DATABASE_MEMBER[connection.vendor]
        # The database first: every file a row refers to is then in the copy of the files.
        _dump_database(connection, work / database_member)
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": created.isoformat(),
            "database": {
                "vendor": connection.vendor,
                "member": database_member,
                "sha256": _sha256_file(work / database_member),
            },
            "storages": list(storage_aliases()),
            "files": [],
        }
        partial = destination.with_name(f".{destination.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(work / database_member, arcname=database_member)
                for alias in manifest["storages"]:
                    storage = storages[alias]
                    for name in _list_files(storage):
                        copy = work / "file"
                        digest = hashlib.sha256()
                        with storage.open(name, "rb") as source, open(copy, "wb") as target:
                            while chunk := source.read(CHUNK):
                                digest.update(chunk)
                                target.write(chunk)
                        member = f"files/{alias}/{name}"
                        size = copy.stat().st_size
                        archive.add(copy, arcname=member)
                        copy.unlink()
                        manifest["files"].append(
                            {
                                "storage": alias,
                                "name": name,
                                "member": member,
                                "size": size,
                                "sha256": digest.hexdigest(),
                            }
                        )
                manifest["file_count"] = len(manifest["files"])
                (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
                archive.add(work / MANIFEST, arcname=MANIFEST)
            os.replace(partial, destination)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return destination, manifest


def _safe_member_name(name):
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def _unpack_and_verify(archive_path, work, vendor):
    """Extract into ``work`` and check everything against the manifest; write nothing else."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            members = archive.getmembers()
            for member in members:
                if not member.isfile() or not _safe_member_name(member.name):
                    raise BackupError(f"The archive holds an unexpected entry {member.name!r}.")
            archive.extractall(work, filter="data")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Cannot read the archive {archive_path}: {error}") from error
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError("The archive has no readable manifest.json.") from error
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError("The archive is not a site backup of a known format version.")
    database = manifest["database"]
    if database["vendor"] != vendor:
        raise BackupError(
            f"The archive holds a {database['vendor']} database; this site uses {vendor}."
        )
    expected = {MANIFEST, database["member"]}
    if _sha256_file(work / database["member"]) != database["sha256"]:
        raise BackupError("The database copy in the archive does not match its manifest.")
    for entry in manifest["files"]:
        expected.add(entry["member"])
        if entry["storage"] not in settings.STORAGES:
            raise BackupError(f"The storage {entry['storage']!r} is not configured on this site.")
        path = work / entry["member"]
        if not path.is_file() or _sha256_file(path) != entry["sha256"]:
            raise BackupError(f"The file {entry['member']} does not match the manifest.")
    extra = {member.name for member in members} - expected
    if extra:
        raise BackupError(f"The archive holds files the manifest does not list: {sorted(extra)}.")
    if manifest.get("file_count") != len(manifest["files"]):
        raise BackupError("The manifest's file count does not match its list of files.")
    return manifest


def _restore_database(connection, source):
    settings_dict = connection.settings_dict
    # Django's own connection must not hold locks on the tables being replaced.
    connection.close()
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(settings_dict)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                "--dbname",
                settings_dict["NAME"],
                str(source),
            ],
            env,
        )
    else:
        backup_copy = sqlite3.connect(str(source))
        live = sqlite3.connect(str(settings_dict["NAME"]))
        try:
            backup_copy.backup(live)
        finally:
            live.close()
            backup_copy.close()


def restore(archive_path):
    """Restore the database and the files from ``archive_path`` after verifying every
    checksum; return the manifest. Files of the storages that are not in the archive are
    left in place (nothing in the restored database refers to them)."""
    connection = _database()
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"The archive {archive_path} does not exist.")
    with tempfile.TemporaryDirectory(prefix="site-restore-") as work:
        work = Path(work)
        manifest = _unpack_and_verify(archive_path, work, connection.vendor)
        _restore_database(connection, work / manifest["database"]["member"])
        for entry in manifest["files"]:
            storage = storages[entry["storage"]]
            if storage.exists(entry["name"]):
                storage.delete(entry["name"])
            with open(work / entry["member"], "rb") as handle:
                saved = storage.save(entry["name"], File(handle))
            if saved != entry["name"]:
                raise BackupError(
                    f"The storage {entry['storage']!r} saved {entry['name']} as {saved}."
                )
    return manifest
