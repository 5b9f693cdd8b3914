"""Sources: read one dataset each, check its bytes against the manifest and its tables against a schema, and return
tidy DataFrames keyed by ONS force code. Nothing here computes a statistic, draws a chart or formats a table."""
