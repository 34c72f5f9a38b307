"""The cache for large files: same answers as without it, and never a reason to fail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.datasets import scaled, write_scaled
from partnercli import cache, catalogue, formats, search
from partnercli.errors import DataError
from partnercli.models import Catalogue, Headquarters, Partner, PartnerType, Relation
from tests.conftest import Invoke

RECORDS = 1500  # about 1.5 MB: over catalogue.MIN_CACHED_BYTES


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = write_scaled(RECORDS, tmp_path_factory.mktemp("big") / "big.json")
    assert path.stat().st_size > catalogue.MIN_CACHED_BYTES
    return path


def entries(directory: Path) -> list[str]:
    return sorted(p.name.split(".", 1)[1] for p in directory.iterdir())


def test_first_load_validates_and_remembers(big_file: Path, tmp_path: Path) -> None:
    loaded = catalogue.load(big_file, cache_dir=tmp_path)
    assert len(loaded.partners) == RECORDS
    assert loaded.content_key == cache.content_key(big_file.read_bytes())
    assert entries(tmp_path) == ["valid.json"]


def test_second_load_decodes_without_validating(
    big_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = catalogue.load(big_file, cache_dir=tmp_path)

    def no_validation(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(catalogue, "parse", no_validation)
    second = catalogue.load(big_file, cache_dir=tmp_path)
    assert second == first  # the trusted decode builds exactly what validation built
    assert second.partners == first.partners


def test_a_changed_file_is_validated_again(big_file: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    catalogue.load(big_file, cache_dir=cache_dir)
    broken = tmp_path / "broken.json"
    data = scaled(RECORDS)
    data["partners"][7]["type"] = "charity"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match=r"unknown type 'charity'"):
        catalogue.load(broken, cache_dir=cache_dir)
    assert entries(cache_dir) == ["valid.json"], "an invalid file is never marked valid"


def test_warnings_are_remembered(tmp_path: Path) -> None:
    data = scaled(RECORDS)
    data["partners"][0]["colour"] = "blue"
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    first = catalogue.load(path, cache_dir=cache_dir)
    second = catalogue.load(path, cache_dir=cache_dir)
    assert first.warnings == second.warnings
    assert any("colour" in w for w in second.warnings)


def test_trusted_decode_falls_back_when_msgspec_balks(tmp_path: Path) -> None:
    data = scaled(RECORDS)
    data["partners"][0]["aliases"] = None  # valid for the validator, not for the dataclass
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    first = catalogue.load(path, cache_dir=cache_dir)
    assert catalogue.load(path, cache_dir=cache_dir) == first


@pytest.mark.parametrize("damage", ["not json", '{"warnings": 3}', ""])
def test_a_damaged_marker_means_validating_again(
    big_file: Path, tmp_path: Path, damage: str
) -> None:
    first = catalogue.load(big_file, cache_dir=tmp_path)
    (marker,) = tmp_path.iterdir()
    marker.write_text(damage, encoding="utf-8")
    assert catalogue.load(big_file, cache_dir=tmp_path) == first


def test_an_unwritable_cache_is_only_slower(big_file: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("", encoding="utf-8")
    loaded = catalogue.load(big_file, cache_dir=blocker / "cache")
    assert len(loaded.partners) == RECORDS
    hits = search.search(loaded, "illicit", cache_dir=blocker / "cache")
    assert hits


def test_cached_index_gives_the_same_hits_as_memory(big_file: Path, tmp_path: Path) -> None:
    loaded = catalogue.load(big_file, cache_dir=tmp_path)
    in_memory = search.search(dataclass_without_key(loaded), '"cultural goods" illicit')
    built = search.search(loaded, '"cultural goods" illicit', cache_dir=tmp_path)
    reused = search.search(loaded, '"cultural goods" illicit', cache_dir=tmp_path)
    assert "search.sqlite" in entries(tmp_path)
    assert built == in_memory == reused
    assert len(built) > 100


def test_a_damaged_index_falls_back_to_memory(big_file: Path, tmp_path: Path) -> None:
    loaded = catalogue.load(big_file, cache_dir=tmp_path)
    assert loaded.content_key is not None
    cache.index_path(tmp_path, loaded.content_key).write_bytes(b"this is not sqlite")
    assert search.search(loaded, "drugs", cache_dir=tmp_path)


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
    assert entries(tmp_path) == ["search.sqlite", "valid.json"]


def dataclass_without_key(loaded: Catalogue) -> Catalogue:
    return loaded.with_content_key(None)


# -- the fast encoder writes exactly what the standard one does --------------------------------------

text = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30)


@st.composite
def partners(draw: st.DrawFn) -> Partner:
    return Partner(
        id=draw(st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True)),
        type=draw(st.sampled_from(PartnerType)),
        name=draw(text),
        acronym=draw(st.none() | text),
        aliases=tuple(draw(st.lists(text, max_size=3))),
        description=draw(text),
        partnership=draw(st.none() | text),
        themes=tuple(draw(st.lists(text, max_size=3))),
        since=draw(st.none() | st.integers(1000, 2100)),
        website=draw(st.none() | text),
        headquarters=draw(st.none() | st.builds(Headquarters, city=text, country=text)),
        founded=draw(st.none() | st.integers(1000, 2100)),
        related=tuple(draw(st.lists(st.builds(Relation, id=text, relation=text), max_size=2))),
    )


@given(partners())
def test_property_fast_encoder_writes_the_same_json(partner: Partner) -> None:
    fast = formats.fast_partner_encoder()
    assert fast(partner) == formats.encode_partner(partner)
    assert json.loads(fast(partner)) == partner.to_dict()


def test_fast_encoder_on_the_bundled_data(bundled: Catalogue) -> None:
    fast = formats.fast_partner_encoder()
    for partner in bundled.partners:
        assert fast(partner) == formats.encode_partner(partner)
