"""Follow-up of dossiers (`recours suivi`): journal of events and what is due."""
