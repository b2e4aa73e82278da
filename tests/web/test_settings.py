"""Settings refuse unsafe defaults outside local use."""

from __future__ import annotations

import pytest

from tightrope.web.settings import SettingsError, WebSettings


def test_local_use_works_with_no_settings_at_all() -> None:
    settings = WebSettings.from_env({})
    assert settings.environment == "local"
    assert not settings.cookie_secure
    assert len(settings.secret_key.get_secret_value()) >= 32
    assert WebSettings.from_env({}).secret_key != settings.secret_key  # random per process


def test_production_requires_a_secret_key() -> None:
    with pytest.raises(SettingsError) as caught:
        WebSettings.from_env({"TIGHTROPE_ENV": "production"})
    assert caught.value.code == "secret-key-required"
    assert "TIGHTROPE_SECRET_KEY" in str(caught.value)


def test_production_turns_secure_cookies_on_and_refuses_them_off() -> None:
    secret = "s" * 48
    settings = WebSettings.from_env({"TIGHTROPE_ENV": "production",
                                     "TIGHTROPE_SECRET_KEY": secret})
    assert settings.cookie_secure
    with pytest.raises(SettingsError) as caught:
        WebSettings.from_env({"TIGHTROPE_ENV": "production", "TIGHTROPE_SECRET_KEY": secret,
                              "TIGHTROPE_COOKIE_SECURE": "0"})
    assert caught.value.code == "insecure-cookies"


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(SettingsError) as caught:
        WebSettings.from_env({"TIGHTROPE_SECRET_KEY": "short"})
    assert caught.value.code == "secret-key-too-short"


@pytest.mark.parametrize(("name", "value"), [("TIGHTROPE_ENV", "staging"),
                                             ("TIGHTROPE_COOKIE_SECURE", "maybe"),
                                             ("TIGHTROPE_SESSION_IDLE_MINUTES", "ten"),
                                             ("TIGHTROPE_SESSION_IDLE_MINUTES", "0")])
def test_bad_values_are_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        WebSettings.from_env({name: value})
    assert caught.value.code in ("bad-environment", "bad-setting")


def test_settings_read_every_documented_variable(tmp_path: object) -> None:
    settings = WebSettings.from_env({
        "TIGHTROPE_SECRET_KEY": "k" * 40, "TIGHTROPE_COOKIE_SECURE": "1",
        "TIGHTROPE_SESSION_IDLE_MINUTES": "20", "TIGHTROPE_SESSION_MAX_HOURS": "8",
        "TIGHTROPE_ALLOWED_HOSTS": "tightrope.example, www.tightrope.example",
        "TIGHTROPE_ASSETS_DIR": "/srv/assets"})
    assert settings.cookie_secure and settings.session_idle_minutes == 20
    assert settings.session_max_hours == 8
    assert settings.allowed_hosts == ("tightrope.example", "www.tightrope.example")
    assert str(settings.assets_dir) == "/srv/assets"


def test_every_variable_is_documented() -> None:
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "web.md").read_text()
    source = (Path(__file__).parents[2] / "src" / "tightrope" / "web" / "settings.py"
              ).read_text()
    import re

    for name in sorted(set(re.findall(r'"(TIGHTROPE_[A-Z_]+)"', source))):
        assert name in docs, f"document {name} in docs/web.md"
