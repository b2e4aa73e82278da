"""HTMX comes from the npm registry, checked against its pinned SHA-512, or not at all."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from tightrope.web.assets import (
    HTMX_FILE,
    HTMX_INTEGRITY,
    HTMX_TARBALL,
    AssetError,
    fetch_htmx,
    installed_htmx,
    integrity_of,
)

SCRIPT = b"/* htmx stand-in */ window.htmx = {};"


def tarball(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_the_pin_is_a_2x_release_from_the_npm_registry() -> None:
    assert HTMX_TARBALL.startswith("https://registry.npmjs.org/htmx.org/-/htmx.org-2.")
    assert HTMX_INTEGRITY.startswith("sha512-")


def test_a_verified_package_is_stored_with_only_the_script_and_licence(tmp_path: Path) -> None:
    data = tarball({"package/dist/htmx.min.js": SCRIPT, "package/LICENSE": b"BSD",
                    "package/../../evil": b"x"})
    stored = fetch_htmx(tmp_path, download=lambda url: data, integrity=integrity_of(data))
    assert stored == tmp_path / HTMX_FILE and stored.read_bytes() == SCRIPT
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([HTMX_FILE,
                                                                 "htmx-LICENSE.txt"])
    asset = installed_htmx(tmp_path)
    assert asset is not None and asset.sri == integrity_of(SCRIPT, "sha384")


def test_a_package_that_does_not_match_its_pin_is_refused(tmp_path: Path) -> None:
    data = tarball({"package/dist/htmx.min.js": SCRIPT, "package/LICENSE": b"BSD"})
    with pytest.raises(AssetError) as caught:
        fetch_htmx(tmp_path, download=lambda url: data)
    assert caught.value.code == "asset-integrity-mismatch"
    assert installed_htmx(tmp_path) is None


def test_a_failed_download_says_the_app_works_without_it(tmp_path: Path) -> None:
    def offline(url: str) -> bytes:
        raise OSError("no network")

    with pytest.raises(AssetError) as caught:
        fetch_htmx(tmp_path, download=offline)
    assert caught.value.code == "asset-download-failed"
    assert "works without it" in str(caught.value)


def test_pages_include_htmx_with_its_integrity_only_when_present(tmp_path: Path) -> None:
    from tests.web.conftest import client_for, web_settings
    from tightrope.web.app import create_app

    without = client_for(create_app(web_settings(assets_dir=tmp_path))).get("/interview").text
    assert "htmx" not in without.split("</head>")[0]
    data = tarball({"package/dist/htmx.min.js": SCRIPT, "package/LICENSE": b"BSD"})
    fetch_htmx(tmp_path, download=lambda url: data, integrity=integrity_of(data))
    client = client_for(create_app(web_settings(assets_dir=tmp_path)))
    page = client.get("/interview").text
    assert f'src="/static/vendor/{HTMX_FILE}" integrity="sha384-' in page
    assert client.get(f"/static/vendor/{HTMX_FILE}").content == SCRIPT
