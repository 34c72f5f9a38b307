"""The terminal a run writes to, as one value built once in `main()` (HTTPie's `Environment`, gh's
`IOStreams`): which streams are terminals, the size, and the pager. Tests construct one instead of
patching functions. No Rich here: Rich still decides colour (NO_COLOR, FORCE_COLOR, TERM) when it
draws.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from typing import Final, TextIO

import msgspec
from msgspec import Struct

#: What `less` is told when LESS is unset, as git and gh do: quit when the text fits (F), show
#: colours rather than their codes (R), leave the text on the screen (X).
LESS_DEFAULT: Final = "FRX"


class Terminal(Struct, frozen=True, kw_only=True):
    """Where a run writes, and how a person reads it."""

    stdout_tty: bool = False
    #: Was stdout closed when the run started (`>&-`)? Only --output can be written then.
    stdout_closed: bool = False
    #: Columns and lines of the terminal (or COLUMNS and LINES).
    width: int = 80
    height: int = 24
    #: Under TERM=dumb Rich assumes 80 columns: the real width is then given to it.
    dumb: bool = False
    #: Can stdout take any character (not under PYTHONIOENCODING=ascii, say)?
    any_character: bool = True
    #: The pager's command words; empty: never page.
    pager: tuple[str, ...] = ()
    #: The environment the pager runs in (LESS set, when it was not).
    pager_env: Mapping[str, str] = msgspec.field(default_factory=dict)
    #: Why the pager setting was not understood, for a warning; None when it was.
    pager_problem: str | None = None

    @classmethod
    def detect(
        cls,
        environ: Mapping[str, str] = os.environ,
        stdout: TextIO | None = None,
        *,
        stdout_closed: bool = False,
    ) -> Terminal:
        """The terminal of this process (its environment and standard streams)."""
        out = sys.stdout if stdout is None else stdout
        size = shutil.get_terminal_size()
        try:
            tty = out is not None and out.isatty()
        except (OSError, ValueError):  # closed
            tty = False
        pager, problem = pager_command(environ) if tty else ((), None)  # only a terminal pages
        return cls(
            stdout_tty=tty,
            stdout_closed=stdout_closed,
            width=size.columns,
            height=size.lines,
            dumb=environ.get("TERM") == "dumb",
            any_character=takes_any_character(out),
            pager=pager,
            pager_env={**environ, "LESS": environ.get("LESS", LESS_DEFAULT)},
            pager_problem=problem,
        )


def takes_any_character(stream: object) -> bool:
    """Can `stream` take any character? Not under PYTHONIOENCODING=ascii, say."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding.startswith(("utf-8", "utf8", "utf-16", "utf-32"))


def pager_command(environ: Mapping[str, str]) -> tuple[tuple[str, ...], str | None]:
    """$PARTNERS_PAGER, else $PAGER, else `less`, as command words (none: never page; an empty
    setting means none, as for git and gh), and why the setting could not be read, if it could
    not (then nothing pages)."""
    import shlex  # only a terminal pages

    name = "PARTNERS_PAGER" if "PARTNERS_PAGER" in environ else "PAGER"
    command = environ.get(name, "less")  # neither names one: git's and gh's choice
    try:
        words = tuple(shlex.split(command))
    except ValueError as exc:  # an unclosed quote, a trailing backslash
        return (), f"{name} cannot be read ({exc}); output is not paged"
    return (() if words in ((), ("cat",)) else words), None
