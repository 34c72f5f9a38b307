"""The few errors the domain raises; `cli` alone turns them into messages and exit codes."""

from __future__ import annotations

from collections.abc import Sequence

#: Exit codes, documented in the README and in `partners --help`.
EXIT_OK = 0
EXIT_FAILURE = 1  # not found, ambiguous, invalid data
EXIT_USAGE = 2  # bad arguments or options
EXIT_INTERRUPTED = 130  # Ctrl-C


class PartnersError(Exception):
    """Base of every error the user can cause; carries its exit code."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, *, hints: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.hints = tuple(hints)


class DataError(PartnersError):
    """A dataset file that is not valid, or (`unreadable`) cannot be read at all; lists every
    problem found."""

    def __init__(
        self,
        path: str,
        problems: Sequence[str],
        *,
        total: int | None = None,
        unreadable: bool = False,
    ) -> None:
        self.path = path
        self.problems = tuple(problems)
        self.total = len(self.problems) if total is None else total
        what = f"cannot read {path}" if unreadable else f"invalid data in {path}"
        problem = self.problems[0] if self.total == 1 else f"{self.total} problems"
        super().__init__(f"{what}: {problem}")


class NotFoundError(PartnersError):
    """No partner or theme matches what the user typed."""


class AmbiguousError(PartnersError):
    """What the user typed matches several partners or themes."""


class UsageError(PartnersError):
    """A value the options' types could not catch (an empty query, an unknown field)."""

    exit_code = EXIT_USAGE
