"""Run an `aqparat` command in a forked child and `kill -9` it at a chosen point.

A point is either the k-th database step (every SQL statement and every COMMIT the child's
engines send, counted by a SQLAlchemy event on the Engine class: so between any two
statements of a transaction, or just before its commit), or a moment (a timer, which can
land anywhere, inside a commit's fsync included). The child is a fork of the test process,
so each trial costs milliseconds instead of a Python start; it leaves with `os._exit`, never
through pytest's teardown, and dies by SIGKILL, which no code can catch.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

KILLED = -signal.SIGKILL


@dataclass(frozen=True, slots=True)
class Point:
    step: int | None = None  # kill before the step-th statement or commit
    seconds: float | None = None  # or after this long

    def __str__(self) -> str:
        return f"step {self.step}" if self.step is not None else f"{self.seconds:.2f} s"


def _count_steps(limit: int | None) -> list[int]:
    steps = [0]

    def step(*_args: Any) -> None:
        steps[0] += 1
        if limit is not None and steps[0] >= limit:
            os.kill(os.getpid(), signal.SIGKILL)

    sa.event.listen(sa.Engine, "before_cursor_execute", step)
    sa.event.listen(sa.Engine, "commit", step)
    return steps


def _child(args: Sequence[str], env: dict[str, str], cwd: Path, point: Point | None,
           steps_file: Path | None) -> None:
    from aqparat.cli import cli

    os.chdir(cwd)
    os.environ.update(env)
    steps = _count_steps(point.step if point else None)
    if point is not None and point.seconds is not None:
        threading.Timer(point.seconds, os.kill, (os.getpid(), signal.SIGKILL)).start()
    code = 0
    try:
        cli.main(args=list(args), standalone_mode=False)
    except SystemExit as exc:
        code = int(exc.code or 0)
    except BaseException:  # a crash is reported by the exit code, the parent asserts on it
        code = 70
    if steps_file is not None:
        steps_file.write_text(str(steps[0]))
    sys.stdout.flush()
    os._exit(code)


def run(args: Sequence[str], *, env: dict[str, str], cwd: Path, point: Point | None = None,
        steps_file: Path | None = None) -> int:
    """The child's exit status: its exit code, or KILLED."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        try:
            _child(args, env, cwd, point, steps_file)
        finally:
            os._exit(71)
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
