"""HTMX, fetched from the npm registry on demand and checked against a pinned hash.

HTMX is neither committed to the repository nor loaded from a CDN: `tightrope web
fetch-assets` (or the first `tightrope serve`) downloads the pinned ``htmx.org``
package from the npm registry, verifies the tarball against its pinned SHA-512
integrity (the same value ``package-lock.json`` would hold), and stores only
``dist/htmx.min.js`` and the licence under the assets directory. Pages include
it with a Subresource Integrity hash computed from the stored file.

Everything works without it: forms post and pages render on the server; HTMX
only makes the live verdict update as answers arrive.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Problem, TightropeError

HTMX_VERSION = "2.0.11"
HTMX_TARBALL = f"https://registry.npmjs.org/htmx.org/-/htmx.org-{HTMX_VERSION}.tgz"
HTMX_INTEGRITY = ("sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBT"
                  "qjnIMCgELTNt636dtamA==")
HTMX_FILE = f"htmx-{HTMX_VERSION}.min.js"
_MEMBER = "package/dist/htmx.min.js"
_LICENSE = "package/LICENSE"
MAX_TARBALL_BYTES = 4 * 1024 * 1024


class AssetError(TightropeError):
    """An asset that could not be fetched or did not match its pinned hash."""


def _asset_error(code: str, message: str, hint: str = "") -> AssetError:
    return AssetError(code=code, problems=[Problem(code, message, "", None, hint)])


@dataclass(frozen=True)
class Asset:
    url_path: str  # where the app serves it, under /static/vendor/
    sri: str  # the integrity attribute for the <script> tag


def integrity_of(data: bytes, algorithm: str = "sha512") -> str:
    return f"{algorithm}-{base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}"


def installed_htmx(directory: Path) -> Asset | None:
    """The stored HTMX file, if present, with its SRI hash."""
    path = directory / HTMX_FILE
    if not path.is_file():
        return None
    return Asset(url_path=f"/static/vendor/{HTMX_FILE}",
                 sri=integrity_of(path.read_bytes(), "sha384"))


def _download(url: str) -> bytes:
    from urllib.request import urlopen

    with urlopen(url, timeout=20) as response:
        data: bytes = response.read(MAX_TARBALL_BYTES + 1)
    return data


def fetch_htmx(directory: Path, *, download: Callable[[str], bytes] = _download,
               tarball_url: str = HTMX_TARBALL, integrity: str = HTMX_INTEGRITY) -> Path:
    """Download, verify and store HTMX; returns the stored file. Idempotent."""
    target = directory / HTMX_FILE
    if target.is_file():
        return target
    try:
        data = download(tarball_url)
    except OSError as exc:
        raise _asset_error("asset-download-failed", f"could not download {tarball_url} "
                           f"({type(exc).__name__})", "check the network, or run without "
                           "HTMX: every page works without it") from None
    if len(data) > MAX_TARBALL_BYTES:
        raise _asset_error("asset-too-large", "the HTMX package is larger than expected")
    if integrity_of(data) != integrity:
        raise _asset_error("asset-integrity-mismatch", "the downloaded HTMX package does not "
                           "match its pinned SHA-512 integrity; nothing was stored",
                           "the download was altered or the pin is wrong; do not use it")
    script, license_text = _extract(data)
    directory.mkdir(parents=True, exist_ok=True)
    _write_atomically(directory / "htmx-LICENSE.txt", license_text)
    _write_atomically(target, script)
    return target


def _extract(data: bytes) -> tuple[bytes, bytes]:
    """Read the two members we need by name; nothing else in the archive is touched."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            found: dict[str, bytes] = {}
            for name in (_MEMBER, _LICENSE):
                member = archive.getmember(name)
                if not member.isfile():
                    raise KeyError(name)
                handle = archive.extractfile(member)
                if handle is None:
                    raise KeyError(name)
                found[name] = handle.read()
    except (tarfile.TarError, KeyError, OSError):
        raise _asset_error("asset-unreadable", "the HTMX package does not hold "
                           f"{_MEMBER}") from None
    return found[_MEMBER], found[_LICENSE]


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".fetch-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
