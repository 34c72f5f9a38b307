"""The fields of a partner record, described for `partners fields`: generated from the model.

Its own module: only `partners fields` needs it, and defining a dataclass costs start-up time.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any

from partnercli.models import Partner


@dataclass(frozen=True, slots=True)
class FieldInfo:
    name: str
    type: str
    description: str


def _json_type(hint: Any) -> str:
    """A reader's name for the JSON type of a field, from its annotation."""
    args = [a for a in getattr(hint, "__args__", ()) if a is not type(None)]
    if type(None) in getattr(hint, "__args__", ()):
        return f"{_json_type(args[0])} or null"
    if getattr(hint, "__origin__", None) is tuple:
        item = _json_type(args[0])
        return f"array of {item}s" if item in ("string", "integer") else f"array of {item}"
    if isinstance(hint, type) and issubclass(hint, Enum):
        return "string: " + ", ".join(member.value for member in hint)
    if hint is str:
        return "string"
    if hint is int:
        return "integer"
    if hint is float:
        return "number"
    names = ", ".join(f.name for f in dataclasses.fields(hint))
    return f"object {{{names}}}"


def partner_fields() -> list[FieldInfo]:
    """The fields of a partner record, generated from the `Partner` dataclass itself."""
    hints = typing.get_type_hints(Partner)
    return [
        FieldInfo(name=f.name, type=_json_type(hints[f.name]), description=f.metadata["doc"])
        for f in dataclasses.fields(Partner)
    ]


#: What a search result adds to a partner record.
HIT_FIELD_INFO = (
    FieldInfo("score", "number", "relevance (BM25, higher is better); search only"),
    FieldInfo("matched_in", "string", "the field the snippet comes from; search only"),
    FieldInfo("snippet", "string", "text around the best match, matched words in [ ]; search only"),
)
