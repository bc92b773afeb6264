"""Documents: French context, sandboxed templates, Word and PDF renderers, generation."""
