"""Compose rules (OPS010-OPS017): docker-compose files validated against the compose specification
schema and this desk's rules for services that run next to the trading core. Checked statically:
no Docker daemon is needed or used."""
