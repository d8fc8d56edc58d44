"""`droid deploy ...`: blue-green deploys of the trading core's service (see deploy/pipeline.py).

    droid deploy --env staging|prod [--canary PCT] [--version REV]
    droid deploy status [--env ENV]
    droid deploy rollback --env ENV
    droid deploy stop --env ENV

Exit codes: 0 deployed (or promoted), 1 refused, rolled back or failed (the running version keeps
serving), 2 bad input. What runs: the trading core of the commit being deployed (its service, and
a short simulator session as the smoke test), on 127.0.0.1.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from droids.core.command import CommandContext

app = typer.Typer(
    help="Blue-green deploys of the trading core's service: --env ENV [--canary PCT], status, rollback, stop.",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)
FORMAT = typer.Option("--format", "-f", help="text or json")


@app.callback()
def deploy(
    ctx: typer.Context,
    env: Annotated[str | None, typer.Option(help="Environment of policies/devops.yaml (staging, prod).")] = None,
    canary: Annotated[
        float | None, typer.Option(min=1, max=99, help="Send PCT % to the new version first; promote if fit.")
    ] = None,
    version: Annotated[str, typer.Option(help="Commit or tag to deploy.")] = "HEAD",
    fmt: Annotated[str | None, FORMAT] = None,
) -> None:
    """Deploy a commit of the trading core's service to ENV (blue-green, health and smoke checked)."""
    if ctx.invoked_subcommand is not None:
        return
    if env is None:
        raise typer.BadParameter("--env is required (or a command: status, rollback, stop)", param_hint="--env")
    session: CommandContext = ctx.obj.with_output(fmt, None)
    outcome = _deployer(session).deploy(env, version, canary)
    _emit(session, outcome)
    raise typer.Exit(0 if outcome.ok else 1)


@app.command("rollback")
def rollback(
    ctx: typer.Context,
    env: Annotated[str, typer.Option(help="Environment to roll back.")],
    fmt: Annotated[str | None, FORMAT] = None,
) -> None:
    """Deploy the version that was live before the current one (through the same checks)."""
    session: CommandContext = ctx.obj.with_output(fmt, None)
    outcome = _deployer(session).rollback(env)
    _emit(session, outcome)
    raise typer.Exit(0 if outcome.ok else 1)


@app.command("stop")
def stop(ctx: typer.Context, env: Annotated[str, typer.Option(help="Environment to stop.")]) -> None:
    """Stop the environment's proxy and service processes."""
    session: CommandContext = ctx.obj
    stopped = _deployer(session).stop(env)
    session.emit(f"{env}: stopped {', '.join(stopped) if stopped else 'nothing (nothing was running)'}")


@app.command("status")
def status(
    ctx: typer.Context,
    env: Annotated[str | None, typer.Option(help="One environment (default: every deployed one).")] = None,
    fmt: Annotated[str | None, FORMAT] = None,
) -> None:
    """What runs where, its health, the last deploys, and the running configuration against HEAD's;
    exit 1 when a live version is unhealthy or its configuration differs from the committed one."""
    from droids.devops.deploy.status import deploy_status

    session: CommandContext = ctx.obj.with_output(fmt, None)
    report = deploy_status(session.repo, env)
    session.emit(json.dumps(report, indent=2) if session.fmt == "json" else _status_text(report))
    live = [e["live"] for e in report["environments"] if e["live"]]
    raise typer.Exit(1 if any(not v["healthy"] or v["config_drift"] for v in live) else 0)


def _deployer(session: CommandContext):
    from droids.core.audit.trail import who
    from droids.devops.common import _policy
    from droids.devops.deploy.pipeline import Deployer

    settings = _policy(session.policies, 0).deploy
    return Deployer(session.repo, session.policies, session.state_dir, settings, who(session.repo), say=session.note)


def _emit(session: CommandContext, outcome) -> None:
    if session.fmt == "json":
        session.emit(
            json.dumps(
                {k: getattr(outcome, k) for k in ("result", "env", "version", "commit", "reasons", "figures", "audit")},
                indent=2,
            )
        )
        return
    lines = [f"{outcome.env}: {outcome.result} {outcome.version} ({outcome.commit})"]
    lines += [f"  - {r}" for r in outcome.reasons]
    if "rollback_ms" in outcome.figures:
        lines.append(f"  rollback took {outcome.figures['rollback_ms']} ms")
    entries = ", ".join(f"{a['kind']} #{a['seq']} ({a['verdict']})" for a in outcome.audit)
    lines.append(f"  audit trail: {entries}")
    session.emit("\n".join(lines))


def _status_text(report: dict) -> str:
    if not report["environments"]:
        return "nothing deployed from this repository (no .droid/deploy/<env>/state.json)"
    lines = []
    for e in report["environments"]:
        proxy = e["proxy"]
        where = f"proxy 127.0.0.1:{proxy['port']} ({'up' if proxy['alive'] else 'DOWN'})" if proxy else "no proxy"
        lines.append(f"{e['env']}: {where}")
        live = e["live"]
        if live:
            drift = live["config_drift"]
            lines.append(
                f"  live {live['version']} {live['tag'] or ''} pid {live['pid']} port {live['port']}: "
                f"{'healthy' if live['healthy'] else 'UNHEALTHY'}; "
                f"{'behind HEAD' if live['behind_head'] else 'at HEAD'}; config "
                + (
                    "unknown (no answer)"
                    if drift is None
                    else ("as committed" if not drift else f"differs: {', '.join(drift)}")
                )
            )
        for h in e["history"]:
            lines.append(f"  {h['time']} {h['action']} {h.get('version', '')} {h['result']} by {h.get('who', '?')}")
    return "\n".join(lines)
