"""The pure part: legal referential, calendar, deadlines, amounts, procedure, analysis."""
