"""Text helpers shared by lookup, search and rendering: folding for comparison, cleaning for display,
suggesting what a typo meant."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Final

#: Marks around a matched word in a search snippet; renderers turn them into bold or `[ ]`.
MARK_START: Final = "\ue000"
MARK_END: Final = "\ue001"

# Patterns are kept as strings and compiled by `re` on first use (and cached there): a command
# that prints only JSON never pays for them at start-up.
# C0 and C1 control characters (escape sequences start with ESC, bells with BEL…) but tab, LF
# and CR (a CSV cell keeps them; `for_display` makes them spaces first), and the bidirectional
# overrides that can make a line read differently from what it holds.
_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
_SPACES = r"[\t\n\r\u2028\u2029]+"


def fold(text: str) -> str:
    """Case- and accent-insensitive form of `text`: `Musée` and `MUSEE` both give `musee`."""
    if text.isascii():
        return text.casefold()
    # Word by word, each folded once per run: names repeat their words (100,000 records have
    # 281,000 names but a few thousand words), and folding never joins two words.
    return " ".join(map(_fold_word, text.split(" ")))


@functools.lru_cache(maxsize=65_536)
def _fold_word(word: str) -> str:

    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def for_display(text: str) -> str:
    """`text` made inert for a terminal: control characters dropped, line breaks made spaces."""
    return for_cell(re.sub(_SPACES, " ", text))


def for_cell(text: str) -> str:
    """`text` for a CSV/TSV cell: control characters dropped, but tabs and line breaks kept
    (the `csv` module quotes them), so a spreadsheet gets the text and a terminal no escapes."""
    return re.sub(_CONTROL, "", text)  # compiled on first use, cached by `re`


#: What ends a text cut short.
ELLIPSIS: Final = "…"


def shorten(text: str, limit: int, *, size: Callable[[str], int] = len) -> str:
    """`text` whole when its `size` is at most `limit`, else as much of its start as fits with
    "…" after it. `size` counts at least one for each character (characters, UTF-8 bytes, UTF-16
    units…), so a text a million times too long is never measured whole."""
    if len(text) <= limit and size(text) <= limit:
        return text
    room = limit - size(ELLIPSIS)
    cut = text[:room]
    while (excess := size(cut) - room) > 0:
        cut = cut[: len(cut) - max(1, excess // 4)]
    return cut + ELLIPSIS


def did_you_mean(value: str, choices: Iterable[str] | Mapping[str, str]) -> str:
    """`did you mean X? ` for the choice closest to `value` (a typo), or nothing if none is.
    `choices` are the spellings compared (case aside), or a mapping from each to how it is shown."""
    shown = choices if isinstance(choices, Mapping) else {c: c for c in choices}
    folded = {c.casefold(): how for c, how in shown.items()}
    close = difflib.get_close_matches(value.casefold(), list(folded), n=1)
    return f"did you mean {folded[close[0]]}? " if close else ""


def display_width(text: str) -> int:
    """The columns `text` takes on a terminal: a wide character (Chinese, Japanese, Korean) two."""
    return len(text) + sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
