"""Bars as the droid reads and writes them: the schema, the streamed readers, the Parquet catalog."""
