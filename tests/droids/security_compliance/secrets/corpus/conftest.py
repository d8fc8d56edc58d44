"""The corpus holds files to scan, not tests: pytest must not collect or import anything below."""

collect_ignore_glob = ["clean"]
