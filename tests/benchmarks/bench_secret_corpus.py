"""Recall by value and false alarms of SEC001 against detect-secrets' CLI, on the same format corpus.

    python tests/benchmarks/bench_secret_corpus.py [--seed 1] [--keep DIR]

The corpus (tests/droids/security_compliance/secrets/format_corpus.py, values built at run time)
holds every credential format SEC001 knows by value, each under a plain name (`value`, `item`,
`data`...) in .py, .yaml, .json, .env, .sh, .md and .log files plus the kinds a format is written
in (NuGet.Config, a PEM file...), and a negative set of documented example keys, placeholders,
runs, SHAs and digests, UUIDs, transaction hashes, DNA and fake tokens. Both tools scan the same
directory: SEC001 through its engine and finding rules, detect-secrets as a user runs it
(`detect-secrets scan --all-files DIR`). A line counts as found when the tool reports anything on
it; "by format" when the report names a format (not only "High Entropy String" or "Secret
Keyword"); "blocking" when SEC001's severity is high or critical (detect-secrets has no severity:
every finding of it fails its pre-commit hook).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SHAPED = {"Base64 High Entropy String", "Hex High Entropy String", "Secret Keyword"}


def detect_secrets(root: Path) -> tuple[dict[tuple[str, int], set[str]], float]:
    cli = Path(sys.executable).parent / "detect-secrets"
    started = time.perf_counter()
    proc = subprocess.run([str(cli), "scan", "--all-files", "."], cwd=root, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    for path, results in json.loads(proc.stdout)["results"].items():
        for result in results:
            found[(path, result["line_number"])].add(result["type"])
    return found, elapsed


def summarise(label: str, by_format: dict[str, list[tuple[bool, bool, bool]]]) -> None:
    pairs = [v for values in by_format.values() for v in values]
    every = sum(all(found for found, _, _ in v) for v in by_format.values())
    named = sum(all(found and fmt for found, fmt, _ in v) for v in by_format.values())
    blocking = sum(all(block for _, _, block in v) for v in by_format.values())
    n = len(by_format)
    print(
        f"  {label:15} formats found in every kind {every}/{n} ({every / n:.1%}), by format {named}/{n} "
        f"({named / n:.1%}), blocking in every kind {blocking}/{n}; lines found {sum(f for f, _, _ in pairs)}"
        f"/{len(pairs)} ({sum(f for f, _, _ in pairs) / len(pairs):.1%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the corpus here instead of a temporary directory")
    args = parser.parse_args()
    from importlib.metadata import version

    from tests.droids.security_compliance.secrets import format_corpus as fc

    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {load}")
    print(f"detect-secrets {version('detect-secrets')}, seed {args.seed}")
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        for name, samples in (
            ("positives", list(fc.positives(args.seed))),
            ("negatives", list(fc.negatives(args.seed))),
        ):
            root = (args.keep or Path(tmp)) / name
            root.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            ours = fc.scan_with_sec001(samples, root)
            our_time = time.perf_counter() - started
            where = {sample: key for key, sample in fc.write(samples, root).items()}
            theirs, their_time = detect_secrets(root)
            print(f"\n{name}: {len(samples)} lines in {len({k[0] for k in where.values()})} files;"
                  f" SEC001 {our_time:.2f} s (in process), detect-secrets CLI {their_time:.2f} s")  # fmt: skip
            if name == "positives":
                mine: dict[str, list[tuple[bool, bool, bool]]] = defaultdict(list)
                upstream: dict[str, list[tuple[bool, bool, bool]]] = defaultdict(list)
                for sample, verdict in ours.items():
                    mine[sample.name].append((verdict.found, verdict.named, verdict.severity in ("high", "critical")))
                    types = theirs.get(where[sample], set())
                    upstream[sample.name].append((bool(types), bool(types - SHAPED), bool(types)))
                summarise("SEC001", mine)
                summarise("detect-secrets", upstream)
                for kind in fc.KINDS:
                    rows = [(ours[s].found, bool(theirs.get(where[s]))) for s in samples if s.kind == kind]
                    print(f"    {kind:6} SEC001 {sum(a for a, _ in rows)}/{len(rows)}, detect-secrets "
                          f"{sum(b for _, b in rows)}/{len(rows)}")  # fmt: skip
                only_ours = sorted(f for f in mine if all(x[0] for x in mine[f]) and not all(x[0] for x in upstream[f]))
                print(f"  found by SEC001 in every kind, not by detect-secrets: {len(only_ours)}")
            else:
                flagged = sum(v.found for v in ours.values())
                blocking = sum(v.severity in ("high", "critical", "medium") for v in ours.values())
                ds = sum(bool(theirs.get(where[s])) for s in samples)
                n = len(samples)
                print(f"  SEC001: flagged {flagged}/{n} ({flagged / n:.1%}), at medium or above {blocking}/{n}"
                      f" ({blocking / n:.1%})\n  detect-secrets: flagged {ds}/{n} ({ds / n:.1%})")  # fmt: skip
                names = sorted({s.name for s in samples if theirs.get(where[s])})
                print(f"  detect-secrets flags: {', '.join(names)}")


if __name__ == "__main__":
    main()
