"""Settings from the environment, and the keys they point to; unsafe defaults refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tightrope.storage.crypto import generate_key
from tightrope.storage.errors import StorageError
from tightrope.storage.keys import (
    add_active_key,
    encode_key,
    load_keyring,
    read_key_file,
    retire_keys,
)
from tightrope.storage.settings import StorageSettings


def settings(tmp_path: Path, **env: str) -> StorageSettings:
    return StorageSettings.from_env({"TIGHTROPE_DATA_DIR": str(tmp_path), **env})


def error_code(tmp_path: Path, **env: str) -> str:
    with pytest.raises(StorageError) as caught:
        load_keyring(settings(tmp_path, **env))
    return caught.value.code


def test_the_default_is_a_sqlite_file_and_a_private_key_file_in_the_data_dir(
        tmp_path: Path) -> None:
    chosen = settings(tmp_path)
    assert chosen.url.drivername == "sqlite"
    assert chosen.url.database == str(tmp_path / "registry.sqlite3")
    keyring = load_keyring(chosen)
    key_file = tmp_path / "keys.json"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_keyring(chosen) == keyring  # created once, then reused


def test_postgresql_urls_use_psycopg_3_and_passwords_stay_hidden(tmp_path: Path) -> None:
    chosen = settings(tmp_path, TIGHTROPE_DATABASE_URL="postgresql://me:s3cret@db/tightrope")
    assert chosen.url.drivername == "postgresql+psycopg"
    assert "s3cret" not in chosen.display_url and "s3cret" not in repr(chosen)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "mysql://db/x",
                                 "postgresql+asyncpg://db/x", "not a url"])
def test_databases_we_cannot_keep_records_in_are_refused(tmp_path: Path, url: str) -> None:
    with pytest.raises(StorageError) as caught:
        settings(tmp_path, TIGHTROPE_DATABASE_URL=url)
    assert caught.value.code == "database-url-invalid"


def test_production_needs_an_explicit_database_and_key(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as caught:
        settings(tmp_path, TIGHTROPE_ENV="production")
    assert caught.value.code == "database-url-required"
    with pytest.raises(StorageError) as caught:
        settings(tmp_path, TIGHTROPE_ENV="production", TIGHTROPE_DATABASE_URL="postgresql://db/t")
    assert caught.value.code == "key-required"
    explicit = settings(tmp_path, TIGHTROPE_ENV="production", TIGHTROPE_DATABASE_URL="postgresql"
                        "://db/t", TIGHTROPE_KEY_FILE=str(tmp_path / "absent.json"))
    with pytest.raises(StorageError) as caught:
        load_keyring(explicit)  # a server never creates its own key
    assert caught.value.code == "key-missing"
    assert not (tmp_path / "absent.json").exists()
    with pytest.raises(StorageError) as caught:
        settings(tmp_path, TIGHTROPE_ENV="staging")
    assert caught.value.code == "bad-environment"


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    load_keyring(settings(tmp_path))
    os.chmod(tmp_path / "keys.json", 0o644)
    assert error_code(tmp_path) == "key-file-unsafe"


def test_keys_from_the_environment_first_one_active(tmp_path: Path) -> None:
    new, old = generate_key(), generate_key()
    keyring = load_keyring(settings(tmp_path, TIGHTROPE_KEY=f"{encode_key(new)},"
                                    f"{encode_key(old)}"))
    assert keyring.keys[keyring.active_id] == new and len(keyring.ids) == 2
    assert not (tmp_path / "keys.json").exists()
    assert error_code(tmp_path, TIGHTROPE_KEY="not base64!") == "key-invalid"
    assert error_code(tmp_path, TIGHTROPE_KEY=encode_key(b"16 bytes only...")) == "key-invalid"


def test_rotating_the_key_file_keeps_old_keys_until_retired(tmp_path: Path) -> None:
    first = load_keyring(settings(tmp_path))
    path = tmp_path / "keys.json"
    second_id = add_active_key(path)
    both = read_key_file(path)
    assert both.active_id == second_id and set(both.ids) == {first.active_id, second_id}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert retire_keys(path, keep=set()) == [first.active_id]
    assert read_key_file(path).ids == (second_id,)


def test_a_lost_key_file_is_never_silently_replaced_once_records_exist(tmp_path: Path) -> None:
    from tightrope.registry.service import Registry
    from tightrope.storage.store import Store

    chosen = settings(tmp_path)
    store = Store.open(chosen)
    Registry(store).accounts.local_actor("alice")
    store.close()
    (tmp_path / "keys.json").unlink()
    with pytest.raises(StorageError) as caught:
        Store.open(chosen)
    assert caught.value.code == "key-missing"
    assert not (tmp_path / "keys.json").exists()
