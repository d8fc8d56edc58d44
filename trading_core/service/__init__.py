"""The trading core as a long-running service: the OnTick pipeline behind a small HTTP API.

    python -m trading_core.service --env staging [--port 0 --port-file F] [--version V --commit C]

One process runs one engine (strategy, SENTINEL, the Apex guard, the ONNX model) on the generated
market of policies/sim.yaml, in the environment configuration `config/<env>.yaml`:

    GET  /healthz   200 {"status": "ok", version, commit, env, code, uptime_s}; 503 when not ready
    GET  /config    the environment configuration the process loaded (secrets only as references)
    GET  /metrics   requests and errors served, OnTick latency (count, p50, p99, max in us)
    POST /tick      (or GET) one market event through the pipeline; its decision as JSON

It binds 127.0.0.1 only. `droid deploy` runs one per version behind its reverse proxy (blue-green).
"""
