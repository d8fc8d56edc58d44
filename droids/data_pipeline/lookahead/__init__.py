"""Look-ahead bias: static rules on feature and strategy code (DATA020-DATA024) and the dynamic
truncation test of the trading core's feature pipeline (DATA025)."""
