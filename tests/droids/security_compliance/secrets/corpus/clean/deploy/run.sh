#!/usr/bin/env bash
set -euo pipefail
: "${TWELVE_DATA_API_KEY:?must be set}"
: "${IB_PASSWORD:?must be set}"

# The key goes in a header so it never lands in proxy logs.
curl -fsS -H "Authorization: apikey ${TWELVE_DATA_API_KEY}" \
  "https://api.twelvedata.com/time_series?symbol=ES&interval=1min&outputsize=5"

curl -fsS -X POST -H 'Content-Type: application/json' \
  -d "{\"text\": \"desk started on $(hostname)\"}" "$SLACK_WEBHOOK_URL"

docker login ghcr.io -u "$GHCR_USER" --password-stdin <<<"$GHCR_TOKEN"
