#!/usr/bin/env bash
# Installe recours puis ouvre le formulaire web (sur cet ordinateur seulement).
#   bash scripts/web.sh                 -> dossier.yaml (créé ou repris)
#   bash scripts/web.sh mon-dossier.yaml
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/recours web "${1:-dossier.yaml}" "${@:2}"
