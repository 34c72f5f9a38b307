"""Real interactive shells on a pseudo-terminal, set up as the README says, for completion tests.

A shell starts with a fresh HOME holding only what the README's install lines wrote there, and
a prompt we can recognise. Keys are typed once the prompt is there; after TAB, the line is
echoed (Ctrl-A, `echo BEGIN `, Ctrl-E, ` END`, Enter), so that what completion inserted is
printed by the shell itself, and runs if it were code.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
BIN = str(Path(sys.executable).parent)
PROMPT = "READY>"
ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>]"
)


def shell_path(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed here (.ci/run installs it, so CI runs this test)")
    return path


def readme_install_lines(shell: str) -> list[str]:
    """The lines the README gives to install completion for `shell`: in the block after the
    `readme:completion` marker, those whose comment names the shell (`# zsh`)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- readme:completion -->", 1)[1].split("```", 2)[1]
    lines = [
        line.rsplit("#", 1)[0].rstrip()
        for line in block.splitlines()
        if line.rstrip().endswith(f"# {shell}")
    ]
    assert lines, f"the README gives no completion line for {shell}"
    return lines


def environment(home: Path, **extra: str) -> dict[str, str]:
    env = {
        "HOME": str(home),
        "PATH": BIN + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
        "TERM": "xterm",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    return env | extra


def install(shell: str, home: Path) -> None:
    """Run the README's lines for `shell`, in that shell, in a fresh HOME; then set a prompt we
    can recognise."""
    home.mkdir(parents=True, exist_ok=True)
    for line in readme_install_lines(shell):
        subprocess.run(
            [shell_path(shell), "-c", line], env=environment(home), check=True, timeout=60,
            cwd=home,
        )  # fmt: skip
    prompts = {
        "bash": (".bashrc", f"PS1='{PROMPT} '\n"),
        "zsh": (".zshrc", f"PROMPT='{PROMPT} '\n"),
        "fish": (".config/fish/config.fish", f"function fish_prompt; echo -n '{PROMPT} '; end\n"
                 "set -g fish_greeting ''\nset -g fish_autosuggestion_enabled 0\n"),
    }  # fmt: skip
    name, line = prompts[shell]
    rc = home / name
    rc.parent.mkdir(parents=True, exist_ok=True)
    with rc.open("a", encoding="utf-8") as file:
        file.write(line)


def _own_terminal() -> None:
    """In the child: a session of its own, with the pseudo-terminal as its terminal (fish,
    as a job-control shell, needs one)."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Session:
    """An interactive shell on a pseudo-terminal."""

    def __init__(self, shell: str, home: Path, cwd: Path, **env: str) -> None:
        self.leader, follower = pty.openpty()
        args = {"bash": ["-i"], "zsh": ["-i"], "fish": ["-i"]}[shell]
        self.proc = subprocess.Popen(
            [shell_path(shell), *args], stdin=follower, stdout=follower, stderr=follower,
            env=environment(home, **env), cwd=cwd,
            preexec_fn=_own_terminal,  # noqa: PLW1509  # the tests start no threads
        )  # fmt: skip
        os.close(follower)
        self.seen = ""

    def read_until(self, pattern: str, *, count: int = 1, timeout: float = 30) -> str:
        """Read until `pattern` (a regex) shows `count` times in the output, without escapes;
        fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while len(re.findall(pattern, ANSI.sub("", self.seen))) < count:
            left = deadline - time.monotonic()
            assert left > 0, f"no {pattern!r} in: {ANSI.sub('', self.seen)[-2000:]!r}"
            ready, _, _ = select.select([self.leader], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.leader, 65536).decode("utf-8", "replace")
                except OSError:  # the shell is gone
                    raise AssertionError(f"the shell ended: {self.seen[-2000:]!r}") from None
        return ANSI.sub("", self.seen)

    def quiet(self, seconds: float = 1.0, timeout: float = 30) -> None:
        """Read until nothing has come for `seconds` (completion ran and was drawn)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.leader], [], [], seconds)
            if not ready:
                return
            try:
                self.seen += os.read(self.leader, 65536).decode("utf-8", "replace")
            except OSError:
                return

    def send(self, keys: str) -> None:
        os.write(self.leader, keys.encode())

    def complete(self, line: str) -> str:
        """Type `line`, press TAB, then echo the line as completion left it; what was echoed."""
        echoed = r"(?m)^\r?BEGIN (.*) END\r?$"
        done = len(re.findall(echoed, self.read_until(re.escape(PROMPT))))
        # The shell reads keys in order: TAB's completion runs before the keys after it.
        self.send(line + "\t" + "\x01echo BEGIN \x05 END\r")
        found = re.findall(echoed, self.read_until(echoed, count=done + 1))
        self.read_until(re.escape(PROMPT), count=done + 2)
        return str(found[-1]).strip()

    def close(self) -> str:
        self.send("\x15exit\r")
        try:
            self.proc.wait(timeout=30)
        finally:
            self.quiet(0.2, timeout=2)
            os.close(self.leader)
        return self.seen
