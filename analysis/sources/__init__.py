"""Sources: read one dataset each, check its bytes against the manifest and its tables against a schema, and return
tidy DataFrames keyed by ONS force code, with what that dataset alone gives (totals, rates per resident, its own
checks and flags). No interval or test, no chart, no reader table, no glued figure: those are the layers above."""
