"""Feed and page adapters against their golden files (tests/golden/regenerate.py writes them)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).resolve().parent


def _regenerate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("golden_regenerate", HERE / "regenerate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


REGENERATE = _regenerate()
CASES = REGENERATE.cases()


def test_every_golden_file_has_its_input() -> None:
    saved = {p.stem for p in (HERE / "expected").glob("*.json")}
    assert saved == set(CASES), "run tests/golden/regenerate.py"


@pytest.mark.parametrize("name", sorted(CASES))
def test_adapter_output_matches_its_golden_file(name: str) -> None:
    expected = (HERE / "expected" / f"{name}.json").read_text(encoding="utf-8")
    assert REGENERATE.dump(CASES[name]) == expected, (
        f"{name} changed; if that is meant, run tests/golden/regenerate.py and read the diff")
