"""OPS001 Workflow security issue (zizmor): what zizmor's offline audits find in a GitHub Actions
workflow, as droid findings.

What runs: zizmor (PyPI `zizmor`, the Rust binary in its wheel) with `--offline` on the workflow
files of the task (staged blobs for a pre-commit gate, the files changed against the base in CI,
every workflow for an audit). Its offline audits find template injection (`${{ github.event... }}`
expanded into a shell), dangerous triggers (`pull_request_target`, `workflow_run`), credentials
persisted by `actions/checkout` (artipacked), excessive permissions, secrets outside `env`, cache
poisoning, insecure commands, hard-coded container credentials, unsound conditions, obfuscation,
and more (https://docs.zizmor.sh/audits/). Left out, because they need GitHub's API and this droid
runs offline: impostor-commit, ref-confusion, known-vulnerable-actions, stale-action-refs and
ref-version-mismatch. zizmor's `unpinned-uses` is left to OPS006, which applies this desk's policy
(tags allowed for `trusted_owners`, a commit SHA for everyone else) so one unpinned action is one
finding.

Each finding keeps zizmor's audit id as `subrule` (`OPS001/template-injection` in a gates.yaml
suppression), its severity and confidence, the line of zizmor's primary location, and its
documentation link. Severity: zizmor's, one step lower when its confidence is low:

| zizmor severity | confidence high/medium | confidence low |
|---|---|---|
| high | high | medium |
| medium | medium | low |
| low | low | info |
| informational | info | info |

Accepting a finding: zizmor's own `# zizmor: ignore[audit-id]` comment on the line, a zizmor
configuration in the repository (`zizmor.yml` or `.github/zizmor.yml`), or `# droid: ignore[OPS001]`.
"""

from __future__ import annotations

from collections import Counter

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding, policy
from droids.devops.workflows import model

OPS001 = RuleSpec(
    id="OPS001",
    droid=DROID,
    severity=Severity.HIGH,
    title="Workflow security issue (zizmor)",
    description=__doc__ or "",
    fix="Follow zizmor's page for the audit (named in the finding), or add '# zizmor: ignore[<audit>]' with a reason.",
)
RULES = (OPS001,)
INTENT = ("zizmor", "workflow", "github actions", "injection", "pull_request_target", "permissions", "ci")
OWNED_ELSEWHERE = frozenset({"unpinned-uses"})  # OPS006
_STEP_DOWN = {Severity.HIGH: Severity.MEDIUM, Severity.MEDIUM: Severity.LOW, Severity.LOW: Severity.INFO}
_SEVERITY = {"High": Severity.HIGH, "Medium": Severity.MEDIUM, "Low": Severity.LOW}


def applies(task: Task) -> bool:
    return bool(model.targeted(task))


def severity(zizmor_severity: str, confidence: str) -> Severity:
    base = _SEVERITY.get(zizmor_severity, Severity.INFO)
    return _STEP_DOWN.get(base, base) if confidence == "Low" else base


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.devops.workflows.zizmor_scan import CONFIG_FILES, scan, version

    workspace = ctx.workspace(task)
    files = list(workspace.contents(model.targeted(task)))
    config = next(((p, c) for p in CONFIG_FILES if (c := workspace.content_if_present(p)) is not None), None)
    outcome = scan(files, config, policy(task).workflows.zizmor_persona)
    findings, seen = [], Counter[str]()
    for r in outcome.results:
        if r.ident in OWNED_ELSEWHERE:
            continue
        where = " ".join(r.feature.split())[:200]
        seen[f"{r.path}|{r.ident}|{where}"] += 1
        fixes = f" zizmor suggests: {'; '.join(r.fixes)}." if r.fixes else ""
        findings.append(
            finding(
                OPS001,
                r.path,
                r.line,
                f"{r.desc}: {r.annotation} (zizmor {r.ident}, severity {r.severity.lower()}, "
                f"confidence {r.confidence.lower()})",
                identity=f"{r.ident}|{where}#{seen[f'{r.path}|{r.ident}|{where}']}",
                severity=severity(r.severity, r.confidence),
                title=f"{OPS001.title}: {r.ident}",
                evidence=r.ident,
                fix=f"See {r.url}.{fixes} If it is safe here, add '# zizmor: ignore[{r.ident}]' with a reason.",
                subrule=r.ident,
                zizmor_severity=r.severity,
                zizmor_confidence=r.confidence,
                more_info=r.url,
            )
        )
    notes = (
        [
            f"OPS001: zizmor {version()} ran offline; online audits not run: impostor-commit, ref-confusion, "
            "known-vulnerable-actions, stale-action-refs, ref-version-mismatch"
        ]
        if files
        else []
    )
    metrics = {"ops001_workflows": len(files), "ops001_zizmor_ignored": outcome.ignored}
    return CheckOutcome(findings=findings, notes=notes, metrics=metrics)
