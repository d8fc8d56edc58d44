"""`droid`: the entry point, the global options and the one error handler.

Exit codes (docs: CONTRACT.md): 0 pass, 1 blocked, 2 bad input or usage, 3 internal error (a gate
fails closed), 130 interrupted. Every layer's error type means bad input and becomes one line on
stderr with exit 2; anything else is a bug: its traceback goes to a log file named on stderr.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from droids.core.errors import DroidError
from orchestrator.cli import cmd_apex, cmd_auditlog, cmd_info, cmd_init, cmd_run, cmd_sim
from orchestrator.cli.droid_commands import DroidCommandGroup
from orchestrator.cli.session import FORMATS, Session, check_format
from orchestrator.errors import OrchestratorError
from orchestrator.version import VERSION
from trading_core.errors import TradingCoreError

app = typer.Typer(
    name="droid",
    cls=DroidCommandGroup,  # the droids' own sub-commands come from their manifests
    help="Governance droids for a trading codebase: gate changes, answer questions, audit the repo.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: importing rich's markdown renderer would cost ~150 ms
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"droid {VERSION}")
        raise typer.Exit(0)


@app.callback()
def main(
    ctx: typer.Context,
    repo: Annotated[Path | None, typer.Option(help="Repository root (default: git top-level of the cwd).")] = None,
    policies: Annotated[
        Path | None,
        typer.Option(help="Policies folder (else DROID_POLICIES, [tool.droid] policies, <repo>/policies, built-ins)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to FILE.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only what the format requires.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Explain more on stderr.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    import os

    from droids.core.settings import choose_policies
    from orchestrator.targets import find_repo

    root = find_repo((repo or Path.cwd()).resolve())
    choice = choose_policies(root, policies, os.environ, Path.cwd())
    ctx.obj = Session(
        repo=root,
        policies=choice.folder,
        policies_how=choice.how,
        fmt=check_format(fmt),
        output=output,
        quiet=quiet,
        verbose=verbose,
    )


cmd_run.register(app)
cmd_init.register(app)
cmd_info.register(app)
cmd_auditlog.register(app)
cmd_apex.register(app)
cmd_sim.register(app)


def run() -> None:
    """The full CLI in this process (the `droid` script's client falls back to it): exit with the
    contract's code for `sys.argv`."""
    sys.exit(invoke(sys.argv[1:]))


@lru_cache(maxsize=1)
def click_command() -> TyperGroup:
    """The click command typer builds from `app`: ~50 ms of signature introspection, done once per
    process (calling `app(...)` would redo it on every call, i.e. on every request the warm gate
    server answers)."""
    command = typer.main.get_command(app)
    assert isinstance(command, TyperGroup)
    return command


def invoke(argv: list[str]) -> int:
    """Run the app on `argv`, writing to sys.stdout and sys.stderr, and map every outcome to the
    contract's exit codes. The warm gate server calls this with a client's argv."""
    from orchestrator.cli.argv import hoist_global_options

    try:
        code = click_command()(args=hoist_global_options(argv), standalone_mode=False, prog_name="droid")
    except (OrchestratorError, DroidError, TradingCoreError) as exc:
        sys.stderr.write(f"droid: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:  # as the interpreter would exit on it
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        sys.stderr.write(f"{exc.code}\n")
        return 1
    except Exception as exc:
        if hasattr(exc, "exit_code") and hasattr(exc, "show"):  # click usage errors (vendored by typer)
            exc.show()
            return 2 if exc.exit_code == 1 else exc.exit_code
        if type(exc).__name__ == "Abort":
            return 130
        log = _log_traceback()
        sys.stderr.write(f"droid: internal error: {exc.__class__.__name__}: {exc} (traceback in {log})\n")
        return 3
    return code if isinstance(code, int) else 0


def _log_traceback() -> str:
    """Where the traceback went: `.droid/logs/` of the cwd, else the temp folder; when neither can be
    written (a full disk), a word saying so: the one line on stderr stays one line."""
    name = f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}-cli.log"
    for logs in (Path.cwd() / ".droid" / "logs", Path(tempfile.gettempdir())):
        try:
            logs.mkdir(parents=True, exist_ok=True)
            (logs / name).write_text(traceback.format_exc(), encoding="utf-8")
            return str(logs / name)
        except OSError:
            continue
    return "nowhere: no writable folder for the log"


if __name__ == "__main__":
    run()
