"""Recompute the evidence in 'Improving public confidence in the police' from public data."""
