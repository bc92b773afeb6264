"""Custom templates for lawyers: export, variable reference, checks."""
