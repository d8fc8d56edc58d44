"""The model's part of one `droid ask`: choose droids when no trigger matched, write the answer.

`AskModel.start` returns None, after one line saying why, when the model cannot be used safely:
the `anthropic` package is not installed, or no droid offers the "secret-screen" service (nothing
is sent unscreened). Both parts never raise: a failure leaves droid's own routing (none: the
question is refused as without a key) or droid's own answer, with one line saying why, and the
exit code is the one code computed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from droids.core.card import DroidCard
from droids.core.checks import write_traceback
from droids.core.models import RunReport
from droids.core.policy import GatesPolicy
from droids.core.registry import Registry
from orchestrator.answer import model_answer
from orchestrator.llm import transcript
from orchestrator.llm.cite import other_verdict, unknown_citations
from orchestrator.llm.client import ModelClient, ModelFailure
from orchestrator.llm.clock import Clock
from orchestrator.llm.conversation import Conversation
from orchestrator.llm.prompt import ROUTE_TOOL, answer_system, first_message, route_system, route_tool
from orchestrator.llm.redact import Redactor
from orchestrator.llm.report_view import run_view
from orchestrator.llm.tool_runs import ToolContext
from orchestrator.llm.tools import declarations

NOT_INSTALLED = (
    "ANTHROPIC_API_KEY is set but the anthropic package is not installed "
    "(pip install 'droid-governance[llm]'): droid answers by itself"
)
NO_SCREEN = "no droid offers the secret-screen service, so nothing is sent to the model: droid answers by itself"


class AskModel:
    def __init__(
        self,
        *,
        repo: Path,
        policies: Path,
        state_dir: Path,
        registry: Registry,
        gates: GatesPolicy,
        question: str,
        note: Callable[[str], None],
        screen: Callable[[str], list[tuple[int, str]]],
        env: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        env = os.environ if env is None else env
        self.settings = gates.llm
        self.clock = Clock(self.settings.time_limit_s)
        self.client = ModelClient(self.settings, self.clock, env=env, sleep=sleep)
        self.redactor = Redactor(screen, env)
        self.registry, self.note = registry, note
        self.tools = ToolContext(repo, policies, state_dir, registry, gates, question, self.clock)
        self._routed: list[str] | None = None
        self.record: dict[str, Any] = {"model": self.settings.model, "question": None, "routing": None}

    @classmethod
    def start(cls, *, registry: Registry, note: Callable[[str], None], **kwargs: Any) -> AskModel | None:
        try:
            import anthropic  # noqa: F401 - only to know it is there
        except ImportError:
            note(NOT_INSTALLED)
            return None
        screen = registry.service("secret-screen")
        if screen is None:
            note(NO_SCREEN)
            return None
        try:
            return cls(registry=registry, note=note, screen=screen, **kwargs)
        except Exception as exc:  # e.g. an ANTHROPIC_BASE_URL the SDK cannot parse; its text may hold it
            note(f"the anthropic client could not be set up ({exc.__class__.__name__}): droid answers by itself")
            return None

    def question(self) -> str:
        if self.record["question"] is None:
            self.record["question"] = self.redactor.clean(self.tools.question)
        return self.record["question"]

    def route(self, request: str, cards: Sequence[DroidCard]) -> list[str]:
        """The routing fallback: the droids the model names (asked once per question)."""
        if self._routed is not None:
            return self._routed
        self._routed = []
        messages = [{"role": "user", "content": f"Question: {self.question()}"}]
        self.record["routing"] = {"messages": messages, "chose": []}
        try:
            with self.clock.running():
                turn = self.client.turn(
                    system=route_system(cards),
                    messages=messages,
                    tools=[route_tool(cards)],
                    tool_choice={"type": "tool", "name": ROUTE_TOOL},
                )
        except ModelFailure as exc:
            self.note(f"the model could not choose droids: {exc}")
            return self._routed
        except Exception as exc:
            log = write_traceback(self.tools.state_dir, "ask-route")
            self.note(
                f"the model could not choose droids: internal error: {exc.__class__.__name__} (traceback in {log})"
            )
            return self._routed
        picked = [u["input"] for u in turn.tool_uses() if u["name"] == ROUTE_TOOL and isinstance(u["input"], dict)]
        chosen = picked[0].get("droids") if picked else None
        self._routed = [n for n in chosen if isinstance(n, str)] if isinstance(chosen, list) else []
        self.record["routing"]["chose"] = self._routed
        if not any(name in self.registry.names() for name in self._routed):
            self.note("the model chose no droid for this question")
        return self._routed

    def answer(self, report: RunReport) -> None:
        """Put the model's answer in `report.answer`, or keep droid's and say why (never raises)."""
        info: dict[str, Any] = {"model": self.settings.model, "answered_by": "droid"}
        conversation: Conversation | None = None
        why = None
        try:
            conversation = self._conversation()
            with self.clock.running():
                text = conversation.answer(answer_system(self._cards(report)), self._first(report, conversation))
            known = {r.id for r in self.registry.rules()} | _apex_rules()
            unknown = unknown_citations(text, conversation.evidence, known, self.tools.repo)
            other = other_verdict(text, report.verdict)
            if other:
                why = f"the model's answer gave the verdict {other!r}, not droid's {report.verdict!r}"
            elif unknown:
                why = f"the model's answer cited {', '.join(unknown[:3])}, which no tool returned"
            else:
                report.answer = model_answer(report, text, self.settings.model)
                info.update(answered_by="model", answer=report.answer)  # JSON reports carry it here
            self.record["answer"] = text
        except ModelFailure as exc:
            why = f"the model's answer failed: {exc}"
        except Exception as exc:
            log = write_traceback(self.tools.state_dir, "ask-model")
            why = f"the model's answer failed: internal error: {exc.__class__.__name__}: {exc} (traceback in {log})"
        if why:
            info["why"] = why
            self.note(f"{why}; droid's own answer is shown")
        info.update(tool_calls=conversation.calls if conversation else [], retries=self.client.retries)
        info["redacted_strings"] = self.redactor.masked
        self.record.update(info, messages=conversation.messages if conversation else [])
        saved = transcript.save(self.tools.state_dir, self.record)
        if saved is not None:
            info["transcript"] = self.tools.rel(saved)
        report.extra["llm"] = info

    def _cards(self, report: RunReport) -> list[DroidCard]:
        """The cards of the droids in play: those the question was routed to."""
        cards = [d.card for d in (self.registry.get(r.droid) for r in report.routing) if d is not None]
        self.record["cards"] = [c.name for c in cards]
        return cards

    def _conversation(self) -> Conversation:
        return Conversation(
            client=self.client,
            redactor=self.redactor,
            tools=self.tools,
            declared=declarations(self.tools),
            max_tool_calls=self.settings.max_tool_calls,
        )

    def _first(self, report: RunReport, conversation: Conversation) -> str:
        """The question and droid's report for it, screened; what it shows may be cited."""
        view = self.redactor.clean(run_view(report))
        conversation.evidence.add(view)
        return first_message(self.question(), view)


def _apex_rules() -> set[str]:
    from trading_core.apex import RULES

    return set(RULES)
