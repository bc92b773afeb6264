"""Federation batches: workbook columns, input, rows to dossiers, runner, reports."""
