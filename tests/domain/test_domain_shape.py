"""The domain stays readable: no function in kwc_desktop/domain is longer than a screenful or two (80 lines)."""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "kwc_desktop" / "domain"
MAX_FUNCTION_LINES = 80


def long_functions(folder: Path, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int]]:
    """Every function (a nested one too, counted within its own lines) longer than `limit` lines."""
    found = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > limit:
                    found.append((f"{path.name}:{node.lineno} {node.name}", lines))
    return found


def test_no_domain_function_is_longer_than_80_lines():
    assert long_functions(DOMAIN) == []


def test_the_check_sees_a_long_function(tmp_path):
    body = "\n".join(f"    x{n} = {n}" for n in range(MAX_FUNCTION_LINES))
    (tmp_path / "long.py").write_text(f"def long():\n{body}\n", encoding="utf-8")
    (tmp_path / "short.py").write_text("def short():\n    return 1\n", encoding="utf-8")
    assert long_functions(tmp_path) == [("long.py:1 long", MAX_FUNCTION_LINES + 1)]
