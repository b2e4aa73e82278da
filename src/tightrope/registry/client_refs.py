"""The client reference: initials or a code, never a full name by default.

Minimum necessary (45 CFR 164.502(b)): the registry needs to tell one client's
case from another, not to know who the client is. A reference is short (at
most 32 characters of letters, digits, spaces and ``. - _ #``) and must not
look like a full name, an e-mail address, a phone number or a Social Security
number, all Safe Harbor identifiers (164.514(b)(2)). A clinician who must keep
a name can pass ``allow_name``; the reference is sealed at rest either way.
"""

from __future__ import annotations

import re

from .errors import registry_error

MAX_LENGTH = 32
_ALLOWED = re.compile(r"^[A-Za-z0-9#][A-Za-z0-9 ._#'’-]*$")
_SEPARATORS = re.compile(r"[ .,_#-]+")
_LETTERS = re.compile(r"^[A-Za-z'’]+$")
_SSN = re.compile(r"\d{3}[- ]?\d{2}[- ]?\d{4}")
_PHONE = re.compile(r"(?:\d[ .-]?){7,}")


def check_client_ref(value: str, *, allow_name: bool = False) -> str:
    """The reference, trimmed, or an error saying what is wrong and what to use instead."""
    ref = " ".join(value.split())
    hint = "use initials (J.D.) or a code (C-1042)"
    if not ref:
        raise registry_error("client-ref-required", "a client reference is required",
                             path="client_ref", hint=hint)
    if len(ref) > MAX_LENGTH:
        raise registry_error("invalid-client-ref", f"the client reference is {len(ref)} "
                             f"characters; at most {MAX_LENGTH} are allowed",
                             path="client_ref", hint=hint)
    if "@" in ref:
        raise registry_error("client-ref-identifier", "the client reference looks like an "
                             "e-mail address, which identifies the client", path="client_ref",
                             hint=hint)
    if _SSN.search(ref) or _PHONE.search(ref):
        raise registry_error("client-ref-identifier", "the client reference looks like a "
                             "phone or Social Security number, which identifies the client",
                             path="client_ref", hint=hint)
    if not _ALLOWED.match(ref):
        raise registry_error("invalid-client-ref", f"the client reference {ref!r} has "
                             "characters other than letters, digits, spaces and . - _ # '",
                             path="client_ref", hint=hint)
    if not allow_name and looks_like_full_name(ref):
        raise registry_error("client-ref-looks-like-name", "the client reference looks like "
                             "a full name; the registry keeps initials or a code, not names",
                             path="client_ref",
                             hint=f"{hint}; if you must keep the name, pass --allow-name")
    return ref


def _name_word(word: str) -> bool:
    """A word that reads as a name: letters only, and more than a pair of initials."""
    letters = word.replace("'", "").replace("’", "")
    return bool(_LETTERS.match(word)) and len(letters) >= 2 and (
        len(letters) >= 3 or any(c.islower() for c in letters))


def looks_like_full_name(ref: str) -> bool:
    """Two or more words, no digits, one of them name-like: "Jane Doe", "JANE DOE", "J. Doe".

    Initials ("J.D.", "JD", "J D", "AB CD") and codes ("C-1042", "client 17") pass.
    """
    words = [w for w in _SEPARATORS.split(ref) if w]
    if len(words) < 2 or any(not _LETTERS.match(w) for w in words):
        return False
    return any(_name_word(w) for w in words)
