"""What `partners` remembers about large dataset files, keyed by a hash of their content.

Validating 100,000 records is slow, and so is indexing them for search; doing either again for
content already seen is waste. So, for large files only, the cache holds a marker that this exact
content passed validation (with the warnings it produced), and the search index built from it.
Any change to the file changes the key; the old entries are simply never read again. The cache is
never needed: if its folder cannot be written, every run does the full work.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from partnercli import __version__


def default_dir(env: Mapping[str, str]) -> Path | None:
    """`$PARTNERS_CACHE_DIR` (empty: no cache), else `$XDG_CACHE_HOME/partnercli` or ~/.cache."""
    if "PARTNERS_CACHE_DIR" in env:
        return Path(env["PARTNERS_CACHE_DIR"]) if env["PARTNERS_CACHE_DIR"] else None
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "partnercli"


def content_key(data: bytes) -> str:
    """A key for this content as this version of partners reads it."""
    digest = hashlib.sha256(data)
    digest.update(__version__.encode())
    return digest.hexdigest()


def validated(directory: Path, key: str) -> tuple[str, ...] | None:
    """The warnings of content that passed validation before, or None if it never did."""
    try:
        marker = json.loads((directory / f"{key}.valid.json").read_text(encoding="utf-8"))
        return tuple(str(w) for w in marker["warnings"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def mark_validated(directory: Path, key: str, warnings: tuple[str, ...]) -> None:
    payload = json.dumps({"warnings": list(warnings)}, ensure_ascii=False).encode()
    write_atomically(directory / f"{key}.valid.json", lambda path: path.write_bytes(payload))


def index_path(directory: Path, key: str) -> Path:
    return directory / f"{key}.search.sqlite"


def write_atomically(target: Path, write: Callable[[Path], object]) -> bool:
    """Make `target` with `write(temporary path)`, then move it in place; False if it failed."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
        os.close(fd)
    except OSError:
        return False
    try:
        os.unlink(temporary)  # sqlite3 wants to create its file itself
        write(Path(temporary))
        os.replace(temporary, target)
        return True
    except Exception:  # whatever went wrong, a cache that cannot be written only slows this run
        return False
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
