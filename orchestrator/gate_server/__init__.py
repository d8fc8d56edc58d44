"""The warm gate server: `droid gate` answered by a process that has already imported everything.

A pre-commit gate of one small file spends most of a cold run importing (langgraph alone ~1.3 s);
the gate itself takes ~0.1 s once everything is loaded. The `droid` console script is therefore a
thin client (orchestrator/cli/entry.py, standard library only) that, for `droid gate ...`, asks a
local server over a Unix socket at `<repo>/.droid/server/gate.sock`. The server runs the very same
CLI (`orchestrator.cli.main`, the LangGraph graph deciding) in its process, with the client's argv,
working directory, environment, umask and terminal, and hands back the exit code and output.

- On demand: no server answering means the client runs the gate in its own process and starts one,
  detached, for the next call (never waiting for it). It exits after 15 idle minutes
  (`DROID_SERVER_IDLE` seconds).
- Off: `DROID_NO_SERVER=1`; never used when `CI` is set (a one-shot run gains nothing).
- Fails closed: any trouble reaching or hearing from the server (refused, timeout, malformed reply,
  a crash mid-request) means the gate runs in the client's process; a gate never passes because
  the server failed.
- The repository is data: `.droid/server/` is made 0700 and the socket 0600; a `.droid` or
  `.droid/server` that is a symlink, or is not owned by the user, or a socket the user does not own,
  is refused (the gate runs in process, with a note). The server checks each peer's uid, serves only
  gate requests for its own repository, and only clients running the same installed droid: a request
  carries droid's version and a fingerprint of the installed code (`fingerprint.py`); on a mismatch
  the server answers "stale" and exits, and the client runs in process and starts a fresh one.
- Nothing of one request survives into the next: policies are read by the CLI on every run, droid's
  modules keep no snapshot of the environment or the repository, and a request that leaves a thread
  behind (a droid that overran its time limit) ends the server after its reply.

Modules: `place` (where the socket lives, the safety checks), `fingerprint`, `wire` (frames),
`client` (standard library only), `request` (one request's scope), `server` (the loop).
"""

from __future__ import annotations
