"""The key points that open a force's at-a-glance page and briefing: three to six sentences chosen by written rules from
the dashboard's own rows, each with its figure and period and a link to the page that shows its evidence.

The rules, in order (the appendix gives them to readers):
0. for the City of London, why its figures per resident say little;
1. the force's own survey, where the edition has one: its headline measure and period, and its change from a year
   earlier where that is significant (chapter 1);
2. the newest Black/White search rate ratio, where it is significantly above or below parity (chapter 3);
3. a survey measure that ONS's own test finds higher or lower than England and Wales (chapter 7), and any rate of
   events outside the 95% funnel limits around England and Wales (the chapter that draws the funnel);
4. a stock (officers, PCSOs) that changed by a tenth or more since the year before (chapter 2);
5. officers per 100,000 residents at the newest date, against the median force (chapter 2);
6. measures whose newest figure by force is more than five years old, named with their period (the appendix).
A rule that the rows do not support gives no point; no point is made of a figure the dashboard does not show.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.methods import funnel
from analysis.present.glue import Figure
from analysis.sources import forces

MAX_POINTS = 6
# A stock moving by this share of itself in a year is a point.
LARGE_CHANGE = 0.10
# A by-force figure older than this many years, at the newest period the book has, is a point.
STALE_YEARS = 5
OUTSIDE = (funnel.ABOVE_998, funnel.BELOW_998, funnel.ABOVE_95, funnel.BELOW_95)
# Where each kind of point's evidence is shown: the chapter whose force section shows the same figure for the same
# period, else the key measures on the edition's first page (the newest figures by force, the staff changes and the
# extracts' funnel places are there alone).
MEASURES = "at-a-glance.html#key-measures"
PAGES = {"survey": "01-trust-and-confidence.html", "ratio": MEASURES, "Stop and searches": MEASURES,
         "Recorded crime": MEASURES, "Deaths": "06-police-wrongdoing.html", "staff": MEASURES,
         "stale": "appendix-data-and-methods.html", "asb": "07-what-else-matters.html", "glance": "at-a-glance.html"}
CHANGE = re.compile(r"([\d,]+) (officers|PCSOs) \(FTE\), (up|down) from ([\d,]+) \2 \(FTE\) at (31 March \d{4})")


def _year(period: str) -> int | None:
    """The last year a period names, a financial year by its end ('2004/05 to 2019/20' -> 2020)."""
    years = [int(start[:2] + end) if end else int(start) for start, end in re.findall(r"\b(\d{4})(?:/(\d{2}))?", period)]
    return max(years) if years else None


def _family(measure: str) -> str:
    """A measure without its qualifier: the newest row and the official one it updates are one family."""
    return measure.split(" (")[0]


def points(rows: pd.DataFrame, code: str, outlier: str = "") -> list[dict]:
    """The key points for one force from its dashboard rows (and, for the City of London, its outlier note): text,
    the datasets it rests on, and the page it links."""
    name = forces.get(code).name
    found: list[dict] = []

    def add(text: str, row, page: str) -> None:
        found.append({"text": text, "datasets": list(row["datasets"]), "page": PAGES[page]})

    if code == forces.CITY_OF_LONDON:
        found.append({"text": outlier, "datasets": [], "page": PAGES["glance"]})
    for _, row in rows[rows["england_and_wales"] == "not comparable"].iterrows():  # the force's own survey's rows
        moved = row["comparison"].split(": ")[-1] if "significantly" in row["comparison"] else ""
        add(f"{row['measure']}: {row['force']} in {row['period']}" + (f"; {moved}" if moved else "") + ".", row,
            "survey")
    ratio = rows[rows["measure"].str.startswith("Black/White")].head(1)
    for _, row in ratio.iterrows():
        if row["comparison"].startswith("Black people searched significantly more often"):
            add(f"In {row['period']}, Black people were searched significantly more often than White people per resident in "
                f"{name}'s area: a ratio of {row['force']}.", row, "ratio")
    # A rate's point comes from its newest row only: an older row a newer one contradicts makes no point.
    newest_of_family = ~rows["measure"].map(_family).duplicated()
    for _, row in rows[newest_of_family].iterrows():
        shared = "reported together" in row["comparison"]  # London's combined survey area is the Met's, not the City's
        if row["comparison"].startswith(("higher than England and Wales", "lower than England and Wales")) and not (
                shared and code == forces.CITY_OF_LONDON):
            measure, value = row["measure"], row["force"]
            if measure.endswith(" (%)"):
                measure, value = measure.removesuffix(" (%)"), f"{value}%"
            add(f"{measure}: {value} in {row['period']}, {row['comparison']}.", row, "asb")
        if row["comparison"].startswith(OUTSIDE):
            page = next(k for k in ("Stop and searches", "Recorded crime", "Deaths") if row["measure"].startswith(k))
            add(f"{row['measure']}: {row['force']} in {row['period']}, {row['comparison'].split(' (')[0]}.", row, page)
    for _, row in rows[rows["measure"].str.contains("per 100,000 residents")].iterrows():
        moved = CHANGE.search(row["comparison"])
        if moved:
            after, before = (float(moved.group(i).replace(",", "")) for i in (1, 4))
            if before and abs(after - before) / before >= LARGE_CHANGE:
                add(f"{moved.group(2)} (full-time equivalent) went {moved.group(3)} from {moved.group(4)} at "
                    f"{moved.group(5)} to {moved.group(1)} at {row['period']}.", row, "staff")
    officers = rows[rows["measure"].str.startswith("Police officers per 100,000")].head(1)
    for _, row in officers.iterrows():
        if code != forces.CITY_OF_LONDON:
            add(f"{name} had {row['force']} police officers per 100,000 residents at {row['period']}, against "
                f"{row['median_force']} in the median force.", row, "staff")
    years = rows["period"].map(_year)
    newest = years.max()
    families = rows.assign(family=rows["measure"].map(_family), year=years)
    fresh = set(families.loc[families["year"] > newest - STALE_YEARS, "family"])
    stale = families[(families["year"] <= newest - STALE_YEARS) & ~families["family"].isin(fresh)]
    if len(stale):
        listed = "; ".join(f"{m[0].lower()}{m[1:]} ({p})" for m, p in zip(stale["measure"], stale["period"]))
        found.append({"text": f"The newest figures by force for these measures are more than {STALE_YEARS} years "
                              f"old, as no newer edition could be obtained: {listed}.",
                      "datasets": sorted({d for ds in stale["datasets"] for d in ds}), "page": PAGES["stale"]})
    return found[:MAX_POINTS]


def figures(found: list[dict]) -> list[Figure]:
    """Each point glued (g_point_1, …) with its datasets, for the register and the briefing's check."""
    return [Figure(f"g_point_{i}", p["text"], "key point", p["datasets"], label=f"Key point {i}")
            for i, p in enumerate(found, 1)]
