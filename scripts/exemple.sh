#!/usr/bin/env bash
# Installe le projet puis génère les documents d'un exemple fourni (Word et PDF).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exemple="${1:-examples/chrs-prefet-region.yaml}"
.venv/bin/recours verifier "$exemple"
.venv/bin/recours calculer "$exemple"
.venv/bin/recours generer "$exemple" --sortie documents-exemple --bordereau --force
