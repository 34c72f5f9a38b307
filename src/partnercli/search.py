"""Ranked full-text search over a catalogue, with the reason each result matched.

docs/search.md says for users how a query is read and ranked. In short:
- words are folded and stemmed (Snowball, joined into families and kept apart by the tables of
  data/search_words.json); words of no topic are left out, and a query of nothing else finds
  nothing, with a note;
- a word the data does not hold is taken as the start of one (`restor`), else as a misspelling
  of one close enough (difflib: `interpool`), else left out, with a note; a word the page does
  not use but people do (`looting`) stands for the page's words that say it (a synonym table,
  and each theme's vocabulary in the data), at a lower weight;
- each word contributes its BM25F score, over fields weighted by what they say about a partner,
  each field's length normalised on its own.
  Partners matching every word come first; when fewer than `HANDFUL` do, those matching part of
  the query follow, if they reach `PARTIAL_SHARE` of the best score, marked partial.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import json
import math
import pkgutil
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

import Stemmer

from partnercli.errors import UsageError
from partnercli.models import COUNTRY_NAMES, Catalogue, Partner, Theme
from partnercli.text import ELLIPSIS, MARK_END, MARK_START, fold

#: A query may hold this many distinct terms (each is looked for in every field of every partner).
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
#: A word the data does not hold, at least this long, may be a misspelling of one it does, if
#: their similarity (difflib's ratio) reaches `SIMILAR`: one slip in a word of five letters.
CORRECT_FROM: Final = 5
SIMILAR: Final = 0.8
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
WEIGHTS: Final = {
    "name": 10.0,
    "acronym": 10.0,
    "aliases": 8.0,
    "themes": 4.0,
    "type": 3.0,
    "groups": 3.0,
    "seat": 3.0,
    "description": 1.0,
    "partnership": 1.0,
    "related": 1.0,
    "milestones": 1.0,
}
COLUMNS: Final = tuple(WEIGHTS)
#: Fields whose hit is best explained by a sentence of the partner's texts.
NAMING_FIELDS: Final = frozenset({"name", "acronym", "aliases", "themes", "type", "groups"})
TEXT_FIELDS: Final = ("partnership", "description")
#: What people call each group of partners, besides its label.
TYPE_WORDS: Final = {"ngo": "NGO", "igo": "IGO", "museum": "museum"}
UN_WORDS: Final = "UN United Nations system"

#: The word tables, each described in the file: data, read once, when search is imported.
_TABLES: Final[dict[str, Any]] = json.loads(
    pkgutil.get_data("partnercli", "data/search_words.json") or b"{}"
)
STOP_WORDS: Final = frozenset(_TABLES["stop_words"]["entries"])
QUESTION_WORDS: Final = frozenset(_TABLES["question_words"]["entries"])
FAMILIES: Final[dict[str, str]] = _TABLES["families"]["entries"]
APART: Final[dict[str, str]] = _TABLES["apart"]["entries"]
SYNONYMS: Final[dict[str, list[str]]] = _TABLES["synonyms"]["entries"]

_WORD = re.compile(r"\w+")
_QUOTED_OR_BARE = re.compile(r'"([^"]*)"?|([^\s"]+)')
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_JOINED = re.compile(r"\bco-(?=\w)")  # co-operation, co-ordinating: one word
_STEMMER = Stemmer.Stemmer("english")


# -- words ------------------------------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    """The folded words of `text` (one letter alone is no word, except in scripts without
    spaces)."""
    folded = _JOINED.sub("co", fold(text))
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


@functools.lru_cache(maxsize=65_536)  # a large file repeats its texts
def terms(text: str) -> tuple[str, ...]:
    """The search forms of the words of `text`."""
    return tuple(stem_word(w) for w in words_of(text))


#: The search forms of the words of no topic.
_STOP_STEMS: Final = frozenset(stem_word(w) for w in STOP_WORDS | QUESTION_WORDS)


# -- the index --------------------------------------------------------------------------------------


def _column_texts(partner: Partner, catalogue: Catalogue) -> dict[str, str]:
    """The original text of each indexed field (what snippets are cut from)."""
    hq = partner.headquarters
    seat = [hq.city, hq.country, COUNTRY_NAMES.get(hq.country)] if hq else []
    themes = [catalogue.theme(t) for t in partner.themes]
    names = [*partner.aliases, *(n for n in partner.former_names if n not in partner.aliases)]
    return {
        "name": partner.name,
        "acronym": partner.acronym or "",
        "aliases": "; ".join(names),
        "themes": "; ".join(t.name for t in themes if t),
        "type": f"{TYPE_WORDS[partner.type.value]}; {partner.type.label}",
        "groups": UN_WORDS if partner.un_system else "",
        "seat": " ".join(filter(None, seat)),
        "description": partner.description or "",
        "partnership": partner.partnership or "",
        "related": "; ".join(r.relation for r in partner.related),
        "milestones": "; ".join(m.event for m in partner.milestones),
    }


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to find in the index: a word, or several words in a row (a phrase), and
    whether its last word also matches as the start of a longer one."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def needle(self) -> str:
        """The term as an index row holds it: whole words, or the start of the last one."""
        return f" {'  '.join(self.words)}" + ("" if self.prefix else " ")


#: Each matching row's BM25F score for a term, and the fields it matched in.
Scores = dict[int, tuple[float, tuple[str, ...]]]


@dataclass
class Index:
    """A catalogue's search forms, field by field (row = position in the catalogue; snippets are
    cut from the records), and what BM25F needs beside them."""

    catalogue: Catalogue
    rows: list[str]  # a line per field of its search forms, each between two spaces of its own
    lengths: list[list[int]]  # words per field, row by row
    average: list[float]  # words per field, on average
    texts: set[str]  # the distinct texts indexed

    @classmethod
    def of(cls, catalogue: Catalogue) -> Index:
        texts = [list(_column_texts(partner, catalogue).values()) for partner in catalogue.partners]
        stems = [[terms(text) for text in row] for row in texts]
        # ` illicit ` is found once in each place the word is, never across two words or fields.
        rows = ["\n".join(f" {'  '.join(s)} " for s in row) for row in stems]
        lengths = [[len(s) for s in row] for row in stems]
        average = [max(sum(column) / len(column), 1.0) for column in zip(*lengths, strict=True)]
        return cls(catalogue, rows, lengths, average, {t for row in texts for t in row})

    @functools.cached_property
    def vocabulary(self) -> set[str]:
        """The words a misspelling may be corrected to: the data's, and the synonyms'."""
        return {w for text in [*self.texts, *SYNONYMS] for w in words_of(text)}

    def holds(self, term: Term) -> bool:
        """Whether some partner's fields hold `term`."""
        needle = term.needle
        return any(needle in row for row in self.rows)

    def idf(self, documents: int) -> float:
        return math.log(1 + (len(self.catalogue.partners) - documents + 0.5) / (documents + 0.5))

    def score(self, term: Term, *, only: str | None = None) -> Scores:
        """Each matching row's BM25F score for `term` (in field `only`, if given)."""
        if not term.words:  # a theme named by no searchable word (`R&D`) is found nowhere
            return {}
        needle = term.needle
        # A word counts as often as a field holds it; a phrase, the start of a word, or a word
        # looked for in one field count once in each field they are in.
        once = len(term.words) > 1 or term.prefix or only is not None
        columns = [COLUMNS.index(only)] if only else range(len(COLUMNS))
        weighted: dict[int, tuple[float, tuple[str, ...]]] = {}  # row: frequency, fields
        for row, text in enumerate(self.rows):
            if needle not in text:  # most rows: one look at the whole row
                continue
            lines = text.split("\n")
            if found := {c: 1 if once else n for c in columns if (n := lines[c].count(needle))}:
                frequency = sum(
                    WEIGHTS[COLUMNS[c]] * f / (1 - B + B * self.lengths[row][c] / self.average[c])
                    for c, f in found.items()
                )
                weighted[row] = (frequency, tuple(COLUMNS[c] for c in found))
        idf = self.idf(len(weighted))
        return {
            row: (idf * w * (K1 + 1) / (w + K1), fields) for row, (w, fields) in weighted.items()
        }


# -- the query --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Wanted:
    """One topical word (or quoted phrase) of the query, and how it is found."""

    typed: str
    literal: Term | None  # the word itself, when the data holds it
    synonyms: tuple[Term, ...] = ()  # the page's words for it
    themes: tuple[Theme, ...] = ()  # the themes whose vocabulary holds it


@dataclass
class Query:
    """What a query asks for, once read against the data."""

    text: str
    wanted: list[Wanted] = field(default_factory=list)
    corrected: dict[str, str] = field(default_factory=dict)  # typed word -> the data's word
    left_out: list[str] = field(default_factory=list)  # words of no topic
    unknown: list[str] = field(default_factory=list)  # words the data does not hold, nor near

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
            words = ", ".join(self.left_out)
            found.append(f"only common words ({words}): give a word of what you look for")
        elif self.unknown and self.wanted:
            found.append("no partner mentions " + ", ".join(self.unknown))
        return found


def read_query(index: Index, text: str) -> Query:
    """Read a query against the data: its topical words, corrections, the words left out."""
    pieces = _QUOTED_OR_BARE.findall(text)
    distinct = {p or w for p, bare in pieces for w in ([bare] if p else words_of(bare))}
    if len(distinct) > MAX_TERMS:
        raise UsageError(f"the query has {len(distinct)} distinct words; use at most {MAX_TERMS}")
    themes: dict[tuple[str, ...], list[Theme]] = {}
    for theme in index.catalogue.themes:
        for entry in theme.vocabulary:
            themes.setdefault(terms(entry), []).append(theme)
    synonyms = {terms(word): tuple(Term(terms(s)) for s in says) for word, says in SYNONYMS.items()}

    def concept(typed: str, literal: Term | None) -> Wanted:
        """The words, their synonyms and the themes whose vocabulary holds them."""
        stems = terms(typed)
        return Wanted(typed, literal, synonyms.get(stems, ()), tuple(themes.get(stems, ())))

    def word(typed: str) -> Wanted | None:
        literal = Term(terms(typed))
        found = concept(typed, literal if index.holds(literal) else None)
        return found if found.literal or found.synonyms or found.themes else None

    query = Query(text)
    entries = synonyms.keys() | themes.keys()
    seen: set[str] = set()  # a word typed twice is read once
    # Quoted phrases as typed; runs of bare words (between phrases) word by word.
    for quoted, group in itertools.groupby(pieces, key=lambda piece: bool(piece[0])):
        if quoted:
            query.wanted += [Wanted(p, Term(terms(p))) for p, _ in group if terms(p)]
            continue
        words = [w for _, bare in group for w in words_of(bare)]
        i = 0
        while i < len(words):
            # The longest run of words that is a vocabulary or synonym entry: `black market`.
            ahead = words[i : i + 4]
            run = next(
                (n for n in range(len(ahead), 1, -1) if terms(" ".join(ahead[:n])) in entries), 1
            )
            typed, i = " ".join(ahead[:run]), i + run
            if run > 1:
                query.wanted.append(concept(typed, Term(terms(typed))))
            elif typed in seen:
                continue
            elif stem_word(typed) in _STOP_STEMS:
                query.left_out.append(typed)
            else:
                found = word(typed) or _start_of_word(index, typed)
                if found is None and (fix := correction(index, typed)) is not None:
                    query.corrected[typed] = fix
                    found = word(fix)
                if found is None:
                    query.unknown.append(typed)
                else:
                    query.wanted.append(found)
            seen.add(typed)
    query.wanted = list(dict.fromkeys(query.wanted))
    return query


def _start_of_word(index: Index, word: str) -> Wanted | None:
    """A word of four letters or more that starts a word of the data (`restor`); a word of a
    script without spaces, which may be in a longer one (`故宫` is in `故宫博物院`)."""
    if not word.isascii():
        return Wanted(word, Term((word,), prefix=True))
    start = Term((stem_word(word),), prefix=True)
    return Wanted(word, start) if len(word) >= PREFIX_FROM and index.holds(start) else None


def correction(index: Index, word: str) -> str | None:
    """The word of the data (or of the synonyms) that `word` is a misspelling of: long enough,
    beginning with the same letter, at most a letter longer or shorter, and similar enough."""
    if len(word) < CORRECT_FROM or not word.isascii():
        return None
    # `word` has CORRECT_FROM letters or more, so a candidate has PREFIX_FROM at least.
    candidates = [w for w in index.vocabulary if w[0] == word[0] and abs(len(w) - len(word)) <= 1]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=SIMILAR)
    return close[0] if close else None


# -- ranking ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the partner, its score (higher is better) and why it matched."""

    partner: Partner
    score: float
    matches: tuple[str, ...]  # every field that matched
    partial: bool  # matched part of the query, not all of it
    contributions: tuple[tuple[str, float], ...]  # what each query word added to the score
    field: str = ""  # the field the snippet is cut from (`explain` picks it)
    snippet: str = ""  # matched words between MARK_START and MARK_END
    correction: str | None = None  # the query as searched, when a word of it was corrected

    def marked_snippet(self) -> str:
        return self.snippet.replace(MARK_START, "[").replace(MARK_END, "]")


def rank(index: Index, query: Query) -> list[Hit]:
    """Partners matching every wanted word, best first; then, when they are few, partners
    matching part of the query that reach `PARTIAL_SHARE` of the best score (not yet explained)."""
    contributions: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    fields: dict[int, set[str]] = defaultdict(set)

    def add(typed: str, scores: Scores, weight: float = 1.0, only: str | None = None) -> None:
        for row, (value, matched) in scores.items():
            contributions[row][typed] += weight * value
            fields[row].update([only] if only else matched)

    for wanted in query.wanted:
        if wanted.literal is not None:
            add(wanted.typed, index.score(wanted.literal))
        for synonym in wanted.synonyms:
            weight = SYNONYM_WEIGHT / len(wanted.synonyms) ** 0.5
            add(wanted.typed, index.score(synonym), weight)
        for theme in wanted.themes:
            scores = index.score(Term(terms(theme.name)), only="themes")
            add(wanted.typed, scores, THEME_WEIGHT, "vocabulary")
    # Words typed side by side score more when found side by side.
    literal = [(w.typed, w.literal) for w in query.wanted if w.literal is not None]
    exact = [term for _, term in literal if not term.prefix]
    if len(exact) > 1:
        together = Term(tuple(word for term in exact for word in term.words))
        add(" ".join(typed for typed, _ in literal), index.score(together), PHRASE_BONUS)

    typed = {w.typed for w in query.wanted}
    full = {row for row, c in contributions.items() if typed <= c.keys()}
    totals = {row: sum(c.values()) for row, c in contributions.items()}
    best_full = max((totals[r] for r in full), default=0.0)
    chosen = [r for r in full if totals[r] >= FULL_SHARE * best_full]
    partial: list[int] = []
    if len(chosen) < HANDFUL:
        best = max(totals.values(), default=0.0)
        weight = {w: index.idf(sum(w in c for c in contributions.values())) for w in typed}
        partial = [
            r
            for r in contributions
            if r not in full
            and totals[r] >= PARTIAL_SHARE * best
            and sum(weight[w] for w in typed & contributions[r].keys())
            >= MOST * sum(weight.values())
        ]
    # A partial match's contributions are scaled, if need be, to stay below every full match.
    lowest = min((totals[r] for r in chosen), default=0.0)
    highest = max((totals[r] for r in partial), default=0.0)
    scale = 0.99 * lowest / highest if chosen and partial and highest >= lowest else 1.0

    def hit(row: int, factor: float) -> Hit:
        parts = tuple((w, round(v * factor, 6)) for w, v in contributions[row].items())
        order = tuple(c for c in (*COLUMNS, "vocabulary") if c in fields[row])
        partner = index.catalogue.partners[row]
        return Hit(partner, round(totals[row] * factor, 6), order, row in partial, parts)

    hits = [hit(r, 1.0) for r in chosen] + [hit(r, scale) for r in partial]
    hits.sort(key=lambda h: (h.partial, -h.score, h.partner.name.casefold(), h.partner.id))
    return hits


# -- why it matched ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Marks:
    """The search forms a query looks for, to find and mark them in a partner's text."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def of(cls, wanted: Sequence[Wanted]) -> Marks:
        found = [t for w in wanted for t in (w.literal, *w.synonyms) if t is not None]
        exact = frozenset(word for t in found for word in (t.words[:-1] if t.prefix else t.words))
        return cls(exact - _STOP_STEMS, tuple(t.words[-1] for t in found if t.prefix))

    def count(self, words: Iterable[str]) -> int:
        return sum(w in self.exact or w.startswith(self.prefixes) for w in set(words))


def _unmarked(text: str) -> str:
    """Text from the data or the query without the two characters that mark a match in a
    snippet, so that no text can forge a mark."""
    return text.replace(MARK_START, "").replace(MARK_END, "")


def _mark(text: str, marks: Marks) -> str:
    def mark(match: re.Match[str]) -> str:
        word = match[0]
        return f"{MARK_START}{word}{MARK_END}" if marks.count(terms(word)[:1]) else word

    return _WORD.sub(mark, _unmarked(text))


def _window(sentence: str, marks: Marks) -> str:
    """The part of a sentence around its first matched word, with an ellipsis where it is cut."""
    words = sentence.split()
    first = next((i for i, w in enumerate(words) if marks.count(terms(w))), 0)
    start, end = max(0, first - SNIPPET_WORDS), min(len(words), first + SNIPPET_WORDS + 1)
    text = " ".join(words[start:end])
    return (ELLIPSIS if start else "") + _mark(text, marks) + (ELLIPSIS if end < len(words) else "")


@functools.lru_cache(maxsize=4096)  # a large file repeats its texts: each is read once
def _best_sentence(partnership: str, description: str, marks: Marks) -> tuple[str, str] | None:
    """The sentence of the partner's texts that holds the most query words (the partnership
    first on a tie: it says what the partner does with ICOM)."""
    sentences = [
        (marks.count(terms(sentence)), name, sentence)
        for name, text in zip(TEXT_FIELDS, (partnership, description), strict=True)
        for sentence in _SENTENCE.findall(text)
    ]
    count, name, sentence = max(sentences, key=lambda found: found[0], default=(0, "", ""))
    return (name, _window(sentence, marks)) if count else None


def explain(
    partner: Partner, catalogue: Catalogue, query: Query, marks: Marks, matches: tuple[str, ...]
) -> tuple[str, str]:
    """The field to show and its snippet, for a partner whose `matches` fields matched."""
    first = matches[0]  # a hit matched in one field at least
    if first in NAMING_FIELDS or first == "vocabulary":
        sentence = _best_sentence(partner.partnership or "", partner.description or "", marks)
        if sentence is not None:
            return sentence
    if first == "vocabulary":  # `theme Illicit trafficking (looting)`: the theme, and the word
        for wanted in query.wanted:
            for found in wanted.themes:
                if found.id in partner.themes:
                    typed = _unmarked(wanted.typed)
                    return first, f"theme {_unmarked(found.name)} ({MARK_START}{typed}{MARK_END})"
        return first, ""
    if first == "themes":  # `Illicit trafficking: …Convention on Stolen or…`: the evidence
        for theme_id in partner.themes:
            theme = catalogue.theme(theme_id)
            phrase = partner.evidence.get(theme_id)
            if theme is not None and phrase and marks.count(terms(theme.name)):
                return first, f"{_mark(theme.name, marks)}: {ELLIPSIS}{_unmarked(phrase)}{ELLIPSIS}"
    return first, _window(_column_texts(partner, catalogue)[first], marks)


# -- searching --------------------------------------------------------------------------------------


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
    hits = rank(index, query)
    if candidates is not None:
        allowed = {p.id for p in candidates}
        hits = [h for h in hits if h.partner.id in allowed]
    marks, searched_as = Marks.of(query.wanted), query.searched_as()
    shown = []
    for hit in hits[:limit]:
        field_, snippet = explain(hit.partner, catalogue, query, marks, hit.matches)
        shown.append(replace(hit, field=field_, snippet=snippet, correction=searched_as))
    return shown
