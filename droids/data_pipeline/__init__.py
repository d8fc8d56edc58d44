"""data-pipeline: Twelve Data into a Parquet catalog, cleaning, validation against the CME calendar,
look-ahead bias, NautilusTrader export. See CARD.md; the checks are in droid.py."""

from __future__ import annotations

from droids.core.manifest import Command, Manifest, PolicyFile

MANIFEST = Manifest(
    droid="droids.data_pipeline.droid:DataPipelineDroid",
    command=Command(
        name="data",
        help="Market data: ingest from Twelve Data, check bars and catalogs, export for NautilusTrader.",
        app="droids.data_pipeline.cli:app",
    ),
    policy_files=(
        PolicyFile(
            "data.yaml", "droids.data_pipeline.policy:DataPolicy", "droids.data_pipeline.policy:check_data_policy"
        ),
    ),
    services={
        "catalog-freshness": "droids.data_pipeline.catalog.freshness:catalog_freshness",
        "report-section": "droids.data_pipeline.report_section:build",
    },
)
