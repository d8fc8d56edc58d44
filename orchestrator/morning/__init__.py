"""The morning report: one page per audit, built from stored results without re-running the droids.

`stored` reads the audit reports kept under `.droid/reports/` back into `RunReport`s; `changes` says
what changed since the previous audit (by fingerprint from the stored reports, or by rule counts
from the audit trail when the previous report is not stored here); `build` picks the audits, asks
every droid for its section through the registry ("report-section" services) and returns a
`MorningReport` for the renderers (orchestrator/render/morning_page.py, morning_markdown.py).
"""
