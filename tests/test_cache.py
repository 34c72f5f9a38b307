"""The search-index cache for large datasets: same answers as without it, never a reason to fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.datasets import write_scaled
from partnercli import cache, catalogue, search
from partnercli.models import Catalogue
from tests.conftest import Invoke

RECORDS = search.CACHED_FROM + 50


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_scaled(RECORDS, tmp_path_factory.mktemp("big") / "big.json")


@pytest.fixture(scope="module")
def big(big_file: Path) -> Catalogue:
    return catalogue.load(big_file)


def entries(directory: Path) -> list[str]:
    return sorted(p.name.split(".", 1)[1] for p in directory.iterdir())


def test_a_large_catalogue_keeps_its_index(big: Catalogue, tmp_path: Path) -> None:
    in_memory = search.search(big, '"cultural goods" illicit')
    built = search.search(big, '"cultural goods" illicit', cache_dir=tmp_path)
    assert entries(tmp_path) == ["search.sqlite"]
    reused = search.search(big, '"cultural goods" illicit', cache_dir=tmp_path)
    assert built == in_memory == reused
    assert len(built) > 100


def test_a_small_catalogue_is_indexed_in_memory(bundled: Catalogue, tmp_path: Path) -> None:
    assert search.search(bundled, "illicit", cache_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_changed_records_get_an_index_of_their_own(big_file: Path, tmp_path: Path) -> None:
    data = json.loads(big_file.read_text(encoding="utf-8"))
    data["partners"][0]["name"] = "Renamed partner"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    search.search(catalogue.load(big_file), "renamed", cache_dir=cache_dir)
    hits = search.search(catalogue.load(changed), "renamed", cache_dir=cache_dir)
    assert [h.partner.id for h in hits] == [data["partners"][0]["id"]]
    assert entries(cache_dir) == ["search.sqlite", "search.sqlite"]


def test_an_unwritable_cache_is_only_slower(big: Catalogue, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("", encoding="utf-8")
    assert search.search(big, "illicit", cache_dir=blocker / "cache")


def test_a_damaged_index_falls_back_to_memory(big: Catalogue, tmp_path: Path) -> None:
    search.search(big, "drugs", cache_dir=tmp_path)
    (index,) = tmp_path.iterdir()
    index.write_bytes(b"this is not sqlite")
    assert search.search(big, "drugs", cache_dir=tmp_path) == search.search(big, "drugs")


def test_cache_dir_from_the_environment(tmp_path: Path) -> None:
    assert cache.default_dir({"PARTNERS_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert cache.default_dir({"PARTNERS_CACHE_DIR": ""}) is None
    assert cache.default_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "partnercli"


def test_the_cli_uses_the_cache(big_file: Path, tmp_path: Path, invoke: Invoke) -> None:
    env = {"PARTNERS_CACHE_DIR": str(tmp_path)}
    first = invoke("--data", str(big_file), "search", "drugs", "--json", env=env)
    second = invoke("--data", str(big_file), "search", "drugs", "--json", env=env)
    uncached = invoke(
        "--data", str(big_file), "search", "drugs", "--json", env={"PARTNERS_CACHE_DIR": ""}
    )
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout == uncached.stdout
    assert entries(tmp_path) == ["search.sqlite"]


def test_tests_never_touch_the_real_cache() -> None:
    import os

    assert "pytest" in os.environ["PARTNERS_CACHE_DIR"]


def _index(big: Catalogue, tmp_path: Path) -> Path:
    search.search(big, "drugs", cache_dir=tmp_path)
    (index,) = [p for p in tmp_path.iterdir() if p.name.endswith(".search.sqlite")]
    return index


def test_a_zeroed_page_is_rebuilt_not_a_traceback(big: Catalogue, tmp_path: Path) -> None:
    index = _index(big, tmp_path)
    data = bytearray(index.read_bytes())
    data[4096:8192] = bytes(4096)
    index.write_bytes(bytes(data))
    assert search.search(big, "drugs", cache_dir=tmp_path) == search.search(big, "drugs")


def test_a_foreign_sqlite_file_is_replaced(big: Catalogue, tmp_path: Path) -> None:
    import sqlite3

    index = _index(big, tmp_path)
    index.unlink()
    db = sqlite3.connect(index)
    db.execute("CREATE TABLE partners (x)")
    db.execute("INSERT INTO partners VALUES (-1)")
    db.commit()
    db.close()
    assert search.search(big, "drugs", cache_dir=tmp_path) == search.search(big, "drugs")
    assert entries(tmp_path) == ["search.sqlite"]


def test_a_cache_path_with_uri_characters(big: Catalogue, tmp_path: Path) -> None:
    odd = tmp_path / "a#b?c"
    assert search.search(big, "drugs", cache_dir=odd) == search.search(big, "drugs")
    assert search.search(big, "drugs", cache_dir=odd)  # read back through the URI


def test_the_cache_folder_is_private_and_a_shared_one_is_refused(
    big_file: Path, tmp_path: Path, invoke: Invoke
) -> None:
    private = tmp_path / "new"
    assert cache.problem(private) is None
    assert private.stat().st_mode & 0o777 == 0o700
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    result = invoke(
        "--data", str(big_file), "search", "drugs", env={"PARTNERS_CACHE_DIR": str(shared)}
    )
    assert result.exit_code == 0
    assert "others may write to the cache folder" in result.stderr
    assert list(shared.iterdir()) == []


def test_eviction_keeps_the_cache_within_its_budget(tmp_path: Path) -> None:
    import os
    import time

    for index, age in enumerate((300, 200, 100)):
        path = tmp_path / f"k{index}.search.sqlite"
        path.write_bytes(b"x" * 600_000)
        os.utime(path, (time.time() - age, time.time() - age))
    stale = tmp_path / ".tmp-old.sqlite"
    stale.write_bytes(b"")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    cache.tidy(tmp_path, limit=1_300_000, keep=tmp_path / "k0.search.sqlite")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k0.search.sqlite", "k2.search.sqlite"]


def test_cache_command_shows_and_clears(big_file: Path, tmp_path: Path, invoke: Invoke) -> None:
    env = {"PARTNERS_CACHE_DIR": str(tmp_path)}
    invoke("--data", str(big_file), "search", "drugs", env=env)
    shown = invoke("cache", env=env).stdout
    assert f"cache:\t{tmp_path}\nentries:\t1\n" in shown
    cleared = invoke("cache", "clear", env=env)
    assert cleared.stderr == f"removed 1 file(s) from {tmp_path}\n"
    assert list(tmp_path.iterdir()) == []
    assert invoke("cache", env={"PARTNERS_CACHE_DIR": ""}).stdout.startswith("cache: off")
