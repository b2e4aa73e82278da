"""Where the encryption keys come from: the environment or a key file, never the database.

The key file is JSON (``{"format": 1, "active": ID, "keys": [{"id", "key",
"created_at"}]}``) with mode 0600. Tightrope refuses to read a key file that
other users can read, and creates one on first use only for a local setup
(see :mod:`settings`). Keeping the key apart from the data is what makes
encryption count under the HIPAA breach safe harbor.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
import stat
from pathlib import Path
from typing import Any

from .crypto import KEY_BYTES, Keyring, generate_key, key_id_for
from .errors import storage_error
from .settings import StorageSettings

KEY_FILE_FORMAT = 1


def encode_key(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def decode_key(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise storage_error("key-invalid", f"{where} is not base64",
                            hint="generate a key with `tightrope keys new`") from None
    if len(key) != KEY_BYTES:
        raise storage_error("key-invalid", f"{where} decodes to {len(key)} bytes; a key is "
                            f"{KEY_BYTES} bytes", hint="generate a key with `tightrope keys new`")
    return key


def load_keyring(settings: StorageSettings, *, may_create: bool = True) -> Keyring:
    """The keyring from TIGHTROPE_KEY, else the key file (created locally on first use).

    ``may_create`` is false when the database already holds records: a new key then
    would seal new records with a key the old ones never knew, so the missing key file
    is reported instead.
    """
    if settings.key_material is not None:
        parts = [p for p in settings.key_material.get_secret_value().split(",") if p.strip()]
        keys = [decode_key(p, f"key {n} in TIGHTROPE_KEY") for n, p in enumerate(parts, 1)]
        if not keys:
            raise storage_error("key-invalid", "TIGHTROPE_KEY is empty")
        return Keyring.of(keys[0], *keys[1:])
    path = settings.key_file
    if not path.exists():
        if not settings.may_create_key or settings.key_file_is_explicit or not may_create:
            raise storage_error("key-missing", f"there is no key file at {path}",
                                hint="restore the key file from where you keep it, or set "
                                "TIGHTROPE_KEY; without the key the records cannot be read")
        create_key_file(path)
    return read_key_file(path)


def _check_private(path: Path) -> None:
    if os.name != "posix":
        return
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise storage_error("key-file-unsafe", f"the key file {path} can be read by other "
                            f"users (mode {stat.S_IMODE(mode):o})",
                            hint=f"run: chmod 600 {path}")


def read_key_file(path: Path) -> Keyring:
    _check_private(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise storage_error("key-invalid", f"the key file {path} cannot be read "
                            f"({type(exc).__name__})") from None
    if not isinstance(data, dict) or data.get("format") != KEY_FILE_FORMAT \
            or not isinstance(data.get("keys"), list):
        raise storage_error("key-invalid", f"the key file {path} is not a Tightrope key file",
                            hint='it must hold {"format": 1, "active": ID, "keys": [...]}')
    keys: dict[str, bytes] = {}
    for index, entry in enumerate(data["keys"]):
        where = f"{path}: keys[{index}].key"
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            raise storage_error("key-invalid", f"{where} is missing")
        key = decode_key(entry["key"], where)
        keys[key_id_for(key)] = key
    active = data.get("active")
    if active not in keys:
        raise storage_error("key-invalid", f"{path}: the active key {active!r} is not among "
                            f"its keys ({', '.join(keys) or 'none'})")
    return Keyring(active_id=str(active), keys=keys)


def _write_private(path: Path, data: dict[str, Any]) -> None:
    """Write the key file atomically with mode 0600 (the directory 0700 if we make it)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _entries(path: Path) -> tuple[str, list[dict[str, Any]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return str(data["active"]), list(data["keys"])


def create_key_file(path: Path) -> str:
    """A new key file with one fresh key; refuses to replace an existing file."""
    if path.exists():
        raise storage_error("key-file-exists", f"{path} already exists",
                            hint="keys are never overwritten; rotate with `tightrope keys rotate`")
    key = generate_key()
    key_id = key_id_for(key)
    _write_private(path, {"format": KEY_FILE_FORMAT, "active": key_id,
                          "keys": [_entry(key)]})
    return key_id


def _entry(key: bytes) -> dict[str, Any]:
    return {"id": key_id_for(key), "key": encode_key(key),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


def add_active_key(path: Path) -> str:
    """Add a fresh key to the key file and make it the active one; old keys stay."""
    read_key_file(path)
    _, entries = _entries(path)
    key = generate_key()
    entries.append(_entry(key))
    _write_private(path, {"format": KEY_FILE_FORMAT, "active": key_id_for(key),
                          "keys": entries})
    return key_id_for(key)


def retire_keys(path: Path, keep: set[str]) -> list[str]:
    """Remove keys not in ``keep`` (the active key is always kept); return their ids."""
    keyring = read_key_file(path)
    active, entries = _entries(path)
    keep = keep | {keyring.active_id}
    ids = [key_id_for(decode_key(str(e.get("key", "")), f"{path}")) for e in entries]
    kept = [e for e, key_id in zip(entries, ids, strict=True) if key_id in keep]
    removed = [key_id for key_id in ids if key_id not in keep]
    _write_private(path, {"format": KEY_FILE_FORMAT, "active": active, "keys": kept})
    return removed
