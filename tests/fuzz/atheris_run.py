"""Coverage-guided fuzzing of the parsers with atheris (libFuzzer), on raw bytes.

    .venv/bin/python tests/fuzz/atheris_run.py feed -max_total_time=600
    .venv/bin/python tests/fuzz/atheris_run.py all -max_total_time=60 -print_final_stats=1

TARGET is a name from targets.TARGETS, or `all`: the first byte picks the parser, so one
process fuzzes every one (test_fuzz_atheris.py runs that for a few seconds in CI). A crash is
any exception but our typed errors; libFuzzer writes the input that caused it to
test-output/fuzz/crash-* and exits 1. Other libFuzzer flags pass through.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["aqparat"]):
    import targets

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-output" / "fuzz"
NAMES = sorted(targets.TARGETS)


def every_target(data: bytes) -> None:
    if data:
        targets.TARGETS[NAMES[data[0] % len(NAMES)]](data[1:])


def one_input(target: Callable[[bytes], None]) -> Callable[[bytes], None]:
    def test(data: bytes) -> None:
        with contextlib.suppress(targets.Expected):
            target(data)

    return test


def main() -> None:
    name, flags = sys.argv[1], sys.argv[2:]
    target = every_target if name == "all" else targets.TARGETS[name]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    atheris.Setup([sys.argv[0], f"-artifact_prefix={ARTIFACTS}/", *flags], one_input(target))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
