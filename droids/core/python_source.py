"""Python source as the checks read it: one parsed module, which paths are Python, which are tests.

Modules are parsed by the run's workspace (`Workspace.python_modules`), once per file for every
check of every droid. A file that does not parse is named in a note and skipped: the interpreter,
not a check, reports syntax errors.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import PurePosixPath

from droids.core.models import Task

PYTHON_SUFFIXES = (".py", ".pyw")


@dataclass(frozen=True)
class PythonModule:
    path: str
    content: bytes
    lines: list[str]
    tree: ast.Module


def python_paths(task: Task) -> tuple[str, ...]:
    return tuple(p for p in task.targets.paths if p.endswith(PYTHON_SUFFIXES))


def parse_module(path: str, content: bytes) -> PythonModule | str:
    """The parsed module, or "path:line" (or "path") where it does not parse."""
    try:
        tree = ast.parse(content, filename=path)
    except (SyntaxError, ValueError) as exc:  # ValueError: NUL bytes in the source
        line = getattr(exc, "lineno", None)
        return f"{path}:{line}" if line else path
    return PythonModule(path, content, content.decode("utf-8", "replace").splitlines(), tree)


def is_test_path(path: str) -> bool:
    """Test code by pytest's conventions: under a tests/ folder, test_*.py, *_test.py, conftest.py."""
    parts = PurePosixPath(path).parts
    name = parts[-1] if parts else ""
    in_tests = any(p in ("tests", "test", "testing") for p in parts[:-1])
    return in_tests or name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


def unparsable_note(rule: str, unparsable: list[str]) -> list[str]:
    if not unparsable:
        return []
    shown = ", ".join(unparsable[:5]) + (f" and {len(unparsable) - 5} more" if len(unparsable) > 5 else "")
    return [f"{rule}: {len(unparsable)} Python file(s) not checked, they do not parse: {shown}"]
