"""Chapters: one module per chapter of the book, in the guide's order, plus the at-a-glance page and the appendix.
Each function returns a Section (table, chart, figures) for one cell of a notebook."""
