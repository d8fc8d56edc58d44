"""SEC002's history scan: secrets in every commit reachable from any ref (see sec002_history.py)."""
