"""The Parquet catalog: partitions by symbol, interval, year and month; coverage and source in metadata."""
