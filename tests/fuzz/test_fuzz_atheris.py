"""A few seconds of coverage-guided fuzzing in CI (atheris_run.py, every parser in one
process); longer runs are local: `python tests/fuzz/atheris_run.py all -max_total_time=600`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris", reason="atheris has wheels for Linux x86-64 only")

RUNNER = Path(__file__).with_name("atheris_run.py")
SECONDS = 8


def test_atheris_finds_no_crash_in_a_short_run() -> None:
    done = subprocess.run([sys.executable, str(RUNNER), "all", f"-max_total_time={SECONDS}",
                           "-seed=11", "-print_final_stats=1"], capture_output=True, text=True,
                          timeout=SECONDS + 120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "stat::number_of_executed_units" in done.stderr
