"""The domain stays framework-free: traef/ imports no bot, channel, web or database library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

FORBIDDEN = ("botbuilder", "botframework", "slack_sdk", "aiohttp", "sqlalchemy", "alembic")
DOMAIN = Path(__file__).resolve().parents[2] / "traef"


def imported_modules(source: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("source", sorted(DOMAIN.glob("**/*.py")), ids=lambda p: p.name)
def test_domain_module_imports_no_framework(source: Path) -> None:
    offending = {m for m in imported_modules(source) if m.split(".")[0] in FORBIDDEN}
    assert not offending, f"{source.name} imports {sorted(offending)}"


def test_importing_the_whole_domain_loads_no_framework() -> None:
    modules = [f"traef.{p.stem}" for p in DOMAIN.glob("*.py") if p.stem != "__init__"]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    assert len(modules) >= 5
