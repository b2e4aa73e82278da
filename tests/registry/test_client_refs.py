"""Client references: initials or codes, never names or identifiers by default."""

from __future__ import annotations

import pytest

from tightrope.registry.client_refs import check_client_ref
from tightrope.registry.errors import RegistryError


@pytest.mark.parametrize("ref", ["J.D.", "JD", "J D", "AB CD", "C-1042", "client 17", "AB12",
                                 "#42", "Jane", "  J.D.  "])
def test_initials_and_codes_are_accepted(ref: str) -> None:
    assert check_client_ref(ref) == " ".join(ref.split())


@pytest.mark.parametrize(("ref", "code"), [
    ("Jane Doe", "client-ref-looks-like-name"),
    ("JANE DOE", "client-ref-looks-like-name"),
    ("J. Doe", "client-ref-looks-like-name"),
    ("mary-ann o'neil", "client-ref-looks-like-name"),
    ("jane@example.org", "client-ref-identifier"),
    ("555-123-4567", "client-ref-identifier"),
    ("123-45-6789", "client-ref-identifier"),
    ("", "client-ref-required"),
    ("x" * 33, "invalid-client-ref"),
    ("J/D", "invalid-client-ref"),
])
def test_names_and_identifiers_are_refused_with_what_to_use_instead(ref: str,
                                                                    code: str) -> None:
    with pytest.raises(RegistryError) as caught:
        check_client_ref(ref)
    assert caught.value.code == code
    assert caught.value.problems[0].path == "client_ref"
    assert "initials (J.D.) or a code (C-1042)" in str(caught.value)


def test_a_name_is_kept_only_when_explicitly_allowed() -> None:
    assert check_client_ref("Jane Doe", allow_name=True) == "Jane Doe"
    with pytest.raises(RegistryError) as caught:
        check_client_ref("jane@example.org", allow_name=True)  # never an e-mail address
    assert caught.value.code == "client-ref-identifier"
