"""devops: CI/CD workflows, compose files and environment configurations checked, and blue-green
deploys of the trading core's service with health checks, smoke tests, canaries and automatic
rollback. See CARD.md; the checks are in droid.py, one folder per family (workflows/, compose/,
environments/, deploy/).
"""

from __future__ import annotations

from droids.core.manifest import Command, Manifest, PolicyFile

MANIFEST = Manifest(
    droid="droids.devops.droid:DevopsDroid",
    command=Command(
        name="deploy",
        help="Blue-green deploys of the trading core's service: --env ENV [--canary PCT], status, rollback, stop.",
        app="droids.devops.cli:app",
    ),
    policy_files=(
        PolicyFile("devops.yaml", "droids.devops.policy:DevopsPolicy", "droids.devops.policy:check_devops_policy"),
    ),
    services={
        "deploy-status": "droids.devops.deploy.status:deploy_status",
        "report-section": "droids.devops.report_section:build",
    },
)
