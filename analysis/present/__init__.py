"""Presentation: the chart theme and offline renderer, chart and map factories, reader tables, number formatting,
glue and the figure register."""
