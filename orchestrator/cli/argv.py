"""Global options are accepted after the sub-command too: `droid gate --staged --policies X`.

pre-commit's `args:` and CI snippets append options after the command, and click only takes a
group's options before it. The global options that no sub-command defines itself (`--repo`,
`--policies`, `--quiet`/`-q`, `--verbose`/`-v`) are moved in front of the sub-command before click
parses; `--format`/`-f` and `--output`/`-o` stay where they are, since the run commands define their
own. Anything after `--` is left alone.
"""

from __future__ import annotations

from collections.abc import Sequence

WITH_VALUE = ("--repo", "--policies")
FLAGS = ("--quiet", "-q", "--verbose", "-v")


def hoist_global_options(argv: Sequence[str]) -> list[str]:
    """`argv` with the global options found after the first sub-command moved before it."""
    args = list(argv)
    first = next((i for i, a in enumerate(args) if not a.startswith("-") and not _is_value(args, i)), None)
    if first is None:
        return args
    head, tail, moved = args[:first], [], []
    i = first
    while i < len(args):
        arg = args[i]
        if arg == "--":
            tail += args[i:]
            break
        name = arg.split("=", 1)[0]
        if name in WITH_VALUE and "=" in arg:
            moved.append(arg)
        elif arg in WITH_VALUE and i + 1 < len(args):
            moved += [arg, args[i + 1]]
            i += 1
        elif arg in FLAGS:
            moved.append(arg)
        else:
            tail.append(arg)
        i += 1
    return head + moved + tail


def _is_value(args: list[str], i: int) -> bool:
    """True when args[i] is the value of a global option before it (`--repo PATH`)."""
    return i > 0 and args[i - 1] in (*WITH_VALUE, "--format", "-f", "--output", "-o")


def command_of(argv: Sequence[str]) -> str | None:
    """The sub-command `argv` names (`gate` in `droid --repo X gate --staged`), or None."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--":
            return None
        if not arg.startswith("-") and not _is_value(args, i):
            return arg
    return None
