"""The package's layout holds: imports run down the layers of pyproject.toml, no cycles, small modules.

The contracts live in pyproject.toml (`[tool.importlinter]`) and are checked by import-linter, which
follows every import, those inside functions too. The planted-import tests show that a violation is
caught, so the contract test cannot pass by checking nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "translate_summarize"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_MODULE_LINES = 400

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed (test extra)")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=root, capture_output=True, text=True, timeout=300
    )


def test_imports_run_down_the_layers_without_cycles() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "planted", "broken"),
    [
        ("common/files.py", "from ..run.output import OutputFolder", "translate_summarize.common is not allowed to import"),
        ("engines/lock.py", "from ..settings import default_config_path", "translate_summarize.engines is not allowed"),
        ("render/inbox.py", "from .email_format import POLICY", "No cycles are allowed in translate_summarize.render"),
    ],
)
def test_a_planted_uphill_import_or_cycle_is_caught(tmp_path: Path, module: str, planted: str, broken: str) -> None:
    shutil.copytree(PACKAGE, tmp_path / PACKAGE.name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with (tmp_path / PACKAGE.name / module).open("a", encoding="utf-8") as handle:
        handle.write(f"\n\ndef _planted():  # a lazy import is an import too\n    {planted}  # noqa: F401\n")
    result = _lint(tmp_path)
    assert result.returncode != 0 and broken in result.stdout, result.stdout


def test_no_module_is_longer_than_the_limit() -> None:
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines()) for path in PACKAGE.rglob("*.py")
    }
    assert not {path: n for path, n in lengths.items() if n > MAX_MODULE_LINES}
