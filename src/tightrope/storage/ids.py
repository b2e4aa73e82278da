"""Record identifiers: short, opaque, random; never sequential numbers.

Fourteen characters of Crockford base32 carry 70 random bits: collisions are
negligible at the registry's scale, and an id says nothing about how many
records exist or when one was made.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ID_LENGTH = 14


def new_id() -> str:
    bits = int.from_bytes(secrets.token_bytes(9), "big")  # 72 random bits, 70 used
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(ID_LENGTH))
