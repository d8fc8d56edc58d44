"""security-compliance: secrets, SAST, access control on protected parameters, Apex compliance and
the audit trail. See CARD.md for what the droid does and what is planned.
"""

from __future__ import annotations

from droids.security_compliance.droid import SecurityComplianceDroid

__all__ = ["SecurityComplianceDroid"]
