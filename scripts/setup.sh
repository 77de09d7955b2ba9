#!/usr/bin/env bash
# Install everything c360-gen needs on a fresh clone: npm packages, the pinned dbt toolchain in
# ./.venv (dbt-core + dbt-duckdb, duckdb pinned to the @duckdb/node-api version), and the build.
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

echo "setup: building the CLI"
npx tsc -p tsconfig.json
echo "setup: ok (dbt-core $(.venv/bin/dbt --version 2>/dev/null | grep -m1 installed | grep -oE "[0-9]+\.[0-9]+\.[0-9]+"), node $(node --version))"
