"""security-compliance: prevents credential leaks in the trading codebase (rule SEC001).

See CARD.md for what the droid does today and what is planned.
"""

from __future__ import annotations

from droids.security_compliance.droid import SecurityComplianceDroid

__all__ = ["SecurityComplianceDroid"]
