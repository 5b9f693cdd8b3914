"""Chapter 4: contact with victims - satisfaction over time, what drives it, and the outcomes victims get."""

from __future__ import annotations

import pandas as pd

from analysis import charts, csew, evidence, forces, policeuk
from analysis.figures import Figure, Section

HEADLINE_DATA = list(csew.HEADLINE_FILES)
OUTCOME_DATA = [policeuk.SAMPLE["outcomes"]]
SATISFACTION = "victim_satisfied_with_police_handling"
NO_SUSPECT = "Investigation complete; no suspect identified"
# Register rows behind the "what drives satisfaction" chart: (id, driver group, short label).
DRIVERS = [
    ("E095", "Kept informed", "Kept informed"), ("E096", "Kept informed", "Not kept informed well"),
    ("E097", "Outcome", "Offender charged"), ("E098", "Outcome", "No action taken"),
    ("E091", "Age of victim", "Aged 16 to 24"), ("E092", "Age of victim", "Aged 45 to 54"),
    ("E093", "Age of victim", "Aged 65 to 74"), ("E094", "Age of victim", "Aged 75 and over"),
]
ASYMMETRY = ("E101", "E102")
SOURCE_HEADLINES = "ONS and press reports of ONS figures, transcribed; OGL v3.0 where ONS"
OUTCOME_SOURCE = "police.uk outcomes, Bedfordshire, March 2023; OGL v3.0"


def satisfaction_trend() -> Section:
    """Victim satisfaction in the years a figure could be found, with the missing years marked."""
    heads = csew.load_headlines()
    rows = (heads[heads["measure"] == SATISFACTION].sort_values("year_ending")
            .drop_duplicates("year_ending", keep="first").reset_index(drop=True))
    rows["csew_year"] = rows["year_ending"].map(csew.csew_year)
    first, last = rows.iloc[0], rows.iloc[-1]
    years = range(int(first["year_ending"]), int(last["year_ending"]) + 1)
    missing = [y for y in years if y not in set(rows["year_ending"])]
    figures = [
        Figure("sat_first", first["value_pct"], "%", HEADLINE_DATA),
        Figure("sat_first_year", first["csew_year"], "CSEW year", HEADLINE_DATA),
        Figure("sat_latest", last["value_pct"], "%", HEADLINE_DATA),
        Figure("sat_latest_year", last["csew_year"], "CSEW year", HEADLINE_DATA),
        Figure("sat_years_found", len(rows), "years", HEADLINE_DATA),
        Figure("sat_years_missing", len(missing), "years", HEADLINE_DATA),
    ]
    plot = rows.assign(series="Victims satisfied with police handling", segment=rows.index.astype(str))
    gaps = _gap_spans(missing)
    plot.attrs["breaks"] = gaps
    chart = charts.trend_with_breaks(
        plot, name="victim-satisfaction", source=SOURCE_HEADLINES, y_title="% of victims who reported",
        title="Victims satisfied with how the police handled their crime",
        subtitle="Only the years with a published figure this project could obtain; shaded: no figure obtained",
        description=(f"Dot chart of victim satisfaction in the {len(rows)} CSEW years with a figure: "
                     + "; ".join(f"{r.csew_year}: {r.value_pct:.0f}%" for r in rows.itertuples())
                     + f". The {len(missing)} years between have no figure here and are shaded, not joined."))
    return Section(rows[["csew_year", "value_pct", "source_publisher", "source_title"]], chart, figures)


def _gap_spans(missing: list[int]) -> pd.DataFrame:
    """Runs of consecutive missing years as shaded spans."""
    spans, start = [], None
    for i, year in enumerate(missing):
        start = year if start is None else start
        if i + 1 == len(missing) or missing[i + 1] != year + 1:
            spans.append({"start": start - 0.5, "end": year + 0.5, "label": "no figure" if start == year else
                          "no figures obtained"})
            start = None
    return pd.DataFrame(spans, columns=["start", "end", "label"])


def drivers() -> Section:
    """Cited survey figures on what goes with satisfaction: being kept informed, the outcome, age."""
    register = evidence.load_register().set_index("id")
    table = pd.DataFrame([{"id": i, "driver": group, "label": label, "value": register.at[i, "estimate"],
                           "source": register.at[i, "study"], "link": register.at[i, "citation_url"]}
                          for i, group, label in DRIVERS])
    values = table.set_index("id")["value"]
    low, high = (register.at[i, "estimate"] for i in ASYMMETRY)
    figures = [Figure(f"driver_{i.lower()}", values[i], "%", [evidence.REGISTER_FILE]) for i, _, _ in DRIVERS]
    figures += [Figure("asymmetry_low", low, "times", [evidence.REGISTER_FILE]),
                Figure("asymmetry_high", high, "times", [evidence.REGISTER_FILE])]
    chart = charts.labelled_bars(
        table, name="satisfaction-drivers", x_title="% of victims satisfied", colour_by="driver",
        title="What goes with victim satisfaction", subtitle="Cited CSEW figures, year ending March 2025; "
                                                             "each bar is a published figure, not recomputed",
        source="ONS, CSEW year ending March 2025, as cited in the evidence register",
        description=("Bar chart of cited victim satisfaction figures: "
                     + "; ".join(f"{r.label}: {r.value:.0f}%" for r in table.itertuples()) + "."))
    return Section(table, chart, figures)


def outcomes(path=None) -> Section:
    """The last recorded outcome of each crime in a police.uk outcomes file."""
    records = policeuk.load("outcomes", path)
    table = policeuk.distribution(records["Outcome type"], "not recorded")
    no_suspect = table.set_index("category")["share_pct"].get(NO_SUSPECT, 0.0)
    force = records["Falls within"].mode().iloc[0]
    month = records["Month"].mode().iloc[0]
    top = table.iloc[0]
    figures = [Figure("out_force", force, "force", OUTCOME_DATA), Figure("out_month", month, "month", OUTCOME_DATA),
               Figure("out_records", len(records), "records", OUTCOME_DATA, "{:,.0f}"),
               Figure("out_no_suspect", no_suspect, "%", OUTCOME_DATA),
               Figure("out_top", top["category"], "outcome", OUTCOME_DATA),
               Figure("out_top_share", top["share_pct"], "%", OUTCOME_DATA)]
    chart = charts.labelled_bars(
        table.rename(columns={"category": "label", "share_pct": "value"}), name="victim-outcomes",
        x_title="% of outcome records", title=f"Outcomes recorded for crimes, {force}, {month}",
        subtitle="police.uk outcome records in the month; a crime's outcome can date from a later month",
        source=OUTCOME_SOURCE,
        description=(f"Bar chart of {len(records):,} police.uk outcome records for {force} in {month}. The most "
                     f"common was '{top['category']}' ({top['share_pct']:.0f}%); {no_suspect:.0f}% were closed "
                     "with no suspect identified."))
    return Section(table.round(1), chart, figures)


def force_section(force: str) -> str:
    """What a force edition can say here: no force-level victim satisfaction was obtainable."""
    f = forces.resolve(force)
    return (f"Victim satisfaction for {f.name} is not in any data this project could obtain. Forces collect it in "
            "their own victim surveys; an analyst can add it here. The outcomes loader above reads "
            f"{f.short_name}'s own police.uk outcomes file: `victims.outcomes(\"<month>-{f.slug}-outcomes.csv\")`.")


def evidence_table() -> pd.DataFrame:
    return evidence.table(evidence.load_register(), chapter_prefix="3")
