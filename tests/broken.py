"""The one table of broken dataset files, shared by the loader's tests (`test_catalogue`), the
schema-agreement test (same file) and the command-line tests (`test_hardening`).

Each file says what the loader must answer, and whether the shipped JSON Schema refuses it too:
`loader_only` names the rule, as docs/data-format.md lists it, when only the loader can tell.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.conftest import minimal_dataset, record

#: The loader-only rules, as docs/data-format.md names them.
NOT_JSON = "valid JSON in UTF-8"
WHOLE_NUMBERS = "whole numbers written as such"
UNICODE = "no lone surrogate"
UNIQUE_IDS = "unique ids"
UNIQUE_NAMES = "unique names"
THEMES_EXIST = "themes that exist"
LINKS_EXIST = "links that exist"
LINKS_BACK = "links that go both ways"
EVIDENCE = "evidence for the record's own themes"
KINDS_EXIST = "relation kinds that exist"


@dataclass(frozen=True)
class Broken:
    name: str
    content: bytes
    expected: str  # a part of one of the problems the loader lists
    loader_only: str | None = None  # the documented rule, when the schema cannot tell


def dataset(*partners: dict[str, Any], **top: Any) -> bytes:
    """A small dataset with these partners (two by default), changed at the top level."""
    data = minimal_dataset(*(partners or (record("a"), record("b"))))
    data.update(top)
    return json.dumps(data).encode()


def changed(change: Callable[[dict[str, Any]], object]) -> bytes:
    data = minimal_dataset(record("a"), record("b"))
    change(data)
    return json.dumps(data).encode()


def linked(first: dict[str, Any], second: dict[str, Any]) -> bytes:
    return dataset(record("a", related=[first]), record("b", related=[second]))


#: A value of the wrong type or form for every field of a partner record.
WRONG: dict[str, object] = {
    "id": 7, "type": ["ngo"], "name": {}, "acronym": 1, "aliases": "x", "former_names": [1],
    "description": 3, "partnership": [], "themes": "alpha", "evidence": [], "since": "2000",
    "milestones": [{"date": "soon"}], "website": 1, "headquarters": [], "founded": 1.5,
    "un_system": {"place": "moon"}, "related": {}, "section": 1, "position": 0, "heading": [],
    "corrections": [{}], "sources": {"website": {"url": "ftp://x"}},
}  # fmt: skip

BROKEN: list[Broken] = [
    # -- not a JSON object at all
    Broken("empty", b"", "the file is empty", NOT_JSON),
    Broken("only spaces", b"  \n", "the file is empty", NOT_JSON),
    Broken("not UTF-8", b"\xff\xfe{}", "not UTF-8 text (bad byte at offset 0)", NOT_JSON),
    Broken("truncated", b'{"partners": [', "line 1, column 15: invalid JSON", NOT_JSON),
    Broken("trailing text", b'{"partners": []} x', "line 1, column 18: invalid JSON: Extra data", NOT_JSON),
    Broken("NaN", b'{"partners": [], "x": NaN}', "NaN is not valid JSON", NOT_JSON),
    Broken("-Infinity", b'{"partners": [], "x": -Infinity}', "-Infinity is not valid JSON", NOT_JSON),
    Broken("nested too deeply", b"[" * 100_000 + b"]" * 100_000, "nested too deeply", NOT_JSON),
    Broken("nested too deeply inside", b'{"partners": [], "x": ' + b"[" * 5_000 + b"]" * 5_000 + b"}", "nested too deeply", NOT_JSON),
    Broken("lone surrogate", dataset(record("a", name="\ud800")), "partners[0] (id 'a').name: not valid Unicode text", UNICODE),
    # -- the top level
    Broken("an array", b"[]", "top level: expected an object, got an array"),
    Broken("a string", b'"partners"', "top level: expected an object, got a string"),
    Broken("no partners", b'{"themes": []}', "partners: missing"),
    Broken("partners an object", b'{"partners": {}}', "partners: expected an array, got an object"),
    Broken("a record not an object", b'{"partners": [1]}', "partners[0]: expected an object, got a number"),
    Broken("schema version 2", dataset(schema_version=2), "schema_version: 2 is not one of 1"),
    Broken("themes an object", dataset(themes={}), "themes: expected an array, got an object"),
    Broken("source an array", dataset(source=[]), "source: expected an object, got an array"),
    Broken("a theme not an object", changed(lambda d: d["themes"].append("x")), "themes[2]: expected an object, got a string"),
    Broken("a theme id not a slug", changed(lambda d: d["themes"].append({"id": "Bad Id", "name": "x"})), "themes[2].id: 'Bad Id' is not a lowercase slug"),
    Broken("a theme id twice", changed(lambda d: d["themes"].append({"id": "alpha", "name": "Again"})), "themes (id 'alpha'): duplicate theme id", UNIQUE_IDS),
    Broken("compiled not a date", dataset(dataset={"title": "t", "version": "1.0.0", "compiled": "yesterday"}), "dataset.compiled: 'yesterday' is not"),
    Broken("compiled in month 13", dataset(dataset={"title": "t", "version": "1.0.0", "compiled": "2000-13-45"}), "dataset.compiled: '2000-13-45' is not"),
    Broken("compiled on 29 February 2001", dataset(dataset={"title": "t", "version": "1.0.0", "compiled": "2001-02-29"}), "'2001-02-29' is not a day on the calendar"),
    Broken("a version not semantic", dataset(dataset={"title": "t", "version": "1.0", "compiled": "2000-01-01"}), "dataset.version: '1.0' is not a version as MAJOR.MINOR.PATCH"),
    Broken("an inverse kind unknown", dataset(relation_kinds=[{"id": "funds", "label": "funds", "inverse": "funded-by"}]), "relation_kinds[0] (id 'funds').inverse: unknown relation kind 'funded-by'", KINDS_EXIST),
    # -- a record's fields
    Broken("missing id", dataset({"type": "ngo", "name": "N", "description": "d"}), "partners[0].id: missing"),
    Broken("missing name", dataset({"id": "a", "type": "ngo", "description": "d"}), "partners[0] (id 'a').name: missing"),
    Broken("missing type", dataset({"id": "a", "name": "N", "description": "d"}), "partners[0] (id 'a').type: missing"),
    Broken("unknown type", dataset(record("a", type="charity")), "partners[0] (id 'a').type: 'charity' is not one of igo, museum, ngo"),
    Broken("an empty name", dataset(record("a", name="")), "partners[0] (id 'a').name: '' is not text (not empty, not only spaces)"),
    Broken("a name of spaces", dataset(record("a", name=" \t ")), "partners[0] (id 'a').name: ' \\t ' is not text"),
    Broken("an id not a slug", dataset(record("Blue Shield")), "partners[0].id: 'Blue Shield' is not a lowercase slug"),
    Broken("a newline after an id", dataset(record("a\n")), "is not a lowercase slug"),
    Broken("an alias not a string", dataset(record("a", aliases=[1])), "partners[0] (id 'a').aliases[0]: expected a string, got a number"),
    Broken("a year as a bool", dataset(record("a", since=True)), "since: expected a whole number, got true or false"),
    Broken("a year with a fraction", dataset(record("a", founded=1967.5)), "founded: expected a whole number, got 1967.5"),
    Broken("a link between one instrument", linked({"id": "b", "relation": "x", "between": ["Convention"]}, {"id": "a", "relation": "y"}), "related[0].between: expected 2 items, got 1"),
    Broken("a link between three instruments", linked({"id": "b", "relation": "x", "between": ["A", "B", "C"]}, {"id": "a", "relation": "y"}), "related[0].between: expected 2 items, got 3"),
    Broken("a source of only separators", dataset(record("a", sources={"website": {"source": "\u001c"}})), "sources.website.source: '\\x1c' is not text"),
    Broken("a year written 1967.0", dataset(record("a", founded=1967.0)), "founded: expected a whole number, got 1967.0", WHOLE_NUMBERS),
    Broken("a year out of range", dataset(record("a", founded=99999)), "founded: expected at most 2100, got 99999"),
    Broken("an http website", dataset(record("a", website="http://example.org")), "website: 'http://example.org' is not an https:// URL"),
    Broken("a website with a space", dataset(record("a", website="https://a.org/x y")), "is not an https:// URL"),
    Broken("a website with an escape", dataset(record("a", website="https://a.org/\x1b[31m")), "is not an https:// URL"),
    Broken("a country not a code", dataset(record("a", headquarters={"city": "Paris", "country": "France"})), "headquarters.country: 'France' is not an ISO 3166-1 alpha-2 code"),
    Broken("a milestone in month 13", dataset(record("a", milestones=[{"date": "2000-13", "event": "e", "source": "s"}])), "milestones[0].date: '2000-13' is not"),
    Broken("a milestone on 30 February", dataset(record("a", milestones=[{"date": "2000-02-30", "event": "e", "source": "s"}])), "milestones[0].date: '2000-02-30' is not a day on the calendar"),
    Broken("evidence for a theme not a slug", dataset(record("a", evidence={"Not A Slug": "x"})), "'Not A Slug' is not a lowercase slug"),
    Broken("neither description nor partnership", dataset({"id": "a", "type": "ngo", "name": "A"}), "partners[0] (id 'a').description: missing; a partner needs a description or a partnership text"),
    *(
        Broken(f"{field} of the wrong type", dataset(record("ok"), record("bad", **{field: wrong})), f"partners[1] (id 'bad').{field}")
        for field, wrong in WRONG.items()
        if field != "id"
    ),
    # -- the rules across records
    Broken("evidence for a theme it lacks", dataset(record("a", themes=["alpha"], evidence={"beta": "b"})), "partners[0] (id 'a').evidence: evidence for 'beta', which is not one of the record's themes", EVIDENCE),
    Broken("an unknown theme", dataset(record("a", themes=["nope"])), "partners[0] (id 'a').themes: unknown theme 'nope'", THEMES_EXIST),
    Broken("an id twice", dataset(record("a"), record("a")), "partners (id 'a'): duplicate id", UNIQUE_IDS),
    Broken("an alias of two partners", dataset(record("a", aliases=["Same"]), record("b", aliases=["same"])), "partners[1] (id 'b'): the name 'same' is also used by 'a'", UNIQUE_NAMES),
    Broken("a former name of another partner", dataset(record("a", acronym="OLD"), record("b", former_names=["Old"])), "partners[1] (id 'b'): the name 'old' is also used by 'a'", UNIQUE_NAMES),
    Broken("a link to no partner", dataset(record("a", related=[{"id": "nope", "relation": "x"}])), "partners[0] (id 'a').related: unknown partner id 'nope'", LINKS_EXIST),
    Broken("a one-way link", dataset(record("a", related=[{"id": "b", "relation": "x"}]), record("b")), "links to 'b', which does not link back", LINKS_BACK),
    Broken("a kind that is not defined", linked({"id": "b", "relation": "x", "kind": "funds"}, {"id": "a", "relation": "y"}), "unknown relation kind 'funds'", KINDS_EXIST),
]  # fmt: skip
