#!/usr/bin/env bash
# Installe le projet puis génère les documents d'un exemple fourni (Word et PDF).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exemple="${1:-examples/chrs-prefet-region.yaml}"
# Les exemples sont datés du 20 novembre 2026 (date_document) : leurs délais sont calculés à
# cette date.
.venv/bin/recours verifier "$exemple" --aujourdhui 2026-11-20
.venv/bin/recours calculer "$exemple" --aujourdhui 2026-11-20
.venv/bin/recours generer "$exemple" --sortie documents-exemple --bordereau --force --aujourdhui 2026-11-20
