"""DATA012 Calendars disagree: pandas-market-calendars and exchange-calendars model a date differently.

Both libraries model CME Globex and both have known errors in some years (pandas_market_calendars
issues 464, 486, 343); a date where one has a session and the other none, or they differ on the
open or on an early close, is reported once per run as info, for dates the data touches. Bars are
then expected only where both say the market is open, so a disagreement never produces a missing-bar
finding. Severity info. How to fix: nothing in the data; check the exchange's notice for that date
and, if a library is wrong, report it upstream or pin a version that is right.
"""

from __future__ import annotations

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.names import DROID

RULE = RuleSpec(
    id="DATA012",
    droid=DROID,
    severity=Severity.INFO,
    title="Calendars disagree",
    description=__doc__ or "",
    fix="Check the exchange's holiday notice for the date; report a wrong library upstream or pin a correct version.",
)
