"""recours: recours gracieux et requêtes contre le sous-financement du « Ségur pour tous »."""

__version__ = "0.1.0"
