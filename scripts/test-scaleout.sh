#!/bin/sh
# The scale-out profile's tests: PostgreSQL and Redis on 127.0.0.1. Skipped, visibly, when they
# are not reachable; on CI (CI=true) they must run.
PG_URL=${SCALEOUT_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
REDIS=${SCALEOUT_REDIS_URL:-redis://127.0.0.1:6379/15}
if .venv/bin/python scripts/reachable.py 127.0.0.1:5432 127.0.0.1:6379; then
  DATABASE_URL=$PG_URL REDIS_URL=$REDIS MEDIAPORTAL_SCALEOUT_TESTS=1 \
    exec .venv/bin/python -m pytest tests/scaleout tests/encoding/test_events.py tests/encoding/test_cluster.py \
      -p no:cacheprovider
fi
if [ "$CI" = "true" ]; then
  echo "FAILED: scale-out tests need PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) on CI." >&2
  exit 1
fi
echo "SKIPPED scale-out tests: PostgreSQL or Redis not reachable on 127.0.0.1 (see README, 'Scale-out profile')."
