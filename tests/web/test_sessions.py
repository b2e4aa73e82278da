"""Signed session cookies: genuine, aged, renewed, never forged; CSRF tokens per session."""

from __future__ import annotations

from dataclasses import replace

from tightrope.web.sessions import SessionCodec

T0 = 1_800_000_000.0


def codec(secret: str = "k" * 40) -> SessionCodec:
    return SessionCodec(secret, idle_seconds=900, max_seconds=12 * 3600)


def test_a_session_survives_the_round_trip() -> None:
    session = codec().sign_in(codec().new(T0), "user-1", T0)
    decoded = codec().decode(codec().encode(session))
    assert decoded is not None and decoded.user_id == "user-1" and decoded.sid == session.sid


def test_another_key_or_an_edit_makes_the_cookie_worthless() -> None:
    value = codec().encode(codec().sign_in(codec().new(T0), "user-1", T0))
    assert codec("z" * 40).decode(value) is None
    _body, _, signature = value.partition(".")
    forged = codec().encode(replace(codec().new(T0), user_id="admin"))
    assert codec().decode(forged.partition(".")[0] + "." + signature) is None
    for broken in ("", "nodot", value + "x", "a.b", "." * 3000):
        assert codec().decode(broken) is None


def test_idle_sessions_end_and_leave_a_notice() -> None:
    c = codec()
    session = c.sign_in(c.new(T0), "user-1", T0)
    same, changed = c.age(session, T0 + 10)
    assert same == session and not changed
    renewed, changed = c.age(session, T0 + 600)
    assert changed and renewed.seen_at == T0 + 600 and renewed.user_id == "user-1"
    ended, changed = c.age(session, T0 + 901)
    assert changed and ended.user_id is None and ended.notice == "signed-out-idle"


def test_every_session_ends_after_its_maximum_age() -> None:
    c = codec()
    session = replace(c.sign_in(c.new(T0), "user-1", T0), seen_at=T0 + 12 * 3600)
    ended, _ = c.age(session, T0 + 12 * 3600 + 1)
    assert ended.user_id is None


def test_signing_in_changes_the_session_id_and_the_csrf_token() -> None:
    c = codec()
    anonymous = c.new(T0)
    signed = c.sign_in(anonymous, "user-1", T0)
    assert signed.sid != anonymous.sid
    assert c.csrf_token(signed) != c.csrf_token(anonymous)
    assert c.csrf_ok(signed, c.csrf_token(signed))
    assert not c.csrf_ok(signed, c.csrf_token(anonymous))
    assert not c.csrf_ok(signed, None) and not c.csrf_ok(signed, "")
