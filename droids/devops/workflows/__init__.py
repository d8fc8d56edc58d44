"""CI/CD rules (OPS001-OPS006): GitHub Actions workflows checked with zizmor, the workflow JSON
Schema, and this desk's own rules (gate enforced, SARIF uploaded, no secret for pull-request code,
third-party actions pinned)."""
