"""Helpers of the access-control and compliance checks (SEC020, CMP001..CMP003).

- `policy`: policies/access.yaml (protected paths and keys, owners, teams, GitHub logins);
- `patterns`: path globs (`trading_core/risk/**`) and YAML key patterns (`rulesets.*.drawdown.*`);
- `yamltree`: YAML value trees flattened to leaves, their differences, and the line of a key;
- `change`: the change under review (staged index vs HEAD, or work tree vs the merge base);
- `approvals`, `github_event`: who approved a change (commit trailers, pull-request reviews);
- `published`: Apex's published limits (policies/apex-published.yaml) and the comparison with apex.yaml;
- `scenarios`: the adversarial simulator scenarios CMP003 runs.
"""
