"""`droid deploy --env ENV [--canary PCT]`: one blue-green deploy of the trading core's service.

    authorise -> export the release -> start it beside the running version -> health -> smoke
      -> [canary: PCT % of requests for canary.duration_s, health watched, then judged]
      -> switch (one routing change in the proxy) -> watch for watch_s -> drain and stop the old one

The running version keeps serving until the switch and stays ready until the watch ends: a failing
health check or smoke test, a canary that is not fit, or a new version whose health fails after the
switch sends every request back to it (rollback), measured from the failed probe to the routing
change (`rollback_ms`; probes every check_interval_s, two failures in a row). Every deploy, refusal,
promotion and rollback is an audit-trail entry (kind "deploy", "promotion" or "rollback", profile
"deploy") with who and which commit; a successful deploy is tagged `deploy/<env>/v<N>` in git.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from droids.core import git
from droids.core.errors import DroidError
from droids.devops.deploy import processes, releases, smoke, state
from droids.devops.deploy.authorise import refusals
from droids.devops.deploy.canary import judge
from droids.devops.policy import DeployPolicy, DeployTarget

PROXY_MARKER = "droids.devops.deploy.proxy"
FAILURES_TO_ROLLBACK = 2


@dataclass
class Outcome:
    result: str  # deployed, promoted, rolled back, refused, failed
    env: str
    version: str
    commit: str
    reasons: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    audit: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.result in ("deployed", "promoted")


@dataclass
class Deployer:
    repo: Path
    policies: Path
    state_dir: Path
    settings: DeployPolicy
    who: str
    say: Callable[[str], None] = lambda _: None
    _env: str = ""

    # -- the deploy -------------------------------------------------------------------------------
    def deploy(self, env: str, rev: str = "HEAD", canary_pct: float | None = None, action: str = "deploy") -> Outcome:
        target = self._target(env)
        self._env = env
        commit = releases.resolve(self.repo, rev)
        version = commit[:12]
        out = Outcome("failed", env, version, commit)
        refused = refusals(env, target, self.who, commit, self.repo, self.policies)
        if refused:
            out.result, out.reasons = "refused", refused
            self._audit(out, action, "refused", {"reasons": refused})
            return out
        with state.locked(self.state_dir, env):
            current = state.read(self.state_dir, env)
            proxy_port = self._proxy(env, target, current)
            release = releases.export(self.repo, self.state_dir / "deploy" / "releases", commit)
            self.say(f"{env}: release {version} exported to {release}")
            new = self._start(env, version, commit, release)
            old = current.get("live")
            try:
                out = self._roll(env, out, new, old, proxy_port, canary_pct, action)
            finally:
                if not out.ok:
                    processes.stop(new["pid"], smoke.MARKER)
                current["live"] = new if out.ok else old
                current["canary"] = None
                state.record(
                    current,
                    action,
                    out.result,
                    version=version,
                    commit=commit,
                    who=self.who,
                    tag=new.get("tag"),
                    reasons=out.reasons[:3],
                )
                state.write(self.state_dir, env, current)
                releases.prune(
                    self.state_dir / "deploy" / "releases",
                    self.settings.keep_releases,
                    {v["release"].rsplit("/", 1)[-1] for v in (current["live"],) if v},
                )
        return out

    def _roll(
        self, env: str, out: Outcome, new: dict, old: dict | None, proxy: int, canary_pct: float | None, action: str
    ) -> Outcome:
        release = Path(new["release"])
        why = smoke.wait_healthy(
            new["port"], new["version"], release, self.settings.health_timeout_s, self.settings.check_interval_s
        )
        if why:
            return self._abort(out, old, proxy, action, f"health check failed: {why}")
        self.say(f"{env}: {new['version']} is healthy on 127.0.0.1:{new['port']}; smoke test")
        why = smoke.smoke(
            new["port"],
            env,
            release,
            self.state_dir / "deploy" / env / f"smoke-{new['version']}",
            requests=self.settings.smoke_requests,
            days=self.settings.smoke_days,
            timeout_s=self.settings.smoke_timeout_s,
        )
        if why:
            return self._abort(out, old, proxy, action, f"smoke test failed: {why}")
        self.say(f"{env}: smoke test passed (simulated session checked by the Apex engine)")
        if old is not None and canary_pct:
            verdict = self._canary(env, new, old, proxy, canary_pct, out)
            if verdict is not None:
                return self._abort(out, old, proxy, action, verdict, rolled=True)
        self._route(proxy, [(new, 100)] + ([(old, 0)] if old else []))
        self.say(f"{env}: switched to {new['version']}; watching its health for {self.settings.watch_s:g} s")
        failed_at = self._watch(new, self.settings.watch_s)
        if failed_at is not None:
            if old is None:
                return self._abort(
                    out, None, proxy, action, "health check failed after the switch (no version to go back to)"
                )
            self._route(proxy, [(old, 100)])
            out.figures["rollback_ms"] = round((time.monotonic() - failed_at) * 1000)
            return self._abort(out, old, proxy, action, "health check failed after the switch", rolled=True)
        if old is not None:
            self._drain(proxy, old)
        self._route(proxy, [(new, 100)])
        new["tag"] = self._tag(env, new["commit"])
        out.result = "promoted" if canary_pct and old else "deployed"
        self._audit(
            out,
            "promotion" if out.result == "promoted" else action,
            "pass",
            {"from": old["version"] if old else None, "tag": new["tag"], "canary_pct": canary_pct},
        )
        self.say(f"{env}: {out.result} {new['version']} ({new['tag']}); serving on 127.0.0.1:{proxy}")
        return out

    def _canary(self, env: str, new: dict, old: dict, proxy: int, pct: float, out: Outcome) -> str | None:
        """Send `pct` % to the new version for the canary window; None when it may be promoted."""
        weight = max(1, min(99, round(pct)))
        before = self._stats(proxy)
        self._route(proxy, [(old, 100 - weight), (new, weight)])
        self.say(f"{env}: canary {new['version']} takes {weight} % for {self.settings.canary.duration_s:g} s")
        failed_at = self._watch(new, self.settings.canary.duration_s)
        if failed_at is not None:
            self._route(proxy, [(old, 100)])
            out.figures["rollback_ms"] = round((time.monotonic() - failed_at) * 1000)
            return "the canary's health check failed"
        after = self._stats(proxy)

        def delta(v: dict) -> tuple[int, int]:
            a, b = after.get(v["name"], {}), before.get(v["name"], {})
            return a.get("errors", 0) - b.get("errors", 0), a.get("requests", 0) - b.get("requests", 0)

        budget = self._budget_us(Path(new["release"]))
        verdict = judge(delta(new), delta(old), self._p99(new), self._p99(old), budget, self.settings.canary)
        out.figures.update(verdict.figures)
        self.say(f"{env}: canary judged: {'; '.join(verdict.reasons)}")
        if verdict.promote:
            out.reasons += list(verdict.reasons)
            return None
        started = time.monotonic()
        self._route(proxy, [(old, 100)])
        out.figures["rollback_ms"] = round((time.monotonic() - started) * 1000)
        return "canary not promoted: " + "; ".join(verdict.reasons)

    # -- pieces -----------------------------------------------------------------------------------
    def _target(self, env: str) -> DeployTarget:
        target = self.settings.environments.get(env)
        if target is None:
            known = ", ".join(self.settings.environments) or "none"
            raise DroidError(f"--env {env}: not a deploy environment of policies/devops.yaml (expected: {known})")
        return target

    def _abort(
        self, out: Outcome, old: dict | None, proxy: int, action: str, why: str, rolled: bool = False
    ) -> Outcome:
        out.reasons.insert(0, why)
        out.result = "rolled back" if old is not None else "failed"
        details = {"reason": why[:500], "back_to": old["version"] if old else None, **out.figures}
        self._audit(out, "rollback" if old is not None else action, "fail", details)
        self.say(f"{out.env}: {why}; " + (f"{old['version']} keeps serving" if old else "nothing deployed"))
        return out

    def _audit(self, out: Outcome, kind: str, verdict: str, details: dict[str, Any]) -> None:
        from droids.core.audit.trail import open_store

        with open_store(self.repo) as store:
            entry = store.append(
                kind=kind,
                profile="deploy",
                verdict=verdict,
                counts={},
                who=self.who,
                head=out.commit,
                details={"env": out.env, "version": out.version, **details},
            )
        out.audit.append({"seq": entry.seq, "kind": kind, "verdict": verdict})

    def _proxy(self, env: str, target: DeployTarget, current: dict) -> int:
        proxy = current.get("proxy")
        if proxy and processes.alive(proxy["pid"]) and processes.ours(proxy["pid"], PROXY_MARKER):
            return int(proxy["port"])
        folder = state.env_dir(self.state_dir, env)
        token_file, port_file, log = folder / "proxy.token", folder / "proxy.port", folder / "proxy.log"
        token_file.touch(mode=0o600)
        token_file.write_text(secrets.token_urlsafe(24))
        port_file.unlink(missing_ok=True)
        pid = processes.spawn(
            [
                "-m",
                PROXY_MARKER,
                "--port",
                str(target.port),
                "--port-file",
                str(port_file),
                "--token-file",
                str(token_file),
            ],
            cwd=self.repo,
            log=log,
        )
        port = processes.wait_for_port(port_file, pid, 10.0, log)
        current["proxy"] = {"pid": pid, "port": port}
        self.say(f"{env}: reverse proxy started on 127.0.0.1:{port}")
        return port

    def _start(self, env: str, version: str, commit: str, release: Path) -> dict[str, Any]:
        folder = state.env_dir(self.state_dir, env)
        port_file, log = folder / f"service-{version}.port", folder / f"service-{version}.log"
        port_file.unlink(missing_ok=True)
        pid = processes.spawn(
            [
                "-m",
                smoke.MARKER,
                "--env",
                env,
                "--port",
                "0",
                "--port-file",
                str(port_file),
                "--version",
                version,
                "--commit",
                commit,
            ],
            cwd=release,
            log=log,
            env={"PYTHONPATH": str(release)},
        )
        port = processes.wait_for_port(port_file, pid, self.settings.health_timeout_s, log)
        name = f"{version}-{pid}"
        return {
            "name": name,
            "version": version,
            "commit": commit,
            "pid": pid,
            "port": port,
            "release": str(release),
            "started": state.now(),
            "tag": None,
        }

    def _token(self, _proxy: int) -> dict[str, str]:
        token = (state.env_dir(self.state_dir, self._env) / "proxy.token").read_text().strip()
        return {"X-Droid-Proxy-Token": token}

    def _route(self, proxy: int, versions: list[tuple[dict, int]]) -> None:
        routes = [{"name": v["name"], "port": v["port"], "weight": w} for v, w in versions]
        status, body = processes.request(
            proxy, "PUT", "/_proxy/routes", body={"routes": routes}, headers=self._token(proxy)
        )
        if status != 200:
            raise DroidError(f"the reverse proxy refused the routes ({status}: {body})")

    def _stats(self, proxy: int) -> dict[str, dict[str, int]]:
        status, body = processes.request(proxy, "GET", "/_proxy/state", headers=self._token(proxy))
        return body.get("stats", {}) if status == 200 and isinstance(body, dict) else {}

    def _watch(self, version: dict, seconds: float) -> float | None:
        """Probe /healthz every check interval for `seconds`; the time of the first of two failures."""
        deadline, failures, first = time.monotonic() + seconds, 0, None
        release = Path(version["release"])
        while time.monotonic() < deadline:
            if smoke.healthy(version["port"], version["version"], release):
                failures += 1
                first = first or time.monotonic()
                if failures >= FAILURES_TO_ROLLBACK:
                    return first
            else:
                failures, first = 0, None
            time.sleep(self.settings.check_interval_s)
        return None

    def _drain(self, proxy: int, old: dict) -> None:
        """Let the old version finish what it was sent, then stop it."""
        deadline = time.monotonic() + max(self.settings.drain_s, 0.0) + 10.0
        time.sleep(self.settings.drain_s)
        while time.monotonic() < deadline and self._stats(proxy).get(old["name"], {}).get("inflight", 0) > 0:
            time.sleep(0.05)
        processes.stop(old["pid"], smoke.MARKER)

    def _p99(self, version: dict) -> float:
        try:
            status, body = processes.request(version["port"], "GET", "/metrics")
        except OSError:
            return float("inf")
        return (
            float(body.get("on_tick", {}).get("p99_us", 0.0))
            if status == 200 and isinstance(body, dict)
            else float("inf")
        )

    @staticmethod
    def _budget_us(release: Path) -> int:
        from trading_core.latency.budgets import load_budgets

        return int(load_budgets(release / "policies").budgets.on_tick_p99_us)

    def _tag(self, env: str, commit: str) -> str:
        existing = git.try_text(self.repo, "tag", "--list", f"deploy/{env}/v*").split()
        numbers = [int(t.rsplit("/v", 1)[1]) for t in existing if t.rsplit("/v", 1)[1].isdigit()]
        name = f"deploy/{env}/v{max(numbers, default=0) + 1}"
        git.run(self.repo, "tag", name, commit)
        return name

    # -- other actions ----------------------------------------------------------------------------
    def rollback(self, env: str) -> Outcome:
        """Deploy the last version that was live before the current one, through the same checks."""
        current = state.read(self.state_dir, env)
        live = (current.get("live") or {}).get("commit")
        earlier = [h for h in current.get("history", []) if h.get("result") in ("deployed", "promoted")]
        previous = next((h["commit"] for h in reversed(earlier) if h.get("commit") != live), None)
        if previous is None:
            raise DroidError(f"{env}: no earlier version to roll back to (deploy history: {len(earlier)} deploy(s))")
        return self.deploy(env, previous, action="rollback")

    def stop(self, env: str) -> list[str]:
        """Stop the environment's proxy and service processes (by their recorded pids)."""
        stopped = []
        with state.locked(self.state_dir, env):
            current = state.read(self.state_dir, env)
            for key, marker in (("live", smoke.MARKER), ("canary", smoke.MARKER), ("proxy", PROXY_MARKER)):
                entry = current.get(key)
                if entry and processes.stop(entry.get("pid"), marker):
                    stopped.append(f"{key} (pid {entry['pid']})")
                current[key] = None
            state.record(current, "stop", "stopped", who=self.who)
            state.write(self.state_dir, env, current)
        return stopped
