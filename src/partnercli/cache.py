"""The folder where `partners` keeps what it learnt of large datasets: one database of validated
records per content (see `store`), and small notes that map a file's stat to the content it held.

Any change to a file changes its stat; a changed content gets a database of its own, and the old
ones are evicted, least recently used first, beyond a size budget. The cache is never needed: if
its folder cannot be used, every run reads its file as if for the first time.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from partnercli import __version__


def default_dir(env: Mapping[str, str]) -> Path | None:
    """`$PARTNERS_CACHE_DIR` (empty: no cache), else `$XDG_CACHE_HOME/partnercli` or ~/.cache."""
    if "PARTNERS_CACHE_DIR" in env:
        return Path(env["PARTNERS_CACHE_DIR"]) if env["PARTNERS_CACHE_DIR"] else None
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # no home to expand `~` to: no cache, not a folder named `~`
        return None
    return Path(base) / "partnercli"


def content_key(path: str, version: str) -> str | None:
    """A key for the file's content as this version of partners stores it (None: unreadable)."""
    import hashlib  # only a file about to be stored is hashed

    try:
        with open(path, "rb") as file:
            digest = hashlib.file_digest(file, "sha256")
    except OSError:
        return None
    digest.update(f"{__version__}/{version}".encode())
    return digest.hexdigest()


STORE_SUFFIX = ".records.sqlite"
#: A content key is a SHA-256 in hex.
KEY_LENGTH = 64
_HEX = frozenset("0123456789abcdef")
NOTE_SUFFIX = ".seen"


def store_path(directory: Path, key: str) -> Path:
    return directory / f"{key}{STORE_SUFFIX}"


def seen(directory: Path, stat_key: str) -> str | None:
    """What the note for a file's stat says: None if there is none (never seen), "" if the file
    was seen once, else the key of its content's database."""
    note = directory / f"{stat_key}{NOTE_SUFFIX}"
    try:
        found = note.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    if found and not (len(found) == KEY_LENGTH and all(c in _HEX for c in found)):
        return None  # not a note of ours: never a path to open, or to delete
    touch(note)
    return found


def remember(directory: Path, stat_key: str, key: str) -> None:
    """Note a file's stat ("" for seen once, else its content's key); only a usable folder."""
    if usable(directory):
        write_atomically(
            directory / f"{stat_key}{NOTE_SUFFIX}", lambda tmp: tmp.write_text(key, "ascii")
        )


def write_atomically(target: Path, write: Callable[[Path], object]) -> bool:
    """Make `target` with `write(temporary path)`, then move it in place; False if it failed."""
    import tempfile

    temporary = None
    try:  # from the moment the temporary file exists: a signal must not leave it behind
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
        os.close(fd)
        os.unlink(temporary)  # sqlite3 wants to create its file itself
        write(Path(temporary))
        os.replace(temporary, target)
        return True
    except Exception:  # whatever went wrong, a cache that cannot be written only slows this run
        return False
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)


#: The cache's size budget: least recently used entries go beyond it. PARTNERS_CACHE_MAX_MB.
DEFAULT_BUDGET_MB = 512
#: A temporary file this old was left by a run that was killed: it is swept away.
STALE_SECONDS = 3600
#: A note this old is forgotten (its file is read as never seen): notes never pile up.
NOTE_SECONDS = 30 * 24 * 3600


def problem(directory: Path) -> str | None:
    """Why `directory` must not be used as a cache (another user owns it, or others may write
    to it: they could plant an index), or None if it may. It is made, private, when missing."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = directory.stat()
    except OSError as exc:
        return f"cannot use the cache folder {directory}: {exc.strerror or exc}"
    if hasattr(os, "getuid") and status.st_uid != os.getuid():
        return f"the cache folder {directory} belongs to another user"
    if status.st_mode & 0o022:
        return f"others may write to the cache folder {directory} (chmod 700 it)"
    return None


def usable(directory: Path) -> bool:
    return problem(directory) is None


def entries(directory: Path) -> list[Path]:
    """The cache's entries (its databases), oldest use first."""
    try:
        found = [p for p in directory.iterdir() if p.name.endswith(STORE_SUFFIX)]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.stat().st_mtime)


def size(directory: Path) -> int:
    return sum(size_of(p) for p in entries(directory))


def size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def touch(path: Path) -> None:
    """Mark an entry as just used (eviction goes by last use)."""
    with contextlib.suppress(OSError):
        os.utime(path)


def discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def budget(env: Mapping[str, str]) -> int:
    """The size budget in bytes, from PARTNERS_CACHE_MAX_MB (512 unless it is a number)."""
    value = env.get("PARTNERS_CACHE_MAX_MB", "")
    megabytes = int(value) if value.isdigit() else DEFAULT_BUDGET_MB
    return megabytes * 2**20


def tidy(directory: Path, *, limit: int, keep: Path | None = None) -> None:
    """Sweep temporary files of killed runs and notes older than the oldest entry, then drop
    the least recently used entries until the cache fits `limit` (never `keep`, the one in use)."""
    now = time.time()
    try:
        for path in directory.glob(".tmp-*"):
            if now - path.stat().st_mtime > STALE_SECONDS:
                discard(path)
        for path in directory.glob(f"*{NOTE_SUFFIX}"):
            if now - path.stat().st_mtime > NOTE_SECONDS:
                discard(path)
    except OSError:
        return
    found = entries(directory)
    total = sum(p.stat().st_size for p in found)
    for path in found:
        if total <= limit:
            break
        if path != keep:
            total -= path.stat().st_size
            discard(path)


def clear(directory: Path) -> int:
    """Delete every entry, note and temporary file; how many files went."""
    gone = 0
    found = [*entries(directory), *directory.glob(f"*{NOTE_SUFFIX}"), *directory.glob(".tmp-*")]
    for path in found if directory.is_dir() else []:
        discard(path)
        gone += 1
    return gone
