"""The dataset format described for people and editors, generated from the data model: the
field list of `partners fields` and the JSON Schema of `partners schema`.

Its own module: only those two commands need it.
"""

from __future__ import annotations

import json

import msgspec
from msgspec import inspect

from partnercli.models import Catalogue, Partner


class FieldInfo(msgspec.Struct, frozen=True):
    name: str
    type: str
    description: str


def _json_type(info: inspect.Type) -> str:
    """A reader's name for the JSON type of a field."""
    if isinstance(info, inspect.Metadata):
        return _json_type(info.type)
    if isinstance(info, inspect.UnionType):
        kinds = [t for t in info.types if not isinstance(t, inspect.NoneType)]
        return f"{_json_type(kinds[0])} or null"
    if isinstance(info, inspect.VarTupleType | inspect.ListType):
        item = _json_type(info.item_type)
        return f"array of {item}s" if item in ("string", "integer") else f"array of {item}"
    if isinstance(info, inspect.EnumType):
        return "string: " + ", ".join(member.value for member in info.cls)
    if isinstance(info, inspect.StructType):
        return "object {" + ", ".join(f.encode_name for f in info.fields) + "}"
    return {inspect.StrType: "string", inspect.IntType: "integer"}.get(type(info), "value")


def partner_fields() -> list[FieldInfo]:
    """The fields of a partner record, from the `Partner` Struct itself: each one's type, and
    its description as the JSON Schema gives it."""
    struct = inspect.type_info(Partner)
    assert isinstance(struct, inspect.StructType)
    schema = msgspec.json.schema(Partner)["$defs"]["Partner"]["properties"]
    return [
        FieldInfo(f.encode_name, _json_type(f.type), schema[f.encode_name].get("description", ""))
        for f in struct.fields
    ]


#: What a search result adds to a partner record.
HIT_FIELD_INFO = (
    FieldInfo("score", "number", "relevance (BM25F, higher is better); search only"),
    FieldInfo("matched_in", "string", "the field the snippet comes from; search only"),
    FieldInfo("snippet", "string", "text around the best match, matched words in [ ]; search only"),
    FieldInfo("matches", "array of strings", "every field the query matched; search only"),
    FieldInfo("partial", "boolean", "true when only part of the query matched; search only"),
    FieldInfo("contributions", "object", "what each query word added to the score; search only"),
    FieldInfo(
        "correction",
        "string or null",
        "the query as searched, when a word was misspelt; search only",
    ),
)


def json_schema() -> str:
    """The JSON Schema of a dataset file, as shipped beside the bundled data."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **msgspec.json.schema(Catalogue),
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
