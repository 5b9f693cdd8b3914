"""Methods: statistics (intervals, tests and their wording), rates and ratios built on the sources, comparable forces
and where a force stands among the others. Pure functions of DataFrames; nothing here glues, draws or builds a reader
table."""
