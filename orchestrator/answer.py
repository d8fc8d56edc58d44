"""The chat-style answer to `droid ask`: written by code from the findings (`compose_answer`).

It says which droids looked and why, what each droid answered, the verdict and the most severe
findings with where they are, so a one-line question gets a short, exact answer; the report below
it carries each finding's evidence and fix.

With ANTHROPIC_API_KEY set, a model may write the text in between instead (orchestrator/llm):
`model_answer` frames it with the same routing lines and the verdict as code computed it, so the
model never has the last word on the verdict. An answer that fails or cites what no tool returned
is never shown: `compose_answer`'s stays.
"""

from __future__ import annotations

from droids.core.models import RunReport

_SHOWN = 5


def compose_answer(report: RunReport) -> str:
    lines: list[str] = []
    for decision in report.routing:
        lines.append(f"Asked {decision.droid} ({', '.join(decision.reasons)}).")
    for d in report.droids:
        if d.answer:
            lines.append(d.answer)
        if d.status != "ok":
            lines.append(f"{d.name} could not finish: {d.status}: {d.error}")
    active = report.active()
    if not active:
        suppressed = len(report.findings) - len(active)
        tail = f" ({suppressed} accepted by suppression or baseline)" if suppressed else ""
        lines.append(f"No findings{tail}.")
    else:
        lines.append(f"{len(active)} finding{'s' if len(active) != 1 else ''}:")
        for f in active[:_SHOWN]:
            where = f"{f.path}:{f.line}" if f.path and f.line else (f.path or "-")
            lines.append(f"- [{f.severity.value}] {f.rule} {where}: {f.message}")
        if len(active) > _SHOWN:
            lines.append(f"- and {len(active) - _SHOWN} more (see the full report)")
    lines.append(f"Verdict: {report.verdict}" + (" (where and how to fix: below)." if active else "."))
    return "\n".join(lines)


def model_answer(report: RunReport, text: str, model: str) -> str:
    """The model's text between droid's routing lines and droid's verdict line."""
    lines = [f"Asked {d.droid} ({', '.join(d.reasons)})." for d in report.routing]
    lines += ["", text.strip(), ""]
    lines.append(
        f"Verdict: {report.verdict} (computed by droid from the findings; the text above was written by {model}"
        " from droid's tools)."
    )
    return "\n".join(lines)
