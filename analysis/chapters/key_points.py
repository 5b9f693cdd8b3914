"""The key points that open a force's at-a-glance page and briefing: at most six sentences chosen by written rules over
the verdicts of the dashboard's rows (values from measures/force_measures, never the rows' sentences), each a
difference or an outlier, with its figure, its period and what it is compared with, and a link to the page that shows
its evidence.

The rules, in order (the appendix gives them to readers); within each, the largest first:
1. significant changes between the two newest comparable periods of a measure (the force's own survey first, then
   each measure's newest period against the previous one of its like-for-like series, with how it was tested),
   largest by the ratio of the two figures;
2. places that stand out: a rate or share outside the 95% funnel limits (with how many forces are beyond the same
   limit) and a survey measure ONS's test finds higher or lower than England and Wales, the survey measure where its
   change is not already a point, largest by the ratio to the centre; a rate that moved (rule 1 or 3) and stands
   outside the limits is one point saying both (_merged), ranked by the rule that comes first;
3. stocks (officers, PCSOs) that moved by a twentieth or more since the date before, and rates or ratios of counted
   events (every search, not a sample) that moved by a quarter or more since the previous period of their series
   though the move is not significant once the spread of the forces' changes is allowed for (it is still a change
   the force made), and, where a rate per resident is not compared (BY_COUNT: the City of London's searches), its
   count of events that moved by a quarter or more, largest first;
4. a difference between Black and White people (the search rate ratio, the arrest rates after a search)
   significantly away from parity, where its change is not already a point, largest by the ratio of the two groups'
   figures: last, because most forces share it (a disparity, not a place among forces).
A change (rules 1 and 3) whose newer period is old (the row's `old` flag: config.STALE_YEARS or more behind the
page's newest, measures/force_measures.stale) is no point: the key measures show it, flagged old. Any other point
about an old figure follows every point about a current one, in the same order of rules.
A rule the rows do not support gives no point; nothing is a point that says nothing differs, and no point is made of
a figure the dashboard does not show. Where no rule gives a point, one line says so, naming the measures the page
does not compare and why (NONE).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import config
from analysis.measures import force_measures as fm
from analysis.present.glue import Figure
from analysis.present.numbers import fmt_compared, fmt_number, fmt_percent_change
from analysis.sources import forces

MAX_POINTS = 6
# A stock moving by this share of itself since the date before is a point.
LARGE_CHANGE = 0.05
# A rate or ratio of counted events moving by this share of itself is a point, even where the move is not unusual
# among the forces' changes (methods/change tests that, not whether the force changed).
LARGE_MOVE = 0.25
# How a figure STALE_YEARS or more behind the page's newest is flagged beside its period (the dashboard too).
OLD = f"old: {config.STALE_YEARS} or more years behind the newest here"
OWN_SURVEY = "own_survey"  # the measure id of the force's own survey's rows (at_a_glance.survey_rows)
# Where each measure's point links: the chapter whose force section shows the same figure for the same period, else
# the key measures on the edition's first page (the newest figures by force, the staff changes and the extracts'
# funnel places are there alone).
MEASURES = "at-a-glance.html#key-measures"
PAGES = {OWN_SURVEY: "01-trust-and-confidence.html", "bw_search_ratio": MEASURES, "searches_per_1000": MEASURES,
         "recorded_crime_per_1000": MEASURES, "deaths_per_million": "06-police-wrongdoing.html",
         "officers_per_100k": MEASURES, "pcsos_per_100k": MEASURES,
         "asb_experience_pct": "07-what-else-matters.html", "arrest_gap": "05-contact-with-suspects.html",
         "iopc_reviews_upheld_pct": "06-police-wrongdoing.html"}
SIGNIFICANT_CHANGE = (fm.RISE, fm.FALL)
ONS_VERDICTS = (fm.HIGHER, fm.LOWER)
AWAY_FROM_PARITY = (fm.ABOVE_PARITY, fm.BELOW_PARITY)
# The places beyond a limit on one side: a force's point says how many forces share its side.
SIDES = {place: [p for p in fm.OUTSIDE_95 if p.split()[0] == place.split()[0]] for place in fm.OUTSIDE_95}
# A rate per resident not compared among forces for this reason (its row's `reason`) is read by its count of events
# instead, with what the count may be set beside: the force's own earlier period, never other forces.
BY_COUNT = {fm.CITY: "per resident, the City of London's figures say little, since hundreds of thousands work in or "
                     "visit it each day, so its count is set only beside its own earlier year"}
# The one line where no rule gives a point, and the measures a force's page does not compare for a BY_COUNT reason.
NONE = "No figure on this page changed or stands out by the rules the appendix gives"


def _size(value, reference) -> float:
    """How far apart two figures are, as the log of their ratio: comparable across measures and units."""
    return abs(float(np.log(value / reference))) if value and reference and value > 0 and reference > 0 else 0.0


def _shown(value, measure_id: str) -> str:
    """A figure to the measure's places, with the % a share's figure carries."""
    return fmt_number(value, fm.MEASURES[measure_id]["decimals"]) + "%" * (fm.MEASURES[measure_id]["unit"] == "percent")


def _label(row) -> str:
    meta = fm.MEASURES[row["measure_id"]]
    return meta.get("short_label", meta["label"])


def _figure(row) -> str:
    """The force's figure as its row shows it, with the unit where the label does not give it."""
    return row["force"] + ("%" if fm.MEASURES[row["measure_id"]]["unit"] == "percent" else "")


def _moved(row) -> str:
    """A measure's change since the previous period of its series, as a clause: both figures and periods, how far it
    moved (from the unrounded figures), the series both are on and how the change was tested."""
    meta = fm.MEASURES[row["measure_id"]]
    now, before = row["value"], row["previous_value"]
    percent = "%" * (meta["unit"] == "percent")
    before_text, now_text = _shown(before, row["measure_id"]), _figure(row)
    if meta["unit"] == "ratio":  # a ratio's change is its two figures (a ratio of ratios says nothing more)
        by = ""
    else:  # the two figures and the change as a reader subtracts them (present/numbers.fmt_compared)
        now_text, before_text, gap = fmt_compared(now, before, meta["decimals"], finer=meta.get("finer", True))
        now_text, before_text = now_text + percent, before_text + percent
        by = (f" ({'up' if now > before else 'down'} {gap} percentage points)" if percent else
              f" ({'up' if now > before else 'down'} {gap} {meta['unit']}, {fmt_percent_change(now, before)})")
    both = f", both on {row['series']}" if pd.notna(row["series"]) else ""
    verdict = (fm.WITHIN_SPREAD if row["change_verdict"] == fm.WITHIN_SPREAD else
               f"a significant {'rise' if now > before else 'fall'}")
    return (f"{'rose' if now > before else 'fell'} from {before_text} in {row['previous_period']} to {now_text} in "
            f"{row['period']}{both}{by}; {verdict} ({row['change_test']})")


def _change(row) -> str:
    return f"{_label(row)}: {_moved(row)}."


def large_move(row) -> bool:
    """Whether a rate or ratio of counted events moved by LARGE_MOVE or more since the previous period of its series
    though the move is not significant once the forces' spread is allowed for (rule 3; the questions read it too)."""
    return bool(row["change_verdict"] == fm.WITHIN_SPREAD and pd.notna(row["previous_value"])
                and _size(row["value"], row["previous_value"]) >= np.log(1 + LARGE_MOVE))


def count_move(row) -> bool:
    """Whether a rate not compared per resident (BY_COUNT) has a count of events that moved by LARGE_MOVE or more
    since the previous period of its series (rule 3, read as counts; the questions read it too)."""
    return bool(row.get("reason") in BY_COUNT and pd.notna(row.get("events")) and pd.notna(row.get("previous_events"))
                and _size(row["events"], row["previous_events"]) >= np.log(1 + LARGE_MOVE))


def _counts(row) -> str:
    """A count of events that moved a long way (count_move): both counts and periods, how far apart, and why only the
    force's own earlier period is beside it."""
    after, before = row["events"], row["previous_events"]
    after_text, before_text, gap = fmt_compared(after, before)
    noun = fm.MEASURES[row["measure_id"]]["noun"]
    return (f"{noun[0].upper()}{noun[1:]} (a count of every one): {after_text} in {row['period']}, {gap} "
            f"{'more' if after > before else 'fewer'} than the {before_text} in {row['previous_period']} "
            f"({fmt_percent_change(after, before)} {'up' if after > before else 'down'}); "
            f"{BY_COUNT[row['reason']]}.")


def _nothing(rows: pd.DataFrame) -> str:
    """The line where no rule gives a point: which measures are read neither per resident nor by count, and why."""
    unread = rows[rows["reason"].isin(list(BY_COUNT))]
    labels = list(dict.fromkeys(_reads_on(_label(row)) for _, row in unread.iterrows()))
    reasons = list(dict.fromkeys(unread["reason"]))
    return NONE + (f"; not compared with other forces: {', '.join(labels)} ({'; '.join(reasons)})" if labels
                   else "") + "."


# A label's first word that keeps its capital inside a sentence (a group's or a body's name).
NAMES = ("Black/White", "PCSOs", "IOPC")


def _reads_on(label: str) -> str:
    """A measure's label as it reads inside a sentence."""
    return label if label.split()[0] in NAMES else label[:1].lower() + label[1:]


def _beyond(row) -> int:
    """How many forces' figures for the same measure and period are beyond the same side's 95% limit."""
    table = fm.all_forces()
    same = table[(table["measure_id"] == row["measure_id"]) & (table["period_end"] == row["period_end"])
                 & (table["funnel_centre"] == row["funnel_centre"])]
    return int(same["funnel_place"].isin(SIDES[row["funnel_place"]]).sum())


def _place(row) -> str:
    """Where the force falls on the measure's funnel, as a clause, and how many forces fall beyond the same limit."""
    n = _beyond(row)
    side = row["funnel_place"].split()[0]
    return (f"{fm.FUNNEL_WORDS[row['funnel_place']]} around {row['funnel_centre']} "
            f"({_shown(row['funnel_centre_value'], row['measure_id'])}); "
            + (f"one of {n} forces {side} the 95% limit" if n > 1 else f"the only force {side} the 95% limit"))


def _outlier(row) -> str:
    return f"{_label(row)}: {_figure(row)} in {row['period']}, {_place(row)}."


def _merged(first: dict, then: dict) -> dict:
    """One point for a measure that both moved and stands beyond a funnel limit (review 6): the first-ranked point's
    words, then the other's clause."""
    row = first["row"]
    if first["kind"] == "place":
        text = f"{_label(row)}: {_figure(row)} in {row['period']}, {_place(row)}; it {_moved(row)}."
    else:
        text = f"{_label(row)}: {_moved(row)}; in {row['period']}, {_place(row)}."
    return {**first, "text": text}


def _bw_searches(row, name: str) -> str:
    # Beside parity, the ratio of England and Wales excluding the Met: nearly every force is above parity, and the
    # Met's own searches drive England and Wales's ratio (review 11).
    others = row.get("england_and_wales_excluding_met")
    beside = (f"; England and Wales excluding the Met: {_shown(others, row['measure_id'])}" if pd.notna(others)
              else "")
    return (f"In {row['period']}, Black people were searched significantly "
            f"{'more' if row['vs_parity'] == fm.ABOVE_PARITY else 'less'} often than White people per resident "
            f"in {name}'s area: a ratio of {row['force']}, against {fm.MEASURES[row['measure_id']]['parity']}"
            f"{beside}.")


def _arrests(row, name: str) -> str:
    # The two rates as the dashboard shows them, the gap between them its figure (at_a_glance._outcome).
    black, white, _ = fmt_compared(row["black_value"], row["white_value"], 1)
    return (f"In {row['period']}, searches of Black people in {name}'s area were significantly "
            f"{'more' if row['vs_parity'] == fm.ABOVE_PARITY else 'less'} often followed by arrest than searches of "
            f"White people: {black}% against {white}%, a difference of {row['force']}, against "
            f"{fm.MEASURES[row['measure_id']]['parity']}, the forces' tests controlled together.")


# A difference between Black and White people away from parity, said in its measure's words, and how far it is (the
# ratio of the two groups' figures).
AWAY = {"bw_search_ratio": (_bw_searches, lambda row: _size(row["value"], 1.0)),
        "arrest_gap": (_arrests, lambda row: _size(row["black_value"], row["white_value"]))}


def points(rows: pd.DataFrame, code: str) -> list[dict]:
    """The key points for one force from its dashboard rows: text, the datasets it rests on, and the page it links;
    where no rule gives one, the line that says so."""
    name = forces.get(code).name
    city = code == forces.CITY_OF_LONDON
    newest = rows[~rows["measure_id"].duplicated()]  # the dashboard lists a measure's periods newest first
    old = (newest["old"].fillna(False).astype(bool) if "old" in newest
           else pd.Series(False, index=newest.index))
    # An old figure (config.STALE_YEARS) says so wherever its period is given.
    newest = newest.assign(period=newest["period"] + old.map({True: f" ({OLD})", False: ""}), old=old)
    changes, outliers, stocks, disparities = [], [], [], []

    def point(text: str, row, kind: str = "other") -> dict:
        # kind: "change" or "place" where the point is one of the two a measure can have at once (_merged)
        return {"text": text, "datasets": list(row["datasets"]), "page": PAGES[row["measure_id"]],
                "old": bool(row["old"]), "kind": kind, "row": row}

    current = newest[~newest["old"]]  # an old change is no point (the key measures flag it)
    for _, row in current.iterrows():
        if row["change_verdict"] not in SIGNIFICANT_CHANGE:
            continue
        if row["measure_id"] == OWN_SURVEY:  # confidence first: its change leads
            changes.append((np.inf, point(f"{row['measure']}: {row['force']} in {row['period']}; "
                                          f"{row['verdict_text']}, a {row['change_verdict']}.", row)))
        elif pd.notna(row["previous_value"]) and not (city and row["area"]):
            changes.append((_size(row["value"], row["previous_value"]), point(_change(row), row, "change")))
    moved = current[current.apply(large_move, axis=1).astype(bool)] if len(current) else current
    counted = current[current.apply(count_move, axis=1).astype(bool)] if len(current) else current
    changed = set(current.loc[current["change_verdict"].isin(SIGNIFICANT_CHANGE), "measure_id"]) | set(
        moved["measure_id"]) | set(counted["measure_id"])
    for _, row in newest.iterrows():
        if row["funnel_place"] in fm.OUTSIDE_95:
            outliers.append((_size(row["value"], row["funnel_centre_value"]), point(_outlier(row), row, "place")))
        # London's combined survey area is the Met's, not the City's. ONS gives its verdict, not a centre to size
        # it by: such a point follows the funnels'.
        if row["vs_england_and_wales"] in ONS_VERDICTS and not (city and row["area"]) and (
                row["measure_id"] not in changed):
            outliers.append((0.0, point(
                f"{_label(row)}: {_figure(row)} in {row['period']}, {row['verdict_text']}"
                + (f"; {row['area']}" if pd.notna(row["area"]) and row["area"] else "") + ".", row)))
        if row["vs_parity"] in AWAY_FROM_PARITY and row["measure_id"] not in changed:
            said, size = AWAY[row["measure_id"]]
            disparities.append((size(row), point(said(row, name), row)))
    for _, row in moved.iterrows():
        stocks.append((_size(row["value"], row["previous_value"]), point(_change(row), row, "change")))
    for _, row in counted.iterrows():
        stocks.append((_size(row["events"], row["previous_events"]), point(_counts(row), row)))
    if not city:  # the City's page shows no staff counts: per resident they say little
        for _, row in current[current["count_previous_value"].notna()].iterrows():
            before, after = row["count_previous_value"], row["count_value"]
            if before and abs(after - before) / before >= LARGE_CHANGE:
                after_text, before_text, gap = fmt_compared(after, before)
                stocks.append((_size(after, before), point(
                    f"{row['count_noun'][0].upper()}{row['count_noun'][1:]} (full-time equivalent): "
                    f"{after_text} at {row['period']}, {gap} "
                    f"{'more' if after > before else 'fewer'} than the {before_text} at "
                    f"{row['count_previous_period']} ({fmt_percent_change(after, before)} "
                    f"{'up' if after > before else 'down'}).", row)))
    ranked = [(p["old"], rule, -size, p) for rule, group in enumerate((changes, outliers, stocks, disparities))
              for size, p in group]
    found, paired = [], {}
    for *_, p in sorted(ranked, key=lambda r: r[:3]):
        # One point a measure: its move and its place beyond a funnel limit are said together, where it ranks first.
        measure = p["row"]["measure_id"]
        if p["kind"] != "other" and measure in paired and found[paired[measure]]["kind"] != p["kind"]:
            found[paired[measure]] = _merged(found[paired[measure]], p)
            continue
        if p["kind"] != "other":
            paired[measure] = len(found)
        found.append(p)
    found = found or [{"text": _nothing(newest), "datasets": [], "page": MEASURES}]
    return [{key: p[key] for key in ("text", "datasets", "page")} for p in found[:MAX_POINTS]]


def figures(found: list[dict]) -> list[Figure]:
    """Each point glued (g_point_1, …) with its datasets, for the register and the briefing's check."""
    return [Figure(key(i), p["text"], "key point", p["datasets"], label=f"Key point {i}")
            for i, p in enumerate(found, 1)]


def key(number: int) -> str:
    """The register key of the key point `number` (from 1): the page marks each point with it."""
    return f"g_point_{number}"
