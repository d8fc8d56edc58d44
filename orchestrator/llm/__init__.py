"""`droid ask` answered by a language model (Anthropic's Messages API) when ANTHROPIC_API_KEY is set.

The model never decides anything droid's code decides: routing by triggers, the checks, findings,
suppressions, the verdict and the exit code stay computed by code. The model only
- chooses droids for a question no trigger or @mention matched (`routing.RoutingFallback`; only
  registered names are kept), and
- writes the answer's text, calling read-only tools that code runs (tools.py): the droids, one
  check, the last audit's findings, the audit trail, an Apex journal's status, the latency budgets,
  and the droids' services (catalog freshness, monitor state, deploy status).
Every tool result, and the question, is screened for secrets before it enters a prompt
(redact.py); an answer that cites a rule id, path or fingerprint no tool returned is replaced by
droid's own answer (cite.py); any failure (no `anthropic` package, the API, the time limit) falls
back to droid's own answer with one line saying why. Settings: gates.yaml `llm:`.

This module is imported on every `droid ask`: it imports nothing, so a run without a key is exactly
as fast as before (the `anthropic` SDK is imported only by client.py, only when a key is set).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

KEY_VARIABLE = "ANTHROPIC_API_KEY"


def key_set(env: Mapping[str, str] | None = None) -> bool:
    """True when an API key is configured: the model is then asked; else droid's own path runs."""
    return bool((os.environ if env is None else env).get(KEY_VARIABLE, "").strip())
