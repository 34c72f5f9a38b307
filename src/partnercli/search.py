"""Ranked full-text search over a catalogue, with the reason each result matched.

The engine is SQLite's FTS5 (it ships with Python's `sqlite3`): BM25 ranking with field weights,
the `porter unicode61 remove_diacritics 2` tokenizer (so `musee` finds "Musée" and `libraries`
finds "Library"), and `snippet()` for the words that matched. The user's words are never handed
to FTS5's query language: each is quoted, so `AND`, `*`, `:` or `(` are only text.
"""

from __future__ import annotations

import difflib
import functools
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import msgspec

from partnercli import cache
from partnercli.errors import UsageError
from partnercli.models import Catalogue, Partner
from partnercli.text import MARK_END, MARK_START, fold

ELLIPSIS: Final = "…"
#: A query may hold this many distinct terms; past that FTS5's expression tree gets too deep.
MAX_TERMS: Final = 200
#: Words this long or longer also match as prefixes: `traffic` finds "trafficking". Words in
#: other scripts always do: two Chinese characters (`故宫`) are already a word.
PREFIX_FROM: Final = 3
SNIPPET_TOKENS: Final = 12
#: A catalogue this large keeps its index in the cache (keyed by its content); a smaller one is
#: indexed in memory faster than a cached index could be found.
CACHED_FROM: Final = 1000

#: The indexed fields, their labels and BM25 weights: a hit in a name outranks one in a long text.
FIELDS: Final[tuple[tuple[str, float], ...]] = (
    ("name", 10.0),
    ("acronym", 10.0),
    ("aliases", 8.0),
    ("themes", 4.0),
    ("seat", 3.0),
    ("description", 1.0),
    ("partnership", 1.0),
)
#: The fields that name a partner: a match there is the best reason to show.
IDENTITY_FIELDS: Final = 3
#: English names of the seats' countries in the bundled data, so `france` finds Paris-based ones.
COUNTRY_NAMES: Final = {
    "AT": "Austria", "BE": "Belgium", "CH": "Switzerland", "CN": "China", "FR": "France",
    "IT": "Italy", "NL": "Netherlands", "TN": "Tunisia", "US": "United States",
}  # fmt: skip

_WORD = re.compile(r"\w+")
_QUOTED_OR_BARE = re.compile(r'"([^"]*)"?|([^\s"]+)')
_TOKENIZER = "porter unicode61 remove_diacritics 2"


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the partner, its score (higher is better) and why it matched."""

    partner: Partner
    score: float
    field: str
    snippet: str  # matched words between MARK_START and MARK_END

    def marked_snippet(self, start: str = "[", end: str = "]") -> str:
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)


def _term(words: Sequence[str]) -> str:
    """One FTS5 term or phrase, quoted; prefix-matching on its last word when that is long enough."""
    phrase = " ".join(words)
    last = words[-1]
    star = "*" if len(last) >= PREFIX_FROM or not last.isascii() else ""
    return f'"{phrase}"{star}'


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what a person typed, or None if it has no words to search.

    Bare words must all match, in any field; `"quoted words"` match as a phrase.
    """
    terms: dict[str, None] = {}
    for phrase, bare in _QUOTED_OR_BARE.findall(query):
        if phrase:
            words = _WORD.findall(phrase)
            if words:
                terms[_term(words)] = None
        else:
            for word in _WORD.findall(bare):
                terms[_term([word])] = None
    if len(terms) > MAX_TERMS:
        raise UsageError(f"the query has {len(terms)} distinct words; use at most {MAX_TERMS}")
    return " AND ".join(terms) or None


def query_words(query: str) -> list[str]:
    return _WORD.findall(query)


def _theme_text(themes: tuple[str, ...], catalogue: Catalogue) -> str:
    return " ; ".join(t.name if (t := catalogue.theme(i)) else i for i in themes)


def _column_texts(
    partner: Partner,
    catalogue: Catalogue,
    theme_text: Callable[[tuple[str, ...]], str] | None = None,
) -> Iterator[str]:
    """The text of each indexed field, in `FIELDS` order, made only as it is asked for."""
    yield partner.name
    yield partner.acronym or ""
    yield " ; ".join([partner.id, *partner.aliases])
    yield theme_text(partner.themes) if theme_text else _theme_text(partner.themes, catalogue)
    hq = partner.headquarters
    yield " ".join(filter(None, [hq.city, hq.country, COUNTRY_NAMES.get(hq.country)])) if hq else ""
    yield partner.description or ""
    yield partner.partnership or ""


def _columns(partner: Partner, catalogue: Catalogue) -> tuple[str, ...]:
    return tuple(_column_texts(partner, catalogue))


def build_index(db: sqlite3.Connection, catalogue: Catalogue) -> None:
    """Create and fill the FTS5 table `partners` (rowid = position in the catalogue)."""
    columns = ", ".join(name for name, _ in FIELDS)
    db.execute(f"CREATE VIRTUAL TABLE partners USING fts5({columns}, tokenize='{_TOKENIZER}')")
    placeholders = ", ".join("?" for _ in FIELDS)
    db.executemany(
        f"INSERT INTO partners(rowid, {columns}) VALUES (?, {placeholders})",
        ((i, *_columns(p, catalogue)) for i, p in enumerate(catalogue.partners)),
    )
    db.commit()


def _build_file(path: Path, catalogue: Catalogue) -> None:
    db = sqlite3.connect(str(path))
    try:
        build_index(db, catalogue)
    finally:
        db.close()


def open_index(catalogue: Catalogue, *, cache_dir: Path | None = None) -> sqlite3.Connection:
    """An index of `catalogue`: for a large one, the one cached for its records (made if new);
    otherwise, or if the cache cannot be used, one built in memory."""
    if cache_dir is not None and len(catalogue.partners) >= CACHED_FROM:
        key = cache.content_key(msgspec.json.encode(catalogue))
        path = cache.index_path(cache_dir, key)
        if path.exists() or cache.write_atomically(path, lambda tmp: _build_file(tmp, catalogue)):
            try:
                db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                db.execute("SELECT count(*) FROM partners").fetchone()
                return db
            except sqlite3.Error:  # a damaged cache file: fall back to memory
                pass
    db = sqlite3.connect(":memory:")
    build_index(db, catalogue)
    return db


def _field_of(
    snippet: str,
    partner: Partner,
    catalogue: Catalogue,
    theme_text: Callable[[tuple[str, ...]], str],
) -> str:
    """The field a snippet was cut from: the first whose text holds the snippet's words."""
    # A snippet is one run of a field's text, with an ellipsis at either end where it was cut.
    core = snippet.replace(MARK_START, "").replace(MARK_END, "").strip(ELLIPSIS).strip()
    texts = _column_texts(partner, catalogue, theme_text)
    for (name, _), text in zip(FIELDS, texts, strict=True):
        if core and core in text:
            return name
    return FIELDS[0][0]


def _named_snippets(db: sqlite3.Connection, expression: str) -> dict[int, tuple[str, str]]:
    """For rows that match in a name, acronym or alias: that field and its snippet.

    A second query limited to those columns finds the (usually few) rows concerned, so the
    snippets of the long texts are the only ones computed for every hit.
    """
    columns = " ".join(name for name, _ in FIELDS[:IDENTITY_FIELDS])
    snippets = ", ".join(
        f"snippet(partners, {column}, :start, :end, :more, {SNIPPET_TOKENS})"
        for column in range(IDENTITY_FIELDS)
    )
    rows = db.execute(
        f"SELECT rowid, {snippets} FROM partners WHERE partners MATCH :match",
        {"start": MARK_START, "end": MARK_END, "more": ELLIPSIS,
         "match": f"{{{columns}}} : ({expression})"},
    )  # fmt: skip
    named = {}
    for rowid, *texts in rows:
        for (field, _), text in zip(FIELDS, texts, strict=False):
            if MARK_START in text:
                named[rowid] = (field, text)
                break
    return named


def run(
    db: sqlite3.Connection,
    catalogue: Catalogue,
    expression: str,
    *,
    allowed: set[int] | None = None,
) -> list[Hit]:
    """Every hit for an FTS5 expression, best first; ties broken by name, then id."""
    weights = ", ".join(str(weight) for _, weight in FIELDS)
    rows = db.execute(
        f"SELECT rowid, bm25(partners, {weights}), "
        f"snippet(partners, -1, :start, :end, :more, {SNIPPET_TOKENS}) "
        "FROM partners WHERE partners MATCH :match",
        {"start": MARK_START, "end": MARK_END, "more": ELLIPSIS, "match": expression},
    )
    named = _named_snippets(db, expression)
    # Many partners share a set of themes: make the text of each set once.
    theme_text = functools.lru_cache(maxsize=None)(lambda ids: _theme_text(ids, catalogue))
    hits = []
    for rowid, rank, best in rows:
        if allowed is not None and rowid not in allowed:
            continue
        partner = catalogue.partners[rowid]
        # Why it matched: a name, acronym or alias if one matched, else FTS5's best snippet.
        field, snippet = named.get(rowid) or (_field_of(best, partner, catalogue, theme_text), best)
        hits.append(Hit(partner=partner, score=round(-rank, 6), field=field, snippet=snippet))
    hits.sort(key=lambda h: (-h.score, h.partner.name.casefold(), h.partner.id))
    return hits


def search(
    catalogue: Catalogue,
    query: str,
    *,
    candidates: Iterable[Partner] | None = None,
    limit: int | None = None,
    cache_dir: Path | None = None,
) -> list[Hit]:
    """Partners matching `query`, best first, optionally only among `candidates` (a filter)."""
    if not query.strip():
        raise UsageError("an empty query; give one or more words to search for")
    expression = match_expression(query)
    if expression is None:
        return []
    allowed = None
    if candidates is not None:
        position = {p.id: i for i, p in enumerate(catalogue.partners)}
        allowed = {position[p.id] for p in candidates}
    db = open_index(catalogue, cache_dir=cache_dir)
    try:
        hits = run(db, catalogue, expression, allowed=allowed)
    finally:
        db.close()
    return hits if limit is None else hits[:limit]


def vocabulary(catalogue: Catalogue) -> set[str]:
    """Every folded word in the searchable text of a catalogue."""
    words: set[str] = set()
    for partner in catalogue.partners:
        for text in _columns(partner, catalogue):
            words.update(_WORD.findall(fold(text)))
    return words


def did_you_mean(catalogue: Catalogue, query: str) -> str | None:
    """The query with each unknown word replaced by the closest word of the data, if any is close."""
    words = [fold(w) for w in query_words(query)]
    if not words:
        return None
    known = vocabulary(catalogue)
    # Each distinct word is looked up once: a query may repeat one word thousands of times.
    fixes: dict[str, str] = {}
    for word in dict.fromkeys(words):
        if word in known:
            fixes[word] = word
            continue
        close = difflib.get_close_matches(word, known, n=1, cutoff=0.75)
        if not close:
            return None
        fixes[word] = close[0]
    fixed = [fixes[w] for w in words]
    return " ".join(fixed) if fixed != words else None
