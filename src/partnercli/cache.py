"""What `partners` remembers about large datasets: their search index, keyed by a hash of the
validated records.

Indexing 100,000 records for search takes seconds; doing it again for records already seen is
waste. Any change to the data changes the key; the old entries are simply never read again. The
cache is never needed: if its folder cannot be written, every search builds its index in memory.
"""

from __future__ import annotations

import hashlib
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
