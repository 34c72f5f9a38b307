"""Ranked full-text search over a catalogue, with the reason each result matched.

What a query means (docs/search.md says it for users):
- Its words are folded (case and accents do not matter) and stemmed with the Snowball English
  stemmer, so that a word meets its family (`archives`, `archival`); a small table joins the
  families Snowball leaves apart (`archivist`, `librarian`, `trafficking`) and keeps apart the
  words it would wrongly join (`nations` is not "National", `united` is not "Unit").
- Words that carry no topic (the, of, who, how, can, my, help, find, organisation…) are left
  out; a query of nothing else finds nothing, with a note.
- A word the data does not hold may be a misspelling of one it does (`interpool`): searched as
  that word when it is long enough and close enough, with a note; otherwise a word of four
  letters or more is taken as the start of a word (`restor`), and a word the data does not
  hold at all is left out, with a note.
- A word the page does not use but people do (`smuggling`, `looting`, `theft`) stands for the
  page's words that say it (customs, illicit traffic, stolen…), at a lower weight than the
  word itself would have: a table of such words, and each theme's vocabulary in the data.

How it ranks: each word contributes its BM25F score (SQLite's FTS5 holds the index; the sum
runs here, over fields weighted by what they say about a partner: a name counts more than a
sentence, a theme more than a passing mention, and each field's length is normalised on its
own). Partners matching every word come first; when fewer than `HANDFUL` do, those matching
part of the query follow, if they reach `PARTIAL_SHARE` of the best score, marked partial.
The score shown is the sum of what each word contributed, and the order is the score's.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import pkgutil
import re
import sqlite3
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import Stemmer

from partnercli.errors import UsageError
from partnercli.models import COUNTRY_NAMES, Catalogue, Partner
from partnercli.text import MARK_END, MARK_START, fold

ELLIPSIS: Final = "…"
#: A query may hold this many distinct terms; past that FTS5's expression tree gets too deep.
MAX_TERMS: Final = 200
#: When fewer partners than this match every word, partial matches follow.
HANDFUL: Final = 5
#: A partial match is shown only if its score reaches this share of the best score.
PARTIAL_SHARE: Final = 0.4
#: A partial match must hold this share of the query's weight (each word weighted by its rarity).
MOST: Final = 0.5
#: A full match is shown only if its score reaches this share of the best full match's.
FULL_SHARE: Final = 0.1
#: A word the data does not hold, at least this long, is taken as the start of a word.
PREFIX_FROM: Final = 4
#: What a word found through the words it stands for (a synonym) is worth, against the word.
SYNONYM_WEIGHT: Final = 0.5
#: What a theme whose vocabulary holds the word is worth, against the word.
THEME_WEIGHT: Final = 0.3
#: Words typed side by side and found side by side add this share of their phrase's score.
PHRASE_BONUS: Final = 0.5
#: Words of a snippet on either side of the first matched word.
SNIPPET_WORDS: Final = 8
#: BM25F's saturation and length normalisation.
K1: Final = 1.5
B: Final = 0.75
#: The indexed fields and their weights: a hit in a name outranks one in a long text.
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
)
COLUMNS: Final = tuple(name for name, _ in FIELDS)
WEIGHTS: Final = dict(FIELDS)
#: Fields whose hit is best explained by a sentence of the partner's texts.
NAMING_FIELDS: Final = frozenset({"name", "acronym", "aliases", "themes", "type", "groups"})
TEXT_FIELDS: Final = ("partnership", "description")
#: What people call each group of partners, besides its label.
TYPE_WORDS: Final = {"ngo": "NGO", "igo": "IGO", "museum": "museum"}
UN_WORDS: Final = "UN United Nations system"

#: The word tables (stop words, question words, families, words kept apart, synonyms), each
#: described in the file: data, read once, when search is imported.
_TABLES: Final[dict[str, Any]] = {
    name: table["entries"]
    for name, table in json.loads(
        pkgutil.get_data("partnercli", "data/search_words.json") or b"{}"
    ).items()
}
STOP_WORDS: Final = frozenset(_TABLES["stop_words"])
QUESTION_WORDS: Final = frozenset(_TABLES["question_words"])
FAMILIES: Final[dict[str, str]] = _TABLES["families"]
APART: Final[dict[str, str]] = _TABLES["apart"]
SYNONYMS: Final[dict[str, list[str]]] = _TABLES["synonyms"]

_WORD = re.compile(r"\w+")
_QUOTED_OR_BARE = re.compile(r'"([^"]*)"?|([^\s"]+)')
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_JOINED = re.compile(r"\bco-(?=\w)")  # co-operation, co-ordinating: one word
_TOKENIZER = "unicode61 remove_diacritics 0"  # the words arrive folded and stemmed
#: FTS5 gathers this much of an index in memory before it writes a segment (and merges
#: segments); its default, 1 MB, makes a third more work of a large file's index (0.35 s of
#: 1.1 s at 100,000 records, measured; 16 MB does as well as 64).
_PENDING_BYTES = 16 * 2**20
_STEMMER = Stemmer.Stemmer("english")


# -- words ------------------------------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    """The folded words of `text` (one letter alone is no word, except in scripts without
    spaces)."""
    folded = fold(text)
    if "co-" in folded:
        folded = _JOINED.sub("co", folded)
    return [w for w in _WORD.findall(folded) if len(w) > 1 or not w.isascii()]


@functools.lru_cache(maxsize=65_536)  # a language has far fewer words than a file has texts
def stem_word(word: str) -> str:
    """A folded word's search form: its Snowball stem, then its family's (see FAMILIES, APART)."""
    if word in APART:
        return APART[word]
    if not word.isascii():
        return word
    stemmed = str(_STEMMER.stemWord(word))
    return FAMILIES.get(stemmed, stemmed)


class Analyzer:
    """Words to search forms, remembered: a file has far fewer distinct words than texts. It
    keeps each search form's spellings, to say what a corrected word was corrected to."""

    def __init__(self) -> None:
        self.stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        found = self.stems.get(word)
        if found is None:
            found = self.stems[word] = stem_word(word)
        return found

    def terms(self, text: str) -> list[str]:
        stems = self.stems
        return [stems.get(w) or self.stem(w) for w in words_of(text)]


@functools.lru_cache(maxsize=65_536)
def terms(text: str) -> tuple[str, ...]:
    """The search forms of the words of `text`."""
    return tuple(stem_word(w) for w in words_of(text))


_STOP_STEMS: Final = frozenset(stem_word(w) for w in STOP_WORDS | QUESTION_WORDS)


def _is_filler(word: str) -> bool:
    return word in STOP_WORDS or word in QUESTION_WORDS or stem_word(word) in _STOP_STEMS


# -- the index --------------------------------------------------------------------------------------


def _column_texts(partner: Partner, catalogue: Catalogue) -> dict[str, str]:
    """The original text of each indexed field (what snippets are cut from)."""
    hq = partner.headquarters
    seat = (
        " ".join(filter(None, [hq.city, hq.country, COUNTRY_NAMES.get(hq.country)])) if hq else ""
    )
    themes = [catalogue.theme(t) for t in partner.themes]
    names = [
        partner.id,
        *partner.aliases,
        *(n for n in partner.former_names if n not in partner.aliases),
    ]
    return {
        "name": partner.name,
        "acronym": partner.acronym or "",
        "aliases": " ; ".join(names),
        "themes": " ; ".join(t.name for t in themes if t),
        "type": f"{TYPE_WORDS[partner.type.value]} ; {partner.type.label}",
        "groups": UN_WORDS if partner.un_system else "",
        "seat": seat,
        "description": partner.description or "",
        "partnership": partner.partnership or "",
        "related": " ; ".join(r.relation for r in partner.related),
        "milestones": " ; ".join(m.event for m in partner.milestones),
    }


def build_index(
    db: sqlite3.Connection, catalogue: Catalogue, analyzer: Analyzer | None = None
) -> array[int]:
    """Create and fill the FTS5 table `words` (rowid = position in the catalogue) and its
    vocabularies; return each row's field lengths in words (row by row, field by field). The
    table keeps no text of its own (`content=''`): snippets are cut from the records."""
    analyzer = analyzer or Analyzer()
    columns = ", ".join(COLUMNS)
    db.execute(
        f"CREATE VIRTUAL TABLE words USING fts5({columns}, content='', tokenize='{_TOKENIZER}')"
    )
    db.execute("CREATE VIRTUAL TABLE words_rows USING fts5vocab(words, 'row')")
    db.execute("CREATE VIRTUAL TABLE words_at USING fts5vocab(words, 'instance')")
    with contextlib.suppress(sqlite3.OperationalError):  # an SQLite without it: as before
        db.execute("INSERT INTO words(words, rank) VALUES ('hashsize', ?)", (_PENDING_BYTES,))
    lengths: array[int] = array("I")
    seen: dict[str, str] = {}  # many partners share a text, in large files

    def row(i: int, partner: Partner) -> tuple[object, ...]:
        texts = []
        for text in _column_texts(partner, catalogue).values():
            stemmed = seen.get(text)
            if stemmed is None:
                stemmed = " ".join(analyzer.terms(text))
                if len(seen) >= 65_536:  # bounded: a new round of texts starts afresh
                    seen.clear()
                seen[text] = stemmed
            texts.append(stemmed)
            lengths.append(stemmed.count(" ") + 1 if stemmed else 0)
        return (i, *texts)

    placeholders = ", ".join("?" for _ in COLUMNS)
    db.executemany(
        f"INSERT INTO words(rowid, {columns}) VALUES (?, {placeholders})",
        (row(i, p) for i, p in enumerate(catalogue.partners)),
    )
    db.commit()
    return lengths


@dataclass
class Index:
    """A catalogue's full-text index, and what BM25F needs beside it."""

    catalogue: Catalogue
    db: sqlite3.Connection
    lengths: array[int]  # words per field, row by row
    analyzer: Analyzer
    average: list[float] = field(default_factory=list)  # words per field, on average

    @classmethod
    def of(cls, catalogue: Catalogue) -> Index:
        db = sqlite3.connect(":memory:")
        analyzer = Analyzer()
        lengths = build_index(db, catalogue, analyzer)
        width, rows = len(COLUMNS), max(len(catalogue.partners), 1)
        average = [max(sum(lengths[c::width]) / rows, 1.0) for c in range(width)]
        return cls(catalogue, db, lengths, analyzer, average)

    @property
    def total(self) -> int:
        return len(self.catalogue.partners)

    def holds(self, stem: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM words_rows WHERE term = ?", (stem,)).fetchone()
            is not None
        )

    def starts(self, stem: str) -> bool:
        """Does a word of the data start with `stem`?"""
        found = self.db.execute(
            "SELECT term FROM words_rows WHERE term > ? ORDER BY term LIMIT 1", (stem,)
        ).fetchone()
        return found is not None and str(found[0]).startswith(stem)

    def idf(self, documents: int) -> float:
        return math.log(1 + (self.total - documents + 0.5) / (documents + 0.5))

    def _bm25f(
        self, frequencies: dict[int, dict[int, float]]
    ) -> dict[int, tuple[float, tuple[str, ...]]]:
        """Each row's BM25F score for one term, from its frequency per field, and the fields."""
        idf = self.idf(len(frequencies))
        width = len(COLUMNS)
        scored = {}
        for row, per_column in frequencies.items():
            weighted = 0.0
            for column, frequency in per_column.items():
                norm = 1 - B + B * self.lengths[row * width + column] / self.average[column]
                weighted += FIELDS[column][1] * frequency / norm
            fields = tuple(COLUMNS[c] for c in sorted(per_column))
            scored[row] = (idf * weighted * (K1 + 1) / (weighted + K1), fields)
        return scored

    def score(
        self, term: Term, *, only: str | None = None
    ) -> dict[int, tuple[float, tuple[str, ...]]]:
        """Each matching row's BM25F score for `term` (in field `only`, if given)."""
        frequencies: dict[int, dict[int, float]] = {}
        position = {c: i for i, c in enumerate(COLUMNS)}
        if len(term.words) == 1 and not term.prefix and only is None:
            rows = self.db.execute(
                "SELECT doc, col, count(*) FROM words_at WHERE term = ? GROUP BY doc, col",
                term.words,
            )
            for row, column, count in rows:
                frequencies.setdefault(row, {})[position[column]] = float(count)
        else:  # a phrase or the start of a word: each field it is in counts once
            for column in [only] if only else COLUMNS:
                query = f"{{{column}}} : {term.expression()}"
                for (row,) in self.db.execute(
                    "SELECT rowid FROM words WHERE words MATCH ?", (query,)
                ):
                    frequencies.setdefault(row, {})[position[column]] = 1.0
        return self._bm25f(frequencies)

    def spelling(self, stem: str) -> list[str]:
        return sorted(w for w, s in self.analyzer.stems.items() if s == stem)


def in_memory(catalogue: Catalogue) -> sqlite3.Connection:
    """The index of `catalogue`, as a database holding the table `words`."""
    return Index.of(catalogue).db


# -- the query --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to find in the index: a word, or several words in a row (a phrase), and
    whether its last word also matches as the start of a longer one."""

    words: tuple[str, ...]
    prefix: bool = False

    def expression(self) -> str:
        """As FTS5 reads it: quoted, so that nothing in it is FTS5 syntax."""
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class Wanted:
    """One topical word (or quoted phrase) of the query, and how it is found."""

    typed: str
    literal: Term | None  # the word itself, when the data holds it
    synonyms: tuple[Term, ...] = ()  # the page's words for it
    themes: tuple[str, ...] = ()  # ids of the themes whose vocabulary holds it


@dataclass
class Query:
    """What a query asks for, once read against the data."""

    wanted: list[Wanted]
    corrected: dict[str, str]  # typed word -> the data's word it is searched as
    left_out: list[str]  # words of no topic
    unknown: list[str]  # words the data does not hold, nor anything close
    text: str

    def searched_as(self) -> str | None:
        """The query as searched, when a word was corrected."""
        if not self.corrected:
            return None
        return " ".join(self.corrected.get(w, w) for w in _WORD.findall(fold(self.text)))

    def notes(self) -> list[str]:
        found: list[str] = []
        if self.corrected:
            found.append(f"showing results for {self.searched_as()}")
        if not self.wanted and self.left_out and not self.unknown:
            words = ", ".join(dict.fromkeys(self.left_out))
            found.append(f"only common words ({words}): give a word of what you look for")
        elif self.unknown and self.wanted:
            found.append("no partner mentions " + ", ".join(dict.fromkeys(self.unknown)))
        return found


def _theme_vocabulary(catalogue: Catalogue) -> dict[tuple[str, ...], list[str]]:
    """Each vocabulary entry's search forms, and the themes it belongs to."""
    entries: dict[tuple[str, ...], list[str]] = {}
    for theme in catalogue.themes:
        for word in theme.vocabulary:
            entries.setdefault(terms(word), []).append(theme.id)
    return entries


def _synonym_entries() -> dict[tuple[str, ...], tuple[str, ...]]:
    return {terms(k): tuple(v) for k, v in SYNONYMS.items()}


def read_query(index: Index, text: str) -> Query:
    """Read a query against the data: its topical words, corrections, the words left out."""
    vocabulary = _theme_vocabulary(index.catalogue)
    synonyms = _synonym_entries()
    wanted: list[Wanted] = []
    corrected: dict[str, str] = {}
    left_out: list[str] = []
    unknown: list[str] = []

    distinct = {
        phrase or word
        for phrase, bare in _QUOTED_OR_BARE.findall(text)
        for word in ([bare] if phrase else words_of(bare))
    }
    if len(distinct) > MAX_TERMS:
        raise UsageError(f"the query has {len(distinct)} distinct words; use at most {MAX_TERMS}")

    def concept(typed: str, stems: tuple[str, ...], literal: Term | None) -> Wanted | None:
        expansions = tuple(Term(terms(w)) for w in synonyms.get(stems, ()))
        themes = tuple(vocabulary.get(stems, ()))
        if literal is None and not expansions and not themes:
            return None
        return Wanted(typed, literal, expansions, themes)

    segments: list[tuple[str, list[str]]] = []  # quoted phrases, and runs of bare words
    for phrase, bare in _QUOTED_OR_BARE.findall(text):
        if phrase or not segments or segments[-1][0]:
            segments.append((phrase, []))
        segments[-1][1].extend(words_of(bare))
    for phrase, words in segments:
        if phrase:
            stems = terms(phrase)
            if stems:
                wanted.append(Wanted(phrase, Term(stems)))
            continue
        i = 0
        while i < len(words):
            # The longest run of words that is a vocabulary or synonym entry: `black market`.
            run = next(
                (
                    n
                    for n in range(min(4, len(words) - i), 1, -1)
                    if tuple(stem_word(w) for w in words[i : i + n])
                    in synonyms.keys() | vocabulary.keys()
                ),
                1,
            )
            if run > 1:
                stems = tuple(stem_word(w) for w in words[i : i + run])
                found = concept(" ".join(words[i : i + run]), stems, Term(stems))
                assert found is not None
                wanted.append(found)
                i += run
                continue
            word = words[i]
            i += 1
            if word in unknown:
                continue
            if _is_filler(word):
                left_out.append(word)
                continue
            item = _read_word(index, word, concept, corrected)
            if item is None:
                unknown.append(word)
            else:
                wanted.append(item)
    return Query(list(dict.fromkeys(wanted)), corrected, left_out, unknown, text)


def _read_word(
    index: Index,
    word: str,
    concept: Callable[[str, tuple[str, ...], Term | None], Wanted | None],
    corrected: dict[str, str],
) -> Wanted | None:
    """A word as the data holds it or its synonyms say it; else the start of a word of the data;
    else a misspelling of one (added to `corrected`); else None."""
    item = _word(index, word, concept)
    start = stem_word(word)
    if item is None and len(word) >= PREFIX_FROM and word.isascii() and index.starts(start):
        item = Wanted(word, Term((start,), prefix=True))
    if item is None and not word.isascii():  # `故宫` is in `故宫博物院`
        item = Wanted(word, Term((word,), prefix=True))
    if item is None:
        fix = corrected[word] if word in corrected else correction(index, word)
        if fix is not None:
            corrected[word] = fix
            item = _word(index, fix, concept)
    return item


def _word(
    index: Index, word: str, concept: Callable[[str, tuple[str, ...], Term | None], Wanted | None]
) -> Wanted | None:
    stem = stem_word(word)
    literal = Term((stem,)) if index.holds(stem) else None
    return concept(word, (stem,), literal)


# -- misspellings -----------------------------------------------------------------------------------


def distance(a: str, b: str, most: int) -> int:
    """Edit distance with transpositions (Damerau-Levenshtein, optimal string alignment),
    or `most + 1` once it is sure to exceed `most`."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > most:
            return most + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_distance(word: str) -> int:
    """How many edits a misspelling of a word this long may hold: none below five letters
    (`cake` is not `care`), one up to seven, two from eight."""
    return 0 if len(word) < 5 else 1 if len(word) < 8 else 2


def correction(index: Index, word: str) -> str | None:
    """The word of the data (or of the synonyms) that `word` is a misspelling of, if one is
    close enough and begins with the same letter; the most common one on a tie."""
    most = allowed_distance(word)
    if not most or not word.isascii():
        return None
    candidates = set(index.analyzer.stems) | {w for k in SYNONYMS for w in words_of(k)}
    best: tuple[int, int, str] | None = None
    for candidate in candidates:
        if (
            candidate == word
            or candidate[0] != word[0]
            or len(candidate) < 4
            or abs(len(candidate) - len(word)) > most
        ):
            continue
        edits = distance(word, candidate, most)
        if edits <= most:
            documents = len(index.score(Term((stem_word(candidate),))))
            key = (edits, -documents, candidate)
            if best is None or key < best:
                best = key
    return None if best is None else best[2]


# -- ranking ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Ranked:
    rowid: int
    score: float
    contributions: tuple[tuple[str, float], ...]
    partial: bool
    matches: tuple[str, ...]  # the fields that matched


def rank(index: Index, query: Query) -> list[_Ranked]:
    """Rows matching every wanted word, best first; then, when they are few, rows matching part
    of the query that reach `PARTIAL_SHARE` of the best score."""
    contributions: dict[int, dict[str, float]] = {}
    fields: dict[int, set[str]] = {}

    def add(row: int, typed: str, value: float, matched: Iterable[str]) -> None:
        mine = contributions.setdefault(row, {})
        mine[typed] = mine.get(typed, 0.0) + value
        fields.setdefault(row, set()).update(matched)

    for wanted in query.wanted:
        if wanted.literal is not None:
            for row, (value, matched) in index.score(wanted.literal).items():
                add(row, wanted.typed, value, matched)
        for synonym in wanted.synonyms:
            for row, (value, matched) in index.score(synonym).items():
                add(
                    row, wanted.typed, SYNONYM_WEIGHT * value / len(wanted.synonyms) ** 0.5, matched
                )
        for theme_id in wanted.themes:
            theme = index.catalogue.theme(theme_id)
            if theme is None:
                continue
            for row, (value, _) in index.score(Term(terms(theme.name)), only="themes").items():
                add(row, wanted.typed, THEME_WEIGHT * value, ["vocabulary"])
    # Words typed side by side score more when found side by side.
    literal = [
        w.literal.words for w in query.wanted if w.literal is not None and not w.literal.prefix
    ]
    if len(literal) > 1:
        together = Term(tuple(word for words in literal for word in words))
        for row, (value, matched) in index.score(together).items():
            add(
                row,
                " ".join(w.typed for w in query.wanted if w.literal is not None),
                PHRASE_BONUS * value,
                matched,
            )

    typed = {w.typed for w in query.wanted}
    full = {row for row, c in contributions.items() if typed <= c.keys()}
    totals = {row: sum(c.values()) for row, c in contributions.items()}
    best_full = max((totals[r] for r in full), default=0.0)
    chosen = [r for r in full if totals[r] >= FULL_SHARE * best_full]
    partial: list[int] = []
    if len(chosen) < HANDFUL:
        best = max(totals.values(), default=0.0)
        documents = {w: sum(w in c for c in contributions.values()) for w in typed}
        weight = {w: index.idf(n) for w, n in documents.items()}
        whole = sum(weight.values())
        partial = [
            r
            for r in contributions
            if r not in full
            and totals[r] >= PARTIAL_SHARE * best
            and sum(weight[w] for w in typed & contributions[r].keys()) >= MOST * whole
        ]
    # A partial match's contributions are scaled, if need be, to stay below every full match.
    scale = 1.0
    if chosen and partial:
        lowest, highest = min(totals[r] for r in chosen), max(totals[r] for r in partial)
        if highest >= lowest:
            scale = 0.99 * lowest / highest

    def ranked(row: int, factor: float, *, is_partial: bool) -> _Ranked:
        parts = tuple((w, round(v * factor, 6)) for w, v in contributions[row].items())
        order = tuple(c for c in (*COLUMNS, "vocabulary") if c in fields[row])
        return _Ranked(row, round(totals[row] * factor, 6), parts, is_partial, order)

    return [ranked(r, 1.0, is_partial=False) for r in chosen] + [
        ranked(r, scale, is_partial=True) for r in partial
    ]


# -- why it matched ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Marks:
    """The search forms a query looks for, to find and mark them in a partner's text."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def of(cls, wanted: Sequence[Wanted]) -> Marks:
        found = [t for w in wanted for t in ([w.literal] if w.literal else []) + list(w.synonyms)]
        exact = frozenset(word for t in found for word in (t.words[:-1] if t.prefix else t.words))
        return cls(exact - _STOP_STEMS, tuple(t.words[-1] for t in found if t.prefix))

    def __call__(self, word: str) -> bool:
        return word in self.exact or (bool(self.prefixes) and word.startswith(self.prefixes))

    def count(self, words: Iterable[str]) -> int:
        return sum(self(w) for w in set(words))


def _mark(text: str, marks: Marks) -> str:
    def mark(match: re.Match[str]) -> str:
        word = match[0]
        forms = terms(word)
        return f"{MARK_START}{word}{MARK_END}" if forms and marks(forms[0]) else word

    return _WORD.sub(mark, text)


@functools.lru_cache(maxsize=4096)  # many partners share a sentence, in large files
def _window(sentence: str, marks: Marks) -> str:
    """The part of a sentence around its first matched word, with an ellipsis where it is cut."""
    words = sentence.strip().split()
    first = next((i for i, w in enumerate(words) if marks.count(terms(w))), 0)
    start, end = max(0, first - SNIPPET_WORDS), min(len(words), first + SNIPPET_WORDS + 1)
    text = " ".join(words[start:end])
    return (ELLIPSIS if start else "") + _mark(text, marks) + (ELLIPSIS if end < len(words) else "")


def _best_sentence(partner: Partner, marks: Marks) -> tuple[str, str] | None:
    return _best_of(partner.partnership or "", partner.description or "", marks)


@functools.lru_cache(maxsize=4096)
def _best_of(partnership: str, description: str, marks: Marks) -> tuple[str, str] | None:
    """The sentence of the partner's texts that holds the most query words (the partnership
    first on a tie: it says what the partner does with ICOM)."""
    best: tuple[int, str, str] | None = None
    for name, text in zip(TEXT_FIELDS, (partnership, description), strict=True):
        for sentence in _SENTENCE.findall(text):
            count = marks.count(terms(sentence))
            if count and (best is None or count > best[0]):
                best = (count, name, sentence)
    return None if best is None else (best[1], _window(best[2], marks))


def explain(
    partner: Partner, catalogue: Catalogue, query: Query, marks: Marks, matches: tuple[str, ...]
) -> tuple[str, str]:
    """The field to show and its snippet, for a partner whose `matches` fields matched."""
    first = matches[0] if matches else "name"
    if first in NAMING_FIELDS or first == "vocabulary":
        sentence = _best_sentence(partner, marks)
        if sentence is not None:
            return sentence
    if first == "vocabulary":
        return first, _vocabulary_snippet(partner, catalogue, query)
    if first == "themes":
        evidence = _evidence_snippet(partner, catalogue, marks)
        if evidence:
            return first, evidence
    return first, _window(_column_texts(partner, catalogue)[first], marks)


def _evidence_snippet(partner: Partner, catalogue: Catalogue, marks: Marks) -> str | None:
    """`Illicit trafficking: …Convention on Stolen or…`: a matched theme, and the phrase of the
    partner's text that supports it."""
    for theme_id in partner.themes:
        theme = catalogue.theme(theme_id)
        phrase = partner.evidence.get(theme_id)
        if theme is not None and phrase and marks.count(terms(theme.name)):
            return f"{_mark(theme.name, marks)}: {ELLIPSIS}{phrase}{ELLIPSIS}"
    return None


def _vocabulary_snippet(partner: Partner, catalogue: Catalogue, query: Query) -> str:
    """`theme Illicit trafficking (looting)`: the theme whose vocabulary matched, and the word."""
    for wanted in query.wanted:
        for theme_id in wanted.themes:
            theme = catalogue.theme(theme_id)
            if theme is not None and theme_id in partner.themes:
                return f"theme {theme.name} ({MARK_START}{wanted.typed}{MARK_END})"
    return ""


# -- searching --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the partner, its score (higher is better) and why it matched."""

    partner: Partner
    score: float
    field: str
    snippet: str  # matched words between MARK_START and MARK_END
    matches: tuple[str, ...] = ()  # every field that matched
    partial: bool = False  # matched part of the query, not all of it
    contributions: tuple[tuple[str, float], ...] = ()  # what each query word added to the score
    correction: str | None = None  # the query as searched, when a word of it was corrected

    def marked_snippet(self, start: str = "[", end: str = "]") -> str:
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)


def search(
    catalogue: Catalogue,
    text: str,
    *,
    candidates: list[Partner] | None = None,
    limit: int | None = None,
    notes: list[str] | None = None,
) -> list[Hit]:
    """Partners matching `text`, best first, optionally only among `candidates` (a filter).
    What a person should know about how the query was read is added to `notes`."""
    if not text.strip():
        raise UsageError("an empty query; give one or more words to search for")
    index = Index.of(catalogue)
    query = read_query(index, text)
    if notes is not None:
        notes.extend(query.notes())
    if not query.wanted:
        return []
    ranked = rank(index, query)
    if candidates is not None:
        allowed = {p.id for p in candidates}
        ranked = [r for r in ranked if catalogue.partners[r.rowid].id in allowed]
    ranked.sort(
        key=lambda r: (
            r.partial,
            -r.score,
            catalogue.partners[r.rowid].name.casefold(),
            catalogue.partners[r.rowid].id,
        )
    )
    marks = Marks.of(query.wanted)
    searched_as = query.searched_as()
    hits = []
    for item in ranked[:limit]:
        partner = catalogue.partners[item.rowid]
        field_, snippet = explain(partner, catalogue, query, marks, item.matches)
        hits.append(
            Hit(
                partner=partner,
                score=item.score,
                field=field_,
                snippet=snippet,
                matches=item.matches,
                partial=item.partial,
                contributions=item.contributions,
                correction=searched_as,
            )
        )
    return hits


def did_you_mean(catalogue: Catalogue, query: str) -> str | None:
    """The query as `search` reads it when a word of it is a misspelling of a word of the data
    (`interpool` -> `interpol`); None when no word was corrected."""
    if not query.strip():
        return None
    return read_query(Index.of(catalogue), query).searched_as()
