"""Sealed values: AES-GCM bound to table, column and record, with a key id for rotation."""

from __future__ import annotations

import pytest

from tightrope.storage.crypto import FieldCipher, Keyring, generate_key, key_id_for
from tightrope.storage.errors import StorageError


@pytest.fixture
def cipher() -> FieldCipher:
    return FieldCipher(Keyring.of(generate_key()))


def test_a_sealed_value_opens_only_where_it_was_sealed(cipher: FieldCipher) -> None:
    sealed = cipher.seal("consultations", "advice", "rec1", "decline, and document it")
    assert cipher.open("consultations", "advice", "rec1", sealed) == "decline, and document it"
    assert b"decline" not in sealed
    for table, column, record in (("consultations", "advice", "rec2"),
                                  ("consultations", "rationale", "rec1"),
                                  ("consents", "advice", "rec1")):
        with pytest.raises(StorageError) as caught:
            cipher.open(table, column, record, sealed)
        assert caught.value.code == "decryption-failed"
        assert "altered, or moved from another record" in str(caught.value)


def test_a_flipped_bit_anywhere_is_refused(cipher: FieldCipher) -> None:
    sealed = cipher.seal("cases", "client_ref", "c1", "J.D.")
    for position in (0, 2, 8, len(sealed) - 1):
        damaged = bytearray(sealed)
        damaged[position] ^= 1
        with pytest.raises(StorageError) as caught:
            cipher.open("cases", "client_ref", "c1", bytes(damaged))
        assert caught.value.code in {"decryption-failed", "key-unknown"}


def test_the_same_text_seals_differently_each_time(cipher: FieldCipher) -> None:
    first = cipher.seal("cases", "client_ref", "c1", "J.D.")
    assert first != cipher.seal("cases", "client_ref", "c1", "J.D.")


def test_old_keys_still_open_what_they_sealed_and_new_values_use_the_active_key() -> None:
    old, new = generate_key(), generate_key()
    sealed_by_old = FieldCipher(Keyring.of(old)).seal("t", "c", "r", "kept for years")
    rotated = FieldCipher(Keyring.of(new, old))
    assert rotated.open("t", "c", "r", sealed_by_old) == "kept for years"
    assert rotated.key_id_of(sealed_by_old) == key_id_for(old)
    assert rotated.key_id_of(rotated.seal("t", "c", "r", "x")) == key_id_for(new)
    with pytest.raises(StorageError) as caught:
        FieldCipher(Keyring.of(new)).open("t", "c", "r", sealed_by_old)
    assert caught.value.code == "key-unknown"
    assert key_id_for(old) in str(caught.value)


def test_keys_never_show_in_a_repr() -> None:
    key = generate_key()
    cipher = FieldCipher(Keyring.of(key))
    shown = repr(cipher) + repr(cipher.keyring)
    assert key.hex() not in shown and str(key) not in shown
    assert key_id_for(key) in shown


def test_a_key_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(StorageError) as caught:
        Keyring.of(b"short")
    assert caught.value.code == "key-invalid"
