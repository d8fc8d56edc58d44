"""Blue-green deploys of the trading core's service on 127.0.0.1: releases exported from commits,
one process per version, a reverse proxy in front, health and smoke checks, canaries, rollback."""
