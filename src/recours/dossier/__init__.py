"""The dossier: models, identifiers, loading with French error paths, JSON Schemas."""
