"""The key points that open a force's at-a-glance page and briefing: three to six sentences chosen by written rules over
the verdicts of the dashboard's rows (values from measures/force_measures, never the rows' sentences), each with its
figure and period as the row shows them and a link to the page that shows its evidence.

The rules, in order (the appendix gives them to readers):
0. for the City of London, why its figures per resident say little;
1. the force's own survey, where the edition has one: its headline measure and period, and its change from a year
   earlier where that is significant (chapter 1);
2. the newest Black/White search rate ratio, where it is significantly above parity (chapter 3);
3. a survey measure that ONS's own test finds higher or lower than England and Wales (chapter 7), and any rate of
   events outside the 95% funnel limits (the chapter that draws the funnel);
4. a stock (officers, PCSOs) that changed by a tenth or more since the year before (chapter 2);
5. officers per 100,000 residents at the newest date, against the median force (chapter 2);
6. measures whose newest figure by force is config.STALE_YEARS (two) or more years older than the newest, named
   with their period (the appendix).
A rule that the rows do not support gives no point; no point is made of a figure the dashboard does not show.
"""

from __future__ import annotations

import pandas as pd

from analysis import config
from analysis.measures import force_measures as fm
from analysis.present.glue import Figure
from analysis.present.numbers import fmt_number
from analysis.sources import forces

MAX_POINTS = 6
# A stock moving by this share of itself in a year is a point.
LARGE_CHANGE = 0.10
# A by-force figure older than this many years, at the newest period the book has, is a point.
OWN_SURVEY = "own_survey"  # the measure id of the force's own survey's rows (at_a_glance.survey_rows)
# Where each measure's point links: the chapter whose force section shows the same figure for the same period, else
# the key measures on the edition's first page (the newest figures by force, the staff changes and the extracts'
# funnel places are there alone).
MEASURES = "at-a-glance.html#key-measures"
PAGES = {OWN_SURVEY: "01-trust-and-confidence.html", "bw_search_ratio": MEASURES, "searches_per_1000": MEASURES,
         "recorded_crime_per_1000": MEASURES, "deaths_per_million": "06-police-wrongdoing.html",
         "officers_per_100k": MEASURES, "pcsos_per_100k": MEASURES,
         "asb_experience_pct": "07-what-else-matters.html"}
STALE_PAGE, GLANCE = "appendix-data-and-methods.html", "at-a-glance.html"
SIGNIFICANT_CHANGE = (fm.RISE, fm.FALL)
ONS_VERDICTS = (fm.HIGHER, fm.LOWER)
# A funnel place in the chapters' words (methods/funnel), read on before "around" and the funnel's centre.
FUNNEL_WORDS = {place: words for words, place in fm.FUNNEL_PLACES.items()}


def points(rows: pd.DataFrame, code: str, outlier: str = "") -> list[dict]:
    """The key points for one force from its dashboard rows (and, for the City of London, its outlier note): text,
    the datasets it rests on, and the page it links."""
    name = forces.get(code).name
    city = code == forces.CITY_OF_LONDON
    found: list[dict] = []

    def add(text: str, row) -> None:
        found.append({"text": text, "datasets": list(row["datasets"]), "page": PAGES[row["measure_id"]]})

    if city:
        found.append({"text": outlier, "datasets": [], "page": GLANCE})
    for _, row in rows[rows["measure_id"] == OWN_SURVEY].iterrows():
        moved = f"; {row['verdict_text']}" if row["change_verdict"] in SIGNIFICANT_CHANGE else ""
        add(f"{row['measure']}: {row['force']} in {row['period']}{moved}.", row)
    for _, row in rows[rows["measure_id"] == "bw_search_ratio"].head(1).iterrows():
        if row["vs_parity"] == fm.ABOVE_PARITY:
            add(f"In {row['period']}, Black people were searched significantly more often than White people per "
                f"resident in {name}'s area: a ratio of {row['force']}.", row)
    # A measure's point comes from its newest row only: an older row a newer one contradicts makes no point.
    for _, row in rows[~rows["measure_id"].duplicated()].iterrows():
        # London's combined survey area is the Met's, not the City's.
        if row["vs_england_and_wales"] in ONS_VERDICTS and not (city and row["area"]):
            meta = fm.MEASURES[row["measure_id"]]
            percent = meta["unit"] == "percent"
            add(f"{meta.get('short_label', row['measure'])}: {row['force']}{'%' * percent} in {row['period']}, "
                f"{row['comparison']}.", row)
        if row["funnel_place"] in fm.OUTSIDE_95:
            add(f"{row['measure']}: {row['force']} in {row['period']}, {FUNNEL_WORDS[row['funnel_place']]} around "
                f"{row['funnel_centre']}.", row)
    if not city:  # the City's page shows no staff counts: per resident they say little
        for _, row in rows[rows["count_previous_value"].notna()].iterrows():
            before, after = row["count_previous_value"], row["count_value"]
            if before and abs(after - before) / before >= LARGE_CHANGE:
                add(f"{row['count_noun']} (full-time equivalent) went {'up' if after > before else 'down'} from "
                    f"{fmt_number(before, 0)} at {row['count_previous_period']} to {fmt_number(after, 0)} at "
                    f"{row['period']}.", row)
        for _, row in rows[rows["measure_id"] == "officers_per_100k"].head(1).iterrows():
            add(f"{name} had {row['force']} police officers per 100,000 residents at {row['period']}, against "
                f"{row['median_force']} in the median force.", row)
    years = pd.to_datetime(rows["period_end"]).dt.year
    fresh = set(rows.loc[years > years.max() - config.STALE_YEARS, "measure_id"])
    stale = rows[(years <= years.max() - config.STALE_YEARS) & ~rows["measure_id"].isin(fresh)]
    if len(stale):
        # A label starting with an initialism ("PCSOs") keeps its capitals.
        listed = "; ".join(f"{m if m[:2].isupper() else m[0].lower() + m[1:]} ({p})"
                           for m, p in zip(stale["measure"], stale["period"]))
        found.append({"text": f"The newest figures by force for these measures are {config.STALE_YEARS} or more years "
                              f"older than this page's newest, as no newer edition could be obtained: {listed}.",
                      "datasets": sorted({d for ds in stale["datasets"] for d in ds}), "page": STALE_PAGE})
    return found[:MAX_POINTS]


def figures(found: list[dict]) -> list[Figure]:
    """Each point glued (g_point_1, …) with its datasets, for the register and the briefing's check."""
    return [Figure(f"g_point_{i}", p["text"], "key point", p["datasets"], label=f"Key point {i}")
            for i, p in enumerate(found, 1)]
