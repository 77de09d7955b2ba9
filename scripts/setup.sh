#!/usr/bin/env bash
# Install everything c360-gen needs on a fresh clone: npm packages, the pinned dbt toolchain in
# ./.venv (dbt-core, dbt-duckdb and dbt-postgres; duckdb pinned to the @duckdb/node-api version),
# PostgreSQL's server binaries (Debian) for the Postgres tests, and the build.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi

PY=${PYTHON:-python3}
stamp=.venv/.c360-requirements
if [ ! -x .venv/bin/dbt ] || ! cmp -s requirements-dbt.txt "$stamp"; then
  echo "setup: python venv with $(grep -E '^[a-z]' requirements-dbt.txt | tr '\n' ' ')"
  "$PY" -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dbt.txt
  cp requirements-dbt.txt "$stamp"
fi

# PostgreSQL server binaries for the Postgres tests (each test file starts a throwaway server on
# loopback; nothing is started here): Debian's package, when they are missing
if ! ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "setup: PostgreSQL server (Debian package postgresql)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
  else
    echo "setup: warning: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin); the Postgres tests need them: sudo apt-get install postgresql" >&2
  fi
fi

echo "setup: building the CLI"
npx tsc -p tsconfig.json
echo "setup: ok (dbt-core $(.venv/bin/dbt --version 2>/dev/null | grep -m1 installed | grep -oE "[0-9]+\.[0-9]+\.[0-9]+"), node $(node --version))"
