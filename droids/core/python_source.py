"""The Python files of a task and their syntax trees, for the checks that read Python (SEC003, SEC004).

Content comes from `iter_contents`: the index blob for a staged target, the file otherwise. A file
that cannot be read is bad input (as for SEC001); a file that does not parse is named in a note
and skipped: the interpreter, not a security check, reports syntax errors.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from droids.core.errors import DroidError
from droids.core.models import Task
from droids.core.workspace import iter_contents

PYTHON_SUFFIXES = (".py", ".pyw")


@dataclass(frozen=True)
class PythonModule:
    path: str
    content: bytes
    lines: list[str]
    tree: ast.Module


def python_paths(task: Task) -> tuple[str, ...]:
    return tuple(p for p in task.targets.paths if p.endswith(PYTHON_SUFFIXES))


def parsed_modules(task: Task, paths: tuple[str, ...], unparsable: list[str]) -> Iterator[PythonModule]:
    """Each parsable module among `paths`; the paths that do not parse are appended to `unparsable`."""
    for path, content in iter_contents(task, paths):
        if isinstance(content, OSError):
            raise DroidError(f"{path}: cannot read ({content.strerror or content})")
        try:
            tree = ast.parse(content, filename=path)
        except (SyntaxError, ValueError) as exc:  # ValueError: NUL bytes in the source
            line = getattr(exc, "lineno", None)
            unparsable.append(f"{path}:{line}" if line else path)
            continue
        yield PythonModule(path, content, content.decode("utf-8", "replace").splitlines(), tree)


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
