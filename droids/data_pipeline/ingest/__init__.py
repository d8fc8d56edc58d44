"""Ingestion from Twelve Data into the catalog: the REST client, paging, cleaning, incremental writes."""
