"""The answer's conversation: the model asks for tools, code runs them, until the model answers.

Every `tool_use` of a turn is answered by a `tool_result` with its id in the next message (the API
refuses a conversation that leaves one unanswered, with a 400): results of tools that ran, errors of
tools that could not, and past the cap (gates.yaml `llm.max_tool_calls`) an error telling the model
to answer with what it has. A model that still asks for tools after that, answers nothing, or is
cut off at `max_tokens` fails the conversation (the caller then gives droid's own answer).
Every result is screened for secrets before it joins the conversation, and remembered as evidence
the answer may cite.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import to_jsonable_python

from orchestrator.llm.cite import Evidence
from orchestrator.llm.client import ModelClient, ModelFailure
from orchestrator.llm.redact import Redactor
from orchestrator.llm.tool_runs import ToolContext
from orchestrator.llm.tools import run_tool

OVER_CAP = "tool call limit of {cap} for this question reached: answer now with what you have"
MAX_RESULT_CHARS = 60_000  # one tool result; a larger one is refused, so the model asks for less
TOO_LARGE = "the result is {size} characters, over {limit}: ask for less (a limit, one rule, some paths)"


@dataclass
class Conversation:
    client: ModelClient
    redactor: Redactor
    tools: ToolContext
    declared: list[dict[str, Any]]
    max_tool_calls: int
    evidence: Evidence = field(default_factory=Evidence)
    messages: list[dict[str, Any]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)

    def answer(self, system: str, first: str) -> str:
        """The model's final text for the question whose first message is `first`."""
        self.messages.append({"role": "user", "content": first})
        by_name = {t["name"]: t for t in self.declared}
        refused = False
        for _ in range(self.max_tool_calls + 3):  # the cap's turns, the refusal's turn, the answer
            turn = self.client.turn(system=system, messages=self.messages, tools=self.declared)
            uses = turn.tool_uses()
            if not uses:
                return self._final(turn.text(), turn.stop_reason)
            self.messages.append({"role": "assistant", "content": turn.content})
            if refused:
                raise ModelFailure(f"the model kept asking for tools past the limit of {self.max_tool_calls}")
            results = []
            for use in uses:
                if len(self.calls) >= self.max_tool_calls:
                    refused = True
                    content, is_error = {"error": OVER_CAP.format(cap=self.max_tool_calls)}, True
                else:
                    self.calls.append(use["name"])
                    content, is_error = run_tool(self.tools, use["name"], use["input"], by_name)
                results.append(self._result(use["id"], content, is_error))
            self.messages.append({"role": "user", "content": results})
        raise ModelFailure("the model gave no answer")  # not reached: the loop's bound covers every path

    def _result(self, tool_use_id: str, content: Any, is_error: bool) -> dict[str, Any]:
        content = to_jsonable_python(content, fallback=str)
        size = len(json.dumps(content, ensure_ascii=False))
        if size > MAX_RESULT_CHARS:
            content, is_error = {"error": TOO_LARGE.format(size=size, limit=MAX_RESULT_CHARS)}, True
        clean = self.redactor.clean(content)
        self.evidence.add(clean)
        block = {"type": "tool_result", "tool_use_id": tool_use_id, "content": json.dumps(clean, ensure_ascii=False)}
        if is_error:
            block["is_error"] = True
        return block

    @staticmethod
    def _final(text: str, stop_reason: str | None) -> str:
        if stop_reason == "max_tokens":
            raise ModelFailure("the answer was cut off at max_tokens (gates.yaml llm.max_tokens)")
        if not text.strip():
            raise ModelFailure(f"the model answered nothing (stop_reason {stop_reason})")
        return text.strip()
