"""The interactive questionnaire and its prompter."""
