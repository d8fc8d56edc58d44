"""What runs where: the "deploy-status" service (manifest) and `droid deploy status`.

For each environment with deploy state: the proxy (port, alive), the live version (commit, tag,
pid, port, health), the last deploys, and whether the running service's configuration (`/config`)
is the one committed at HEAD (`config/<env>.yaml`): the keys that differ, values of secret-named
keys never shown. Read-only: it starts and stops nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from droids.core import git
from droids.devops.deploy import processes, state
from trading_core.policy.yamldoc import leaves


def environments(state_dir: Path) -> list[str]:
    root = state_dir / "deploy"
    return sorted(p.name for p in root.iterdir() if (p / "state.json").is_file()) if root.is_dir() else []


def committed_config(repo: Path, env: str) -> dict[str, Any] | None:
    """config/<env>.yaml at HEAD, as the service reports it (secrets masked), or None when absent."""
    import tempfile

    from trading_core.service.config import load_service_config

    found = git.read_objects(repo, [f"HEAD:config/{env}.yaml"]).get(f"HEAD:config/{env}.yaml")
    if found is None:
        return None
    with tempfile.TemporaryDirectory(prefix="droid-config-") as tmp:
        path = Path(tmp) / f"{env}.yaml"
        path.write_bytes(found)
        return load_service_config(path)[1]


def config_drift(committed: dict[str, Any] | None, running: dict[str, Any] | None) -> list[str]:
    """Dotted keys whose value differs between the committed and the running configuration."""
    if committed is None or running is None:
        return []
    a, b = dict(leaves(committed)), dict(leaves(running))
    return [".".join(k) for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)]


def env_status(repo: Path, state_dir: Path, env: str) -> dict[str, Any]:
    current = state.read(state_dir, env)
    proxy, live = current.get("proxy"), current.get("live")
    out: dict[str, Any] = {"env": env, "proxy": None, "live": None, "history": current.get("history", [])[-5:]}
    if proxy:
        out["proxy"] = {"port": proxy["port"], "pid": proxy["pid"], "alive": processes.alive(proxy["pid"])}
    if live:
        info = {k: live.get(k) for k in ("version", "commit", "tag", "pid", "port", "started")}
        try:
            health, _ = processes.request(live["port"], "GET", "/healthz", timeout_s=2.0)
            status, body = processes.request(live["port"], "GET", "/config", timeout_s=2.0)
            running = body.get("config") if status == 200 and isinstance(body, dict) else None
        except OSError:
            health, running = 0, None
        info["healthy"] = health == 200
        head = git.head(repo)
        info["head"] = head
        info["behind_head"] = bool(head and head != live.get("commit"))
        info["config_drift"] = config_drift(committed_config(repo, env), running) if running is not None else None
        out["live"] = info
    return out


def deploy_status(repo: Path, env: str | None = None) -> dict[str, Any]:
    """The "deploy-status" service: {"environments": [env_status, ...]} for `env` or every one."""
    state_dir = Path(repo) / ".droid"
    names = [env] if env else environments(state_dir)
    return {"environments": [env_status(Path(repo), state_dir, n) for n in names]}
