"""The cache of large datasets: a file's validated records kept in SQLite from its second
reading, the same answers as without it, and never a reason to fail."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from benchmarks.datasets import write_scaled
from partnercli import cache, catalogue, output, records, store
from partnercli.errors import DataError
from partnercli.models import Catalogue, Partner
from partnercli.records import Filter, InMemory, Records
from tests.conftest import Invoke, settle

RECORDS = 1050  # 2.4 MB: large enough to be kept


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return settle(write_scaled(RECORDS, tmp_path_factory.mktemp("big") / "big.json"))


@pytest.fixture(scope="module")
def big(big_file: Path) -> Catalogue:
    return catalogue.load(big_file)


def kinds(directory: Path) -> list[str]:
    """What the cache folder holds: `records.sqlite` for a database, `seen` for a note."""
    return sorted(p.name.split(".", 1)[1] for p in directory.iterdir())


def opened(path: Path, directory: Path) -> Records:
    return records.open_file(str(path), cache_dir=directory, warnings=[])


def stored(path: Path, directory: Path) -> Records:
    """The records of `path` from its database, after the two readings that make it."""
    for _ in range(3):
        found = opened(path, directory)
    assert isinstance(found, store.Store)
    return found


def database(directory: Path) -> Path:
    (found,) = directory.glob(f"*{cache.STORE_SUFFIX}")
    return found


# -- when a file is kept ---------------------------------------------------------------------------


def test_a_file_is_noted_then_stored_then_answered_from_its_database(
    big_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = opened(big_file, tmp_path)
    assert isinstance(first, InMemory)
    assert kinds(tmp_path) == ["seen"]
    second = opened(big_file, tmp_path)  # seen before: validated once more, and stored
    assert isinstance(second, store.Store)
    assert kinds(tmp_path) == ["records.sqlite", "seen"]

    def no_reading(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a stored file was read again")

    monkeypatch.setattr(store, "read_file", no_reading)
    third = opened(big_file, tmp_path)
    assert isinstance(third, store.Store)
    assert len(third) == RECORDS
    assert third.everything() == first.everything()


def test_a_person_is_told_once_why_the_second_reading_takes_longer(
    big_file: Path, tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    from partnercli import output

    told: list[str] = []
    for _ in range(3):
        records.open_file(str(big_file), cache_dir=tmp_path / "a", warnings=[], notice=told.append)
    assert told == [
        f"keeping the records of {big_file} in the cache: this once, later runs are faster"
    ]
    args = ("--data", str(big_file), "show", "unesco-2", "--json")
    env = {"PARTNERS_CACHE_DIR": str(tmp_path / "b")}
    piped = [invoke(*args, env=env).stderr for _ in range(3)]  # noted, stored, used
    assert piped == ["", "", ""]  # scripts get no notices
    monkeypatch.setattr(output, "stderr_is_terminal", lambda: True)
    env = {"PARTNERS_CACHE_DIR": str(tmp_path / "c")}
    at_a_terminal = [invoke(*args, env=env).stderr for _ in range(3)]
    assert at_a_terminal == ["", f"{told[0]}\n", ""]


def test_a_small_file_never_touches_the_cache(tmp_path: Path, invoke: Invoke) -> None:
    small = settle(write_scaled(400, tmp_path / "small.json"))
    assert small.stat().st_size < records.STORED_FROM_BYTES
    directory = tmp_path / "cache"
    for _ in range(3):
        assert isinstance(opened(small, directory), InMemory)
    tiny = settle(write_scaled(21, tmp_path / "tiny.json"))
    result = invoke("--data", str(tiny), "list", env={"PARTNERS_CACHE_DIR": str(directory)})
    assert result.exit_code == 0
    assert not directory.exists()  # not even made


def test_a_file_changed_in_the_last_seconds_is_not_noted(tmp_path: Path) -> None:
    fresh = write_scaled(RECORDS, tmp_path / "fresh.json")  # its mtime is now
    directory = tmp_path / "cache"
    for _ in range(3):
        assert isinstance(opened(fresh, directory), InMemory)
    assert kinds(directory) == []


def test_a_pipe_is_never_stored(big_file: Path, tmp_path: Path) -> None:
    import threading

    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    directory = tmp_path / "cache"

    def feed() -> None:
        with pipe.open("wb") as out:
            out.write(big_file.read_bytes())

    for _ in range(2):
        feeder = threading.Thread(target=feed)
        feeder.start()
        assert isinstance(opened(pipe, directory), InMemory)
        feeder.join()
    assert not directory.exists()


def test_a_changed_file_is_read_again_and_gets_its_own_database(
    big_file: Path, tmp_path: Path
) -> None:
    directory = tmp_path / "cache"
    copy = tmp_path / "copy.json"
    shutil.copy(big_file, copy)
    before = stored(settle(copy), directory)
    assert before.partner("unesco-2") is not None
    data = json.loads(copy.read_text(encoding="utf-8"))
    data["partners"][0]["name"] = "Renamed partner"
    copy.write_text(json.dumps(data), encoding="utf-8")
    settle(copy)
    assert isinstance(opened(copy, directory), InMemory)  # a new stat: never seen
    after = stored(copy, directory)
    assert [p.name for p in after.select() if p.name == "Renamed partner"] == ["Renamed partner"]
    assert kinds(directory).count("records.sqlite") == 2


def test_the_same_content_elsewhere_shares_one_database(big_file: Path, tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    stored(big_file, directory)
    copy = settle(Path(shutil.copy(big_file, tmp_path / "copy.json")))
    stored(copy, directory)
    assert kinds(directory) == ["records.sqlite", "seen", "seen"]


def test_no_cache_folder_means_memory(big_file: Path) -> None:
    assert isinstance(records.open_file(str(big_file), cache_dir=None, warnings=[]), InMemory)


def test_bad_data_is_an_error_whatever_the_cache(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    record = '{"id": "Not A Slug", "type": "ngo", "name": "A name", "description": "%s"}' % (
        "words " * 200
    )
    bad.write_text('{"partners": [' + ",".join([record] * RECORDS) + "]}", encoding="utf-8")
    assert bad.stat().st_size >= records.STORED_FROM_BYTES
    for _ in range(3):
        with pytest.raises(DataError):
            opened(settle(bad), tmp_path / "cache")
    assert "records.sqlite" not in kinds(tmp_path / "cache")


# -- the same answers ------------------------------------------------------------------------------

COMMANDS = [
    ["list", "--type", "ngo", "--json"],
    ["list", "--theme", "illicit", "--country", "fr", "--format", "csv"],
    ["list", "--sort", "-founded", "--limit", "7", "--format", "plain"],
    ["list", "--type", "igo", "--country", "US", "--format", "table"],
    ["show", "unesco-7", "--json"],
    ["show", "WIPO-3"],
    ["show", "world customs organization 12", "--format", "plain"],
    ["show", "blue shield 9", "--format", "markdown"],
    ["show", "FIAB 3", "--json"],
    ["show", "unesco-7", "--sources", "--json"],
    ["show", "unescoo"],
    ["show", "smith"],
    ["show", "icom"],
    ["theme", "emergencies", "--type", "museum", "--json"],
    ["search", "illicit", "--json", "--limit", "20"],
    ["search", '"cultural goods"', "--type", "igo", "--format", "plain"],
    ["search", "library", "--sort", "name", "--limit", "5", "--json"],
    ["search", "traficking"],
    ["themes", "--json"],
    ["list", "--country", "atlantis"],
    ["list", "--country", "atlantis", "--json"],
    ["list", "--reverse", "--limit", "4", "--json"],
    ["list", "--theme", "emergencies", "--fields", "id,name", "--json"],
    ["list", "--type", "museum", "--format", "jsonl"],
    ["related", "unesco-4", "--json"],
]


@pytest.fixture(scope="module")
def stored_dir(big_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the database of `big_file`, made by two readings."""
    directory = tmp_path_factory.mktemp("stored")
    stored(big_file, directory)
    return directory


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_stored_file_answers_as_the_file_does(
    command: list[str], big_file: Path, stored_dir: Path, invoke: Invoke
) -> None:
    args = ["--data", str(big_file), *command]
    expected = invoke(*args, env={"PARTNERS_CACHE_DIR": "", "COLUMNS": "120"})
    result = invoke(*args, env={"PARTNERS_CACHE_DIR": str(stored_dir), "COLUMNS": "120"})
    assert kinds(stored_dir) == ["records.sqlite", "seen"]
    assert (result.exit_code, result.stdout, result.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )


def test_a_listing_as_json_is_written_from_the_kept_lines(
    big_file: Path, stored_dir: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every field as JSON is the lines the database keeps, never decoded into records; any
    other listing decodes them."""
    decoded: list[int] = []
    real = store._PARTNERS

    class Counting:
        def decode(self, text: str) -> list[Partner]:
            decoded.append(len(text))
            return real.decode(text)

    monkeypatch.setattr(store, "_PARTNERS", Counting())
    env = {"PARTNERS_CACHE_DIR": str(stored_dir)}
    for args, decodes in (
        (["list", "--type", "ngo", "--json"], 0),
        (["list", "--json", "--reverse", "--limit", "3"], 0),
        (["list", "--type", "ngo", "--json", "--sort", "founded"], 1),
        (["list", "--type", "ngo", "--json", "--fields", "id"], 1),
    ):
        decoded.clear()
        assert invoke("--data", str(big_file), *args, env=env).exit_code == 0
        assert len(decoded) == decodes, args


def test_an_ascii_only_stream_gets_escapes_not_the_kept_lines(
    big_file: Path, stored_dir: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "takes_any_character", lambda stream: False)
    args = ("--data", str(big_file), "list", "--json")
    expected = invoke(*args, env={"PARTNERS_CACHE_DIR": ""})
    result = invoke(*args, env={"PARTNERS_CACHE_DIR": str(stored_dir)})
    assert result.stdout.isascii()
    assert "\\u" in result.stdout
    assert result.stdout == expected.stdout


def test_the_run_that_builds_the_database_answers_from_it(
    big_file: Path, tmp_path: Path, invoke: Invoke
) -> None:
    args = ("--data", str(big_file), "list", "--theme", "emergencies", "--json")
    expected = invoke(*args, env={"PARTNERS_CACHE_DIR": ""})
    runs = [invoke(*args, env={"PARTNERS_CACHE_DIR": str(tmp_path)}) for _ in range(2)]
    assert kinds(tmp_path) == ["records.sqlite", "seen"]
    assert [r.stdout for r in runs] == [expected.stdout, expected.stdout]


def test_warnings_are_given_again_from_a_database(tmp_path: Path, invoke: Invoke) -> None:
    data = json.loads(write_scaled(RECORDS, tmp_path / "w.json").read_text(encoding="utf-8"))
    data["partners"][3]["colour"] = "blue"
    path = tmp_path / "w.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    settle(path)
    env = {"PARTNERS_CACHE_DIR": str(tmp_path / "cache")}
    runs = [invoke("--data", str(path), "show", "unesco-1", "--json", env=env) for _ in range(3)]
    assert "records.sqlite" in kinds(tmp_path / "cache")
    assert "unknown field 'colour'" in runs[0].stderr
    assert runs[0].stderr == runs[1].stderr == runs[2].stderr


# -- damage and trust ------------------------------------------------------------------------------


def test_a_zeroed_page_is_deleted_and_built_again(
    big: Catalogue, big_file: Path, tmp_path: Path
) -> None:
    stored(big_file, tmp_path)
    path = database(tmp_path)
    data = bytearray(path.read_bytes())
    data[4096 : 4096 * 40] = bytes(4096 * 39)
    path.write_bytes(bytes(data))
    found = opened(big_file, tmp_path)
    assert found.everything() == big
    assert isinstance(opened(big_file, tmp_path), store.Store)  # built again, once


def test_damage_found_while_answering_falls_back_to_the_file(
    big: Catalogue, big_file: Path, tmp_path: Path
) -> None:
    found = stored(big_file, tmp_path)
    assert isinstance(found, store.Store)
    found.db.execute("PRAGMA query_only = 0")
    writer = sqlite3.connect(database(tmp_path))
    writer.execute("DROP TABLE names")
    writer.execute("DROP TABLE themes")
    writer.commit()
    writer.close()
    emergencies = Filter(theme="emergencies")
    assert found.select(emergencies) == InMemory(big).select(emergencies)
    assert not list(tmp_path.glob(f"*{cache.STORE_SUFFIX}"))  # deleted, to be built again
    assert found.names().exact("wipo-3") == {"wipo-3"}


@pytest.mark.parametrize(
    "kept", ["42", "'{\"id\":'", "'{}, {}'", "'{\"id\":\"' || char(27) || '\"}'", "x'ff'"]
)
@pytest.mark.parametrize("listing", [["--json"], ["--format", "csv"]], ids=" ".join)
def test_a_kept_record_of_the_wrong_kind_falls_back_to_the_file(
    kept: str, listing: list[str], big_file: Path, tmp_path: Path, invoke: Invoke
) -> None:
    """A kept record that is not one JSON object (a number, broken JSON, two objects, a raw
    escape, not UTF-8) is damage, whether its line is written as it is or decoded: the
    listing comes from the file, as it would without the cache, and the database is deleted."""
    stored(big_file, tmp_path)
    writer = sqlite3.connect(database(tmp_path))
    writer.execute(f"UPDATE partners SET record = {kept} WHERE id = 'unesco-3'")
    writer.commit()
    writer.close()
    args = ("--data", str(big_file), "list", "--type", "igo", *listing)
    expected = invoke(*args, env={"PARTNERS_CACHE_DIR": ""})
    result = invoke(*args, env={"PARTNERS_CACHE_DIR": str(tmp_path)})
    assert (result.exit_code, result.stdout) == (0, expected.stdout)
    assert not list(tmp_path.glob(f"*{cache.STORE_SUFFIX}"))  # deleted, to be built again


@pytest.mark.parametrize("meta", [{"key": "other"}, {"version": "0"}, {"rows": "5"}])
def test_a_database_of_other_content_or_format_is_replaced(
    meta: dict[str, str], big: Catalogue, big_file: Path, tmp_path: Path
) -> None:
    stored(big_file, tmp_path)
    db = sqlite3.connect(database(tmp_path))
    db.executemany("UPDATE meta SET value = ? WHERE name = ?", [(v, k) for k, v in meta.items()])
    db.commit()
    db.close()
    found = opened(big_file, tmp_path)
    assert isinstance(found, store.Store)  # rebuilt from the file
    assert found.everything() == big


def test_a_foreign_sqlite_file_is_replaced(big: Catalogue, big_file: Path, tmp_path: Path) -> None:
    stored(big_file, tmp_path)
    path = database(tmp_path)
    path.unlink()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE partners (x)")
    db.execute("INSERT INTO partners VALUES (-1)")
    db.commit()
    db.close()
    assert opened(big_file, tmp_path).everything() == big
    assert kinds(tmp_path) == ["records.sqlite", "seen"]


@pytest.mark.parametrize("planted", ["../victim", "x" * 64, "A" * 64, "\u00e9", "0" * 63])
def test_a_note_that_is_not_a_key_is_ignored(big_file: Path, tmp_path: Path, planted: str) -> None:
    directory = tmp_path / "cache"
    stored(big_file, directory)
    (note,) = directory.glob(f"*{cache.NOTE_SUFFIX}")
    note.write_text(planted, encoding="utf-8")
    victim = tmp_path / f"victim{cache.STORE_SUFFIX}"
    victim.write_bytes(b"not ours")
    assert isinstance(opened(big_file, directory), InMemory)  # read as never seen
    assert victim.read_bytes() == b"not ours"
    assert note.read_text(encoding="ascii") == ""  # seen once, from now on


@pytest.mark.parametrize("name", ["a#b?c", "%41 b", os.fsdecode(b"caf\xe9")])
def test_a_cache_path_with_uri_or_undecodable_characters(
    big: Catalogue, big_file: Path, tmp_path: Path, name: str
) -> None:
    odd = tmp_path / name
    assert stored(big_file, odd).everything() == big
    assert kinds(odd) == ["records.sqlite", "seen"]


def test_an_unwritable_cache_is_only_slower(big: Catalogue, big_file: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("", encoding="utf-8")
    warnings: list[str] = []
    found = records.open_file(str(big_file), cache_dir=blocker / "cache", warnings=warnings)
    assert found.everything() == big
    assert len(warnings) == 1
    assert "cannot use the cache folder" in warnings[0]


def test_cache_dir_from_the_environment(tmp_path: Path) -> None:
    assert cache.default_dir({"PARTNERS_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert cache.default_dir({"PARTNERS_CACHE_DIR": ""}) is None
    assert cache.default_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "partnercli"


def test_tests_never_touch_the_real_cache() -> None:
    assert "pytest" in os.environ["PARTNERS_CACHE_DIR"]


def test_the_cache_folder_is_private_and_a_shared_one_is_refused(
    big_file: Path, tmp_path: Path, invoke: Invoke
) -> None:
    private = tmp_path / "new"
    assert cache.problem(private) is None
    assert private.stat().st_mode & 0o777 == 0o700
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    for _ in range(3):
        result = invoke(
            "--data", str(big_file), "search", "drugs", env={"PARTNERS_CACHE_DIR": str(shared)}
        )
        assert result.exit_code == 0
        assert "others may write to the cache folder" in result.stderr
    assert list(shared.iterdir()) == []


# -- size --------------------------------------------------------------------------------------------


def test_eviction_keeps_the_cache_within_its_budget(tmp_path: Path) -> None:
    for index, age in enumerate((300, 200, 100)):
        path = tmp_path / f"k{index}{cache.STORE_SUFFIX}"
        path.write_bytes(b"x" * 600_000)
        os.utime(path, (time.time() - age, time.time() - age))
    stale = tmp_path / ".tmp-old.sqlite"
    stale.write_bytes(b"")
    old_note = tmp_path / f"1-2-3{cache.NOTE_SUFFIX}"
    new_note = tmp_path / f"4-5-6{cache.NOTE_SUFFIX}"
    for path, age in ((stale, 7200), (old_note, cache.NOTE_SECONDS + 60), (new_note, 60)):
        path.write_bytes(b"")
        os.utime(path, (time.time() - age, time.time() - age))
    cache.tidy(tmp_path, limit=1_300_000, keep=tmp_path / f"k0{cache.STORE_SUFFIX}")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        new_note.name,
        f"k0{cache.STORE_SUFFIX}",
        f"k2{cache.STORE_SUFFIX}",
    ]


def test_a_file_whose_database_would_not_fit_the_budget_is_never_stored(
    big: Catalogue, big_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[Path] = []
    monkeypatch.setattr(store, "build", lambda path, *args: built.append(path))
    budget = big_file.stat().st_size * store.GROWTH // 2**20  # in MB, just under what it needs
    monkeypatch.setenv("PARTNERS_CACHE_MAX_MB", str(budget))
    for _ in range(3):
        assert opened(big_file, tmp_path).everything() == big
    assert built == []  # not even tried: it would be built, and dropped, on every run
    assert kinds(tmp_path) == ["seen"]


def test_a_database_larger_than_foreseen_is_not_kept(
    big: Catalogue, big_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "GROWTH", 0)
    monkeypatch.setenv("PARTNERS_CACHE_MAX_MB", "0")
    for _ in range(3):
        assert opened(big_file, tmp_path).everything() == big
    assert kinds(tmp_path) == ["seen"]


def test_cache_command_shows_and_clears(big_file: Path, tmp_path: Path, invoke: Invoke) -> None:
    env = {"PARTNERS_CACHE_DIR": str(tmp_path)}
    for _ in range(2):
        invoke("--data", str(big_file), "list", env=env)
    shown = invoke("cache", env=env).stdout
    assert f"cache:\t{tmp_path}\nentries:\t1\n" in shown
    cleared = invoke("cache", "clear", env=env)
    assert cleared.stderr == f"removed 2 file(s) from {tmp_path}\n"
    assert list(tmp_path.iterdir()) == []
    assert invoke("cache", env={"PARTNERS_CACHE_DIR": ""}).stdout.startswith("cache: off")


def test_icoms_own_name_suggests_a_few_partners_not_every_copy(big: Catalogue) -> None:
    from partnercli import lookup
    from partnercli.errors import NotFoundError

    with pytest.raises(NotFoundError) as raised:
        lookup.find_partner(big, "ICOM")
    assert raised.value.hints == ("did you mean icomos or icomos-1 or icomos-10?",)
