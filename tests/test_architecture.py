"""The core imports no adapter: only the standard library, pydantic, PyYAML and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

CORE = Path(__file__).parents[1] / "src" / "tightrope" / "core"
ALLOWED_THIRD_PARTY = {"pydantic", "yaml"}


def _imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.level if hasattr(node, "level") else 0)
                      for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_core_imports_only_stdlib_pydantic_yaml_and_core() -> None:
    offenders = []
    for path in sorted(CORE.glob("*.py")):
        for module, level in _imports(path):
            top = module.split(".")[0]
            if level == 1:
                continue  # from .x import y: inside the core
            if level > 1 or top == "tightrope":
                offenders.append(f"{path.name}: imports {'.' * level}{module} (outside the core)")
            elif top not in sys.stdlib_module_names and top not in ALLOWED_THIRD_PARTY:
                offenders.append(f"{path.name}: imports third-party {module}")
    assert not offenders, "\n".join(offenders)


def test_the_engine_layers_read_no_clock_file_or_randomness() -> None:
    """The engine is a pure function of case, packs and date (STYLE.md 4)."""
    pure = ["engine.py", "findings.py", "power.py", "role_conflict.py", "judgement.py",
            "factors.py", "actions.py", "counterfactuals.py", "conditions.py", "facts.py",
            "explanation.py"]
    for name in pure:
        tree = ast.parse((CORE / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                           else [node.module or ""])
                for module in modules:
                    assert module.split(".")[0] not in {"random", "time", "os", "pathlib",
                                                        "io", "secrets", "uuid"}, (name, module)
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert called not in {"today", "now", "utcnow", "open", "read_text",
                                      "read_bytes"}, f"{name} calls {called}()"
