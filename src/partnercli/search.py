"""Ranked full-text search over a catalogue, with the reason each result matched.

The engine is SQLite's FTS5 (it ships with Python's `sqlite3`): BM25 ranking with field weights.
What it indexes is each field's words as `terms()` spells them: folded (case and accents do not
matter) and lightly stemmed (plurals and -ing/-ed forms join their word: `libraries` finds
"Library", `founded` finds "founding", `trafficking` finds "traffic"), so that a word never
pulls in another family (`police` is not "policy", `emergency` is not "emerging", `nations` is
not "National", `found` is not "Foundation"). The user's words are never handed to FTS5's query
language: each becomes a quoted term, so `AND`, `*`, `:` or `(` are only text.

Results come in tiers: partners that match every word first, those whose matches are their
own text before those matched only through a theme's vocabulary; when fewer than
`HANDFUL` match every word, partners that match most of the query's weight follow, marked partial.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import math
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from partnercli.errors import UsageError
from partnercli.models import COUNTRY_NAMES, Catalogue, Partner
from partnercli.text import MARK_END, MARK_START, fold

ELLIPSIS: Final = "…"
#: A query may hold this many distinct terms; past that FTS5's expression tree gets too deep.
MAX_TERMS: Final = 200
#: When fewer partners than this match every word, partial matches follow.
HANDFUL: Final = 3
#: A word the data does not hold, at least this long, is taken as the start of a word.
PREFIX_FROM: Final = 4
#: Words of a snippet on either side of the first matched word.
SNIPPET_WORDS: Final = 8
#: The indexed fields and their BM25 weights: a hit in a name outranks one in a long text, and
#: a theme's vocabulary (words the page does not use) counts least.
FIELDS: Final[tuple[tuple[str, float], ...]] = (
    ("name", 10.0),
    ("acronym", 10.0),
    ("aliases", 8.0),
    ("themes", 4.0),
    ("type", 3.0),
    ("groups", 3.0),
    ("seat", 3.0),
    ("description", 1.0),
    ("partnership", 1.0),
    ("related", 1.0),
    ("milestones", 1.0),
    ("vocabulary", 0.5),
)
COLUMNS: Final = tuple(name for name, _ in FIELDS)
#: Fields whose hit is best explained by a sentence of the partner's texts.
NAMING_FIELDS: Final = frozenset({"name", "acronym", "aliases", "themes", "type", "groups"})
TEXT_FIELDS: Final = ("partnership", "description")
#: What people call each group of partners, besides its label.
TYPE_WORDS: Final = {"ngo": "NGO", "igo": "IGO", "museum": "museum"}
UN_WORDS: Final = "UN United Nations system"
#: Words that say nothing on their own: left out of a query unless quoted or alone.
STOP_WORDS: Final = frozenset(
    {
        "a", "an", "and", "as", "at", "by", "de", "del", "des", "du", "el", "en", "et", "for",
        "from", "in", "is", "it", "its", "la", "le", "les", "los", "of", "on", "or", "the", "to",
        "with", "y",
    }
)  # fmt: skip

_WORD = re.compile(r"\w+")
_QUOTED_OR_BARE = re.compile(r'"([^"]*)"?|([^\s"]+)')
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_TOKENIZER = "unicode61 remove_diacritics 0"  # the words arrive folded and stemmed
#: FTS5 gathers this much of an index in memory before it writes a segment (and merges
#: segments); its default, 1 MB, makes a third more work of a large file's index (0.35 s of
#: 1.1 s at 100,000 records, measured; 16 MB does as well as 64).
_PENDING_BYTES = 16 * 2**20


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the partner, its score (higher is better) and why it matched."""

    partner: Partner
    score: float
    field: str
    snippet: str  # matched words between MARK_START and MARK_END
    matches: tuple[str, ...] = ()  # every field that matched
    partial: bool = False  # matched most of the query, not all of it

    def marked_snippet(self, start: str = "[", end: str = "]") -> str:
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)


# -- words ------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65_536)  # a language has far fewer words than a file has texts
def stem(word: str) -> str:
    """A folded word's search form: plurals, -ing and -ed joined to their word, conservatively.

    Only ASCII words longer than three letters change; the rules are few on purpose, so that
    words of different families stay apart (measured on the judged queries in the tests).
    """
    if len(word) <= 3 or not (word.isascii() and word.isalpha()):
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "ches", "shes", "xes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        base = word.removesuffix(suffix)
        if base != word and len(base) >= 5:
            word = base[:-1] if base[-1] == base[-2] and base[-1] not in "lsfz" else base
            break
    if word.endswith("ck"):  # traffic / trafficking
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):  # preserve / preserving
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=65_536)
def terms(text: str) -> tuple[str, ...]:
    """The words of `text` as the index holds them (one letter alone is no word)."""
    return tuple(stem(w) for w in _WORD.findall(fold(text)) if len(w) > 1 or not w.isascii())


def _is_latin(term: str) -> bool:
    return term.isascii()


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to find: a word, or a quoted phrase (several words in a row), and whether its
    last word also matches as the start of a longer one."""

    words: tuple[str, ...]
    prefix: bool = False

    def expression(self) -> str:
        """As FTS5 reads it: quoted, so that nothing in it is FTS5 syntax."""
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class Wanted:
    """The words a query looks for, to find and mark them in a partner's text."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def of(cls, found: Sequence[Term]) -> Wanted:
        exact = frozenset(w for t in found for w in (t.words[:-1] if t.prefix else t.words))
        return cls(exact, tuple(t.words[-1] for t in found if t.prefix))

    def __call__(self, word: str) -> bool:
        """Is this search form one of the words wanted?"""
        return word in self.exact or word.startswith(self.prefixes)

    def count(self, words: Iterable[str]) -> int:
        """How many distinct words of `words` are wanted."""
        distinct = set(words)
        found = len(self.exact.intersection(distinct))
        if self.prefixes:
            found += sum(w.startswith(self.prefixes) for w in distinct - self.exact)
        return found


def parse_query(query: str) -> list[Term]:
    """The terms of what a person typed: bare words, and `"quoted words"` as phrases.

    Stop words (the, of, de…) are left out of bare words, unless nothing else is left.
    """
    found: dict[Term, None] = {}
    stops: dict[Term, None] = {}
    for phrase, bare in _QUOTED_OR_BARE.findall(query):
        if phrase:
            words = terms(phrase)
            if words:
                found[Term(words)] = None
            continue
        for word in _WORD.findall(bare):
            for term in terms(word):
                (stops if term in STOP_WORDS else found)[Term((term,))] = None
    chosen = [
        t if _is_latin(t.words[-1]) else Term(t.words, prefix=True)  # `故宫` is in `故宫博物院`
        for t in (found or stops)
    ]
    if len(chosen) > MAX_TERMS:
        raise UsageError(f"the query has {len(chosen)} distinct words; use at most {MAX_TERMS}")
    return chosen


def query_words(query: str) -> list[str]:
    return _WORD.findall(query)


# -- the index --------------------------------------------------------------------------------------


def _column_texts(partner: Partner, catalogue: Catalogue) -> dict[str, str]:
    """The original text of each indexed field (what snippets are cut from)."""
    hq = partner.headquarters
    seat = (
        " ".join(filter(None, [hq.city, hq.country, COUNTRY_NAMES.get(hq.country)])) if hq else ""
    )
    themes = [catalogue.theme(t) for t in partner.themes]
    return {
        "name": partner.name,
        "acronym": partner.acronym or "",
        "aliases": " ; ".join([partner.id, *partner.aliases]),
        "themes": " ; ".join(t.name for t in themes if t),
        "type": f"{TYPE_WORDS[partner.type.value]} ; {partner.type.label}",
        "groups": UN_WORDS if partner.un_system else "",
        "seat": seat,
        "description": partner.description or "",
        "partnership": partner.partnership or "",
        "related": " ; ".join(r.relation for r in partner.related),
        "milestones": " ; ".join(m.event for m in partner.milestones),
        "vocabulary": " ; ".join(v for t in themes if t for v in t.vocabulary),
    }


def build_index(db: sqlite3.Connection, catalogue: Catalogue) -> None:
    """Create and fill the FTS5 table `words` (rowid = position in the catalogue). It keeps no
    text of its own (`content=''`): snippets are cut from the records, in Python."""
    columns = ", ".join(COLUMNS)
    db.execute(
        f"CREATE VIRTUAL TABLE words USING fts5({columns}, content='', tokenize='{_TOKENIZER}')"
    )
    with contextlib.suppress(sqlite3.OperationalError):  # an SQLite without it: as before
        db.execute("INSERT INTO words(words, rank) VALUES ('hashsize', ?)", (_PENDING_BYTES,))
    placeholders = ", ".join("?" for _ in COLUMNS)
    rows = (
        (i, *(" ".join(terms(text)) for text in _column_texts(p, catalogue).values()))
        for i, p in enumerate(catalogue.partners)
    )
    db.executemany(f"INSERT INTO words(rowid, {columns}) VALUES (?, {placeholders})", rows)
    db.commit()


def in_memory(catalogue: Catalogue) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    build_index(db, catalogue)
    return db


# -- ranking ----------------------------------------------------------------------------------------


def _rows(db: sqlite3.Connection, expression: str) -> set[int]:
    return {
        row for (row,) in db.execute("SELECT rowid FROM words WHERE words MATCH ?", (expression,))
    }


def _scores(db: sqlite3.Connection, expression: str) -> dict[int, float]:
    weights = ", ".join(str(weight) for _, weight in FIELDS)
    rows = db.execute(
        f"SELECT rowid, bm25(words, {weights}) FROM words WHERE words MATCH ?",
        (expression,),
    )
    return {rowid: -rank for rowid, rank in rows}


@dataclass(frozen=True, slots=True)
class _Ranked:
    rowid: int
    score: float
    own: int  # terms matched in the partner's own fields (not the vocabulary)
    partial: bool
    matches: tuple[str, ...]  # the fields that matched


def with_prefixes(db: sqlite3.Connection, found: Sequence[Term]) -> list[Term]:
    """A word of 4 letters or more that the data does not hold as a word is the start of one
    (`restor` for "restoration"); a word the data holds is never stretched into another."""
    return [
        Term(t.words, prefix=True)
        if len(t.words) == 1
        and len(t.words[0]) >= PREFIX_FROM
        and not t.prefix
        and not db.execute(
            "SELECT 1 FROM words WHERE words MATCH ? LIMIT 1", (t.expression(),)
        ).fetchone()
        else t
        for t in found
    ]


def rank(db: sqlite3.Connection, found: Sequence[Term], total: int) -> list[_Ranked]:
    """Rows that match every term, best first, then (when they are few) rows matching most of
    the query's weight, each term weighted by its rarity (its inverse document frequency)."""
    own_columns = "{" + " ".join(COLUMNS[:-1]) + "}"
    per_term = [_rows(db, t.expression()) for t in found]
    own = [_rows(db, f"{own_columns} : {t.expression()}") for t in found]
    weight = [math.log(1 + total / (1 + len(rows))) for rows in per_term]
    everything = set.intersection(*per_term) if per_term else set()
    # Words that stand together in the text, as typed, score higher than the same words apart.
    together = [Term(tuple(w for t in found for w in t.words))] if len(found) > 1 else []
    any_term = " OR ".join(t.expression() for t in found)
    scores = _scores(db, " OR ".join(t.expression() for t in [*found, *together]))
    by_column = {column: _rows(db, f"{{{column}}} : ({any_term})") for column in COLUMNS}

    def ranked(row: int, *, partial: bool) -> _Ranked:
        own_count = sum(row in o for o in own)
        matches = tuple(column for column, rows in by_column.items() if row in rows)
        return _Ranked(row, scores.get(row, 0.0), own_count, partial, matches)

    found_rows = [ranked(row, partial=False) for row in everything]
    if len(everything) < HANDFUL:
        half = sum(weight) / 2
        for row in set.union(*per_term) - everything if per_term else set():
            matched = sum(w for rows, w in zip(per_term, weight, strict=True) if row in rows)
            if matched > half:
                found_rows.append(ranked(row, partial=True))
    return found_rows


# -- why it matched ---------------------------------------------------------------------------------


def _mark(text: str, wanted: Wanted) -> str:
    """`text` with the words whose search form is wanted between the marks."""

    def mark(match: re.Match[str]) -> str:
        word = match[0]
        forms = terms(word)
        return f"{MARK_START}{word}{MARK_END}" if forms and wanted(forms[0]) else word

    return _WORD.sub(mark, text)


@functools.lru_cache(maxsize=4096)  # many partners share a sentence, in large datasets
def _window(sentence: str, wanted: Wanted) -> str:
    """The part of a sentence around its first matched word, with an ellipsis where it is cut."""
    words = sentence.strip().split()
    first = next((i for i, w in enumerate(words) if wanted.count(terms(w))), 0)
    start, end = max(0, first - SNIPPET_WORDS), min(len(words), first + SNIPPET_WORDS + 1)
    text = " ".join(words[start:end])
    return (
        (ELLIPSIS if start else "") + _mark(text, wanted) + (ELLIPSIS if end < len(words) else "")
    )


@functools.lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((s, frozenset(terms(s))) for s in _SENTENCE.findall(text) if s.strip())


@functools.lru_cache(maxsize=4096)
def _best_sentence(partnership: str, description: str, wanted: Wanted) -> tuple[str, str] | None:
    """The sentence of the partner's texts that holds the most query words (the partnership
    first on a tie: it says what the partner does with ICOM)."""
    best: tuple[int, str, str] | None = None
    for field, text in zip(TEXT_FIELDS, (partnership, description), strict=True):
        for sentence, words in _sentences(text):
            count = wanted.count(words)
            if count and (best is None or count > best[0]):
                best = (count, field, sentence)
    return None if best is None else (best[1], _window(best[2], wanted))


def explain(
    partner: Partner, catalogue: Catalogue, wanted: Wanted, matches: tuple[str, ...]
) -> tuple[str, str]:
    """The field to show and its snippet, for a partner whose `matches` fields matched."""
    first = matches[0] if matches else "name"
    if first in NAMING_FIELDS or first == "vocabulary":
        texts = (partner.partnership or "", partner.description or "")
        sentence = _best_sentence(*texts, wanted)
        if sentence is not None:
            return sentence[0], sentence[1]
    if first == "vocabulary":
        return first, _vocabulary_snippet(partner, catalogue, wanted)
    if first == "themes":
        evidence = _evidence_snippet(partner, catalogue, wanted)
        if evidence:
            return first, evidence
    return first, _window(_column_texts(partner, catalogue)[first], wanted)


def _evidence_snippet(partner: Partner, catalogue: Catalogue, wanted: Wanted) -> str | None:
    """`Illicit trafficking: …Convention on Stolen or…`: a matched theme, and the phrase of the
    partner's text that supports it."""
    for theme_id in partner.themes:
        theme = catalogue.theme(theme_id)
        phrase = partner.evidence.get(theme_id)
        if theme is not None and phrase and wanted.count(terms(theme.name)):
            return f"{_mark(theme.name, wanted)}: {ELLIPSIS}{phrase}{ELLIPSIS}"
    return None


def _affinity(partner: Partner, catalogue: Catalogue, wanted: Wanted) -> int:
    """How close a partner found through a theme's vocabulary is to that theme: how many words
    of the matched themes' vocabulary its own text uses (UNIDROIT's "stolen", "restitution")."""
    vocabulary: set[str] = set()
    for theme_id in partner.themes:
        theme = catalogue.theme(theme_id)
        words = {w for v in theme.vocabulary for w in terms(v)} if theme else set()
        if wanted.count(words):
            vocabulary |= words
    texts = _column_texts(partner, catalogue)
    del texts["vocabulary"]
    own = {word for text in texts.values() for word in terms(text)}
    return len(vocabulary & own)


def _vocabulary_snippet(partner: Partner, catalogue: Catalogue, wanted: Wanted) -> str:
    """`theme Illicit trafficking (looting)`: the theme whose vocabulary matched, and the word."""
    for theme_id in partner.themes:
        theme = catalogue.theme(theme_id)
        if theme is None:
            continue
        words = [v for v in theme.vocabulary if wanted.count(terms(v))]
        if words:
            return f"theme {theme.name} ({_mark(', '.join(words), wanted)})"
    return ""


# -- searching --------------------------------------------------------------------------------------


def search(
    catalogue: Catalogue,
    text: str,
    *,
    candidates: list[Partner] | None = None,
    limit: int | None = None,
) -> list[Hit]:
    """Partners matching `query`, best first, optionally only among `candidates` (a filter)."""
    if not text.strip():
        raise UsageError("an empty query; give one or more words to search for")
    found = parse_query(text)
    if not found:
        return []
    total = len(catalogue.partners)
    db = in_memory(catalogue)
    found = with_prefixes(db, found)
    ranked = rank(db, found, total)
    partners = {r.rowid: catalogue.partners[r.rowid] for r in ranked}
    if candidates is not None:
        allowed = {p.id for p in candidates}
        ranked = [r for r in ranked if partners[r.rowid].id in allowed]
    wanted = Wanted.of(found)
    header = catalogue

    # Full matches, own text before vocabulary, then by score; ties by name, then id.
    def order(r: _Ranked) -> tuple[bool, int, int, float, str, str]:
        partner = partners[r.rowid]
        close = _affinity(partner, header, wanted) if r.own < len(found) else 0
        return (r.partial, -r.own, -close, -round(r.score, 6), partner.name.casefold(), partner.id)

    ranked.sort(key=order)
    hits = []
    for item in ranked[:limit]:
        partner = partners[item.rowid]
        field, snippet = explain(partner, header, wanted, item.matches)
        hits.append(
            Hit(
                partner=partner,
                score=round(item.score, 6),
                field=field,
                snippet=snippet,
                matches=item.matches,
                partial=item.partial,
            )
        )
    return hits


# -- did you mean -----------------------------------------------------------------------------------


def vocabulary(catalogue: Catalogue) -> dict[str, set[str]]:
    """Every word of the searchable text (a theme's vocabulary too), by its search form."""
    words: dict[str, set[str]] = {}
    for partner in catalogue.partners:
        for text in _column_texts(partner, catalogue).values():
            for word in _WORD.findall(fold(text)):
                if len(word) > 3:
                    words.setdefault(stem(word), set()).add(word)
    return words


def did_you_mean(catalogue: Catalogue, query: str) -> str | None:
    """The query with each unknown word replaced by a close word of the data, if every unknown
    word has one. Close means a typo away (difflib ratio 0.8 or more, same first letter); words of
    three letters or fewer are never corrected: too many words are a typo away from them."""
    words = [fold(w) for w in query_words(query)]
    if not words:
        return None
    known = vocabulary(catalogue)
    forms = list(known)
    fixes: dict[str, str] = {}
    for word in dict.fromkeys(words):  # each distinct word once: a query may repeat one often
        if stem(word) in known or len(word) <= 3:
            fixes[word] = word
            continue
        close = [
            c
            for c in difflib.get_close_matches(stem(word), forms, n=3, cutoff=0.8)
            if c[0] == word[0]
        ]
        if not close:
            return None
        # Of the spellings of that word in the data, the one closest to what was typed.
        spellings = sorted(known[close[0]])
        fixes[word] = (difflib.get_close_matches(word, spellings, n=1, cutoff=0) or spellings)[0]
    fixed = [fixes[w] for w in words]
    return " ".join(fixed) if fixed != words else None
