"""The Python files of a task and their syntax trees, for the checks that read Python (SEC003, SEC004).

Content comes from `iter_contents`: the index blob for a staged target, the file otherwise. A file
that cannot be read is bad input (as for SEC001); a file that does not parse is named in a note
and skipped: the interpreter, not a security check, reports syntax errors.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from droids.core.errors import DroidError
from droids.core.models import Task
from droids.core.workspace import iter_contents

PYTHON_SUFFIXES = (".py", ".pyw")


@dataclass(frozen=True)
class PythonModule:
    path: str
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
        yield PythonModule(path, content.decode("utf-8", "replace").splitlines(), tree)


def unparsable_note(rule: str, unparsable: list[str]) -> list[str]:
    if not unparsable:
        return []
    shown = ", ".join(unparsable[:5]) + (f" and {len(unparsable) - 5} more" if len(unparsable) > 5 else "")
    return [f"{rule}: {len(unparsable)} Python file(s) not checked, they do not parse: {shown}"]
