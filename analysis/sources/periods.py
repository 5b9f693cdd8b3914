"""How periods are named: a financial or CSEW year, April to March, by the year it ends ("2023/24")."""

from __future__ import annotations


def financial_year(year_ending) -> str:
    """The year ending March `year_ending` as readers know it: 2024 -> '2023/24'."""
    year_ending = int(year_ending)
    return f"{year_ending - 1}/{str(year_ending)[2:]}"
