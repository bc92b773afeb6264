#!/usr/bin/env bash
# Installe le projet puis lance les contrôles : ruff, mypy, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/ruff check src tests tools bench
.venv/bin/ruff format --check src tests tools bench
.venv/bin/mypy
.venv/bin/pytest -q -n auto
