"""Encryption at rest for free text: AES-256-GCM, one sealed value per cell.

A sealed value is ``version (1 byte) | key id (4 bytes) | nonce (12 bytes) |
ciphertext and tag`` over the zlib-compressed UTF-8 text. The associated data
binds it to ``table.column`` and the record id, and to its own header, so a
value copied into another row or column, or given another key id, fails to
open instead of showing the wrong person's text. The key id in every value
lets old and new keys live side by side: rotation re-encrypts at its own pace
and there is no cut-over day.

Keys never touch the database. Decrypted text is returned to the caller and
never logged; a keyring shows only key ids in ``repr``.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import storage_error

KEY_BYTES = 32
NONCE_BYTES = 12
KEY_ID_BYTES = 4
SEAL_VERSION = 1
HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES


def key_id_for(key: bytes) -> str:
    """A key's id: eight hex digits of a domain-separated SHA-256 of the key."""
    return hashlib.sha256(b"tightrope-key-id\0" + key).hexdigest()[: KEY_ID_BYTES * 2]


def generate_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


@dataclass(frozen=True)
class Keyring:
    """The keys that can open sealed values, and the one that seals new ones."""

    active_id: str
    keys: Mapping[str, bytes] = field(repr=False)

    @classmethod
    def of(cls, active: bytes, *others: bytes) -> Keyring:
        keys = {key_id_for(key): key for key in (active, *others)}
        for key in keys.values():
            if len(key) != KEY_BYTES:
                raise storage_error("key-invalid", f"a key must be {KEY_BYTES} bytes; one is "
                                    f"{len(key)}", hint="generate one with `tightrope keys new`")
        return cls(key_id_for(active), keys)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.keys)


def associated_data(table: str, column: str, record_id: str) -> bytes:
    return f"tightrope/{SEAL_VERSION}|{table}.{column}|{record_id}".encode()


class FieldCipher:
    """Seals and opens the text of one cell with the keyring's keys."""

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self._aead = {key_id: AESGCM(key) for key_id, key in keyring.keys.items()}

    def __repr__(self) -> str:
        return f"FieldCipher(active={self.keyring.active_id!r}, keys={list(self.keyring.ids)})"

    def seal(self, table: str, column: str, record_id: str, text: str) -> bytes:
        key_id = self.keyring.active_id
        header = bytes([SEAL_VERSION]) + bytes.fromhex(key_id) + os.urandom(NONCE_BYTES)
        body = self._aead[key_id].encrypt(
            header[1 + KEY_ID_BYTES:], zlib.compress(text.encode("utf-8")),
            associated_data(table, column, record_id) + header[: 1 + KEY_ID_BYTES])
        return header + body

    def open(self, table: str, column: str, record_id: str, sealed: bytes) -> str:
        where = f"{table}.{column} of record {record_id}"
        if len(sealed) < HEADER_BYTES + 16 or sealed[0] != SEAL_VERSION:
            raise storage_error("decryption-failed", f"{where} is not a sealed value",
                                hint="it was changed outside Tightrope; run `tightrope audit "
                                "verify` and restore from a backup")
        key_id = sealed[1: 1 + KEY_ID_BYTES].hex()
        aead = self._aead.get(key_id)
        if aead is None:
            raise storage_error("key-unknown", f"{where} was sealed with key {key_id}, which "
                                f"is not among the keys given ({', '.join(self.keyring.ids)})",
                                hint="add the old key to the key file or TIGHTROPE_KEY")
        try:
            plain = aead.decrypt(sealed[1 + KEY_ID_BYTES: HEADER_BYTES], sealed[HEADER_BYTES:],
                                 associated_data(table, column, record_id)
                                 + sealed[: 1 + KEY_ID_BYTES])
        except InvalidTag:
            raise storage_error("decryption-failed", f"{where} cannot be authenticated: it was "
                                "altered, or moved from another record",
                                hint="run `tightrope audit verify` and restore from a backup"
                                ) from None
        return zlib.decompress(plain).decode("utf-8")

    def key_id_of(self, sealed: bytes) -> str:
        return sealed[1: 1 + KEY_ID_BYTES].hex()
