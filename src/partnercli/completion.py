"""Shell completion: the values people type (partner ids and names, themes, types, fields…),
and the scripts and formats each shell reads them in.

Completion reads the dataset the command would read (`--data` and `PARTNERS_DATA` are honoured)
and never imports the search engine. A `--data` file larger than `MAX_COMPLETED_BYTES`
completes nothing: reading it whole would take seconds at every TAB.

Every string from a dataset is hostile: a value is offered only if it is a plain word (letters
of any script, digits, `.`, `,`, `-`, `_`), which no shell reads as syntax; a partner whose name
is not is offered by its id. Descriptions are made inert for the terminal and written in each
shell's own format, never evaluated (Typer's zsh script `eval`s them, and renders Rich markup).
"""

import os
import re
import stat
from typing import Final

import typer
from typer._click.shell_completion import CompletionItem, ShellComplete, add_completion_class
from typer._completion_classes import (  # Typer 0.28 (pinned)
    BashComplete,
    FishComplete,
    PowerShellComplete,
    ZshComplete,
)

from partnercli import catalogue
from partnercli.errors import PartnersError
from partnercli.models import COUNTRY_NAMES, SORT_KEYS, TYPE_SYNONYMS, Catalogue, PartnerType
from partnercli.text import fold, for_display
from partnercli.views import fields_for

Completions = list[tuple[str, str]]
#: A --data file larger than this (some 1,000 partners) completes nothing: reading it whole
#: at every TAB would keep the shell waiting.
MAX_COMPLETED_BYTES: Final = 2 * 2**20
#: What a value may hold to be offered: no shell reads any of it as syntax.
_PLAIN = re.compile(r"[\w.,-]+")


def _catalogue(ctx: typer.Context) -> Catalogue:
    """The data the command would read; none (an empty catalogue) if it is broken (the command
    itself will say why) or too large to read at every TAB."""
    path = ctx.params.get("data")
    path = ctx.find_root().params.get("data") if path is None else path
    try:
        if path is None:
            return catalogue.load()
        status = os.stat(path)
        if stat.S_ISREG(status.st_mode) and status.st_size <= MAX_COMPLETED_BYTES:
            return catalogue.load(path)  # a pipe would wait for its writer at every TAB
    except (PartnersError, OSError, ValueError):
        pass
    return Catalogue(partners=())


def _continued(typed: str, word: str) -> str:
    """`word` as the continuation of what was typed, in the case it was typed (`c` and `CCC`
    give `ccc`; `Une` and `unesco` give `Unesco`): shells keep only values that start with what
    was typed."""
    if fold(word[: len(typed)]) != fold(typed):
        return word
    if typed.islower() or typed.isupper():
        return word.lower() if typed.islower() else word.upper()
    return typed + word[len(typed) :]


def partners(ctx: typer.Context, incomplete: str) -> Completions:
    """The next word of a partner's name: its id, acronym or a one-word alias (OMPI, 故宫博物院),
    or a word of a longer name or alias after the words already typed (`show getty f` gives
    `foundation`), in any case or accents. A word several partners share has no description."""
    data = _catalogue(ctx)
    before = ctx.params.get("name")
    words = [*before] if isinstance(before, list | tuple) else []
    typed = _folded(" ".join([*words, incomplete]))
    found: list[tuple[str, str]] = []  # (the next word of a name, whose name)
    for partner in data.partners:
        names = [partner.name, partner.id, partner.acronym, *partner.aliases, *partner.former_names]
        for name in filter(None, names):
            parts = name.split()
            if len(parts) <= len(words) or not _folded(name).startswith(typed):
                continue
            if len(parts) == 1 and name == partner.name != partner.id:
                continue  # a one-word name is its id or acronym already
            found.append((parts[len(words)], partner.name))
    # A word spelled as it was typed (UN: UNESCO) before one continued in the case typed (unesco).
    found.sort(key=lambda item: not item[0].startswith(incomplete))
    offered: dict[str, tuple[str, set[str]]] = {}  # folded value: (value, the partners' names)
    for word, name in found:
        value = word if word.startswith(incomplete) else _continued(incomplete, word)
        if _PLAIN.fullmatch(value):
            offered.setdefault(value.casefold(), (value, set()))[1].add(name)
    return [
        (value, next(iter(names)) if len(names) == 1 else "") for value, names in offered.values()
    ]


def _folded(text: str) -> str:
    return " ".join(fold(text).split())


def sort_keys(incomplete: str) -> list[str]:
    """Sort keys, and their descending forms once a `-` is typed."""
    keys = [f"-{k}" for k in SORT_KEYS] if incomplete.startswith("-") else list(SORT_KEYS)
    return [k for k in keys if k.startswith(incomplete)]


def countries(ctx: typer.Context, incomplete: str) -> Completions:
    """The country codes of the data's seats, with their names."""
    lower = incomplete.islower()  # shells keep only what starts with what was typed, as typed
    return [
        (code.lower() if lower else code, COUNTRY_NAMES.get(code, code))
        for code in _catalogue(ctx).countries()
        if code.lower().startswith(incomplete.lower())
    ]


def themes(ctx: typer.Context, incomplete: str) -> Completions:
    return [(t.id, t.name) for t in _catalogue(ctx).themes if t.id.startswith(fold(incomplete))]


def types(incomplete: str) -> Completions:
    choices = [(t.value, t.label) for t in PartnerType]
    choices += [(word, t.label) for word, t in TYPE_SYNONYMS.items()]
    return [(value, label) for value, label in choices if value.startswith(fold(incomplete))]


def fields(ctx: typer.Context, incomplete: str) -> list[str]:
    """Field names for the command at hand, also after commas: `id,na` gives `id,name`."""
    available = fields_for(ctx.command.name or "", sources=bool(ctx.params.get("sources")))
    done, _, last = incomplete.rpartition(",")
    chosen = set(done.split(",")) if done else set()
    prefix = f"{done}," if done else ""
    return [prefix + name for name in available if name.startswith(last) and name not in chosen]


# -- the shells ------------------------------------------------------------------------------------


def script(shell: str) -> str:
    """The script `partners completion SHELL` prints, shipped as `data/completion/SHELL`. None
    evaluates what the program answers: each reads it line by line, a value (and its
    description) per line."""
    return catalogue.bundled_bytes(f"completion/{shell}").decode()


def description(text: str | None) -> str:
    """A description any shell shows as text: one line, no control or bidirectional characters,
    no tab (it separates value and description), no `:::` (PowerShell's separator)."""
    return for_display(text or "").replace("\t", " ").replace(":::", ": : :").strip()


class _Shell(ShellComplete):
    """A shell's side of completion: Typer's reading of the command line (its classes are
    the other bases), our formats, one line per value, each value once and plain."""

    def format_completion(self, item: CompletionItem) -> str:
        text = description(item.help)
        return f"{item.value}\t{text}" if text else str(item.value)

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        values = {str(i.value): i for i in reversed(self.get_completions(args, incomplete))}
        plain = [item for value, item in reversed(values.items()) if _PLAIN.fullmatch(value)]
        return "\n".join(map(self.format_completion, plain))


class Bash(_Shell, BashComplete):
    format_completion = BashComplete.format_completion  # bash shows values alone


class Zsh(_Shell, ZshComplete):
    pass


class Fish(_Shell, FishComplete):
    def complete(self) -> str:
        found = super().complete()
        if os.environ.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
            raise SystemExit(0 if found else 1)  # values to offer: fish offers no file names
        return found


class PowerShell(_Shell, PowerShellComplete):
    def format_completion(self, item: CompletionItem) -> str:
        # Always a description (PowerShell refuses an empty tooltip); a comma in single quotes
        # (bare, PowerShell reads `id,name` as an array).
        value = f"'{item.value}'" if "," in str(item.value) else str(item.value)
        return f"{value}:::{description(item.help) or ' '}"


def install() -> None:
    """Put our shells in place of Typer's, for `_PARTNERS_COMPLETE=complete_SHELL`."""
    for name, shell in (("bash", Bash), ("zsh", Zsh), ("fish", Fish), ("powershell", PowerShell), ("pwsh", PowerShell)):  # fmt: skip
        add_completion_class(shell, name)
