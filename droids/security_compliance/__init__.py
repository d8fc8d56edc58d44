"""security-compliance: secrets, SAST, access control on protected parameters, Apex compliance and
the audit trail. See CARD.md for what the droid does and what is planned; the checks are in
droid.py, one folder per family (secrets/, history/, sast/, access/, compliance/).
"""

from __future__ import annotations

from droids.core.manifest import Command, Manifest, PolicyFile

MANIFEST = Manifest(
    droid="droids.security_compliance.droid:SecurityComplianceDroid",
    command=Command(
        name="security",
        help="The security-compliance droid's commands: compliance report, git history scan.",
        app="droids.security_compliance.cli:app",
    ),
    policy_files=(
        PolicyFile(
            "access.yaml",
            "droids.security_compliance.access.policy:AccessFile",
            "droids.security_compliance.access.policy:load_access_file",
            "droids.security_compliance.access.policy:DEFAULTS_DIR",
            starter="droids.security_compliance.access.policy:STARTER",
        ),
        PolicyFile(
            "apex-published.yaml",
            "droids.security_compliance.compliance.published:PublishedFile",
            "droids.security_compliance.compliance.published:load_published_file",
            "droids.security_compliance.compliance.published:DEFAULTS_DIR",
        ),
    ),
    services={
        "secret-screen": "droids.security_compliance.secrets.runner:secret_kinds",
        "report-section": "droids.security_compliance.report_section:build",
    },
)
