"""Expected digests of the bundled reference data (verified at start-up)."""

from __future__ import annotations

EXPECTED_SHA256 = {
    "calendars/cme_2025.csv": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "contracts/es_specs.json": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
}
MODEL_MD5 = "d41d8cd98f00b204e9800998ecf8427e"
UPSTREAM_COMMIT = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
ETAG = '"33a64df551425fcc55e4d42a148795d9f25f89d4"'
