"""Export to NautilusTrader's ParquetDataCatalog layout and encoding, without importing nautilus_trader."""
