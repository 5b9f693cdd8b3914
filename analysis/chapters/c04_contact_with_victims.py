"""Chapter 4: contact with victims - satisfaction over time, what drives it, and the outcomes victims get."""

from __future__ import annotations

import re

import pandas as pd

from analysis.chapters import common, evidence
from analysis.methods import policeuk_measures
from analysis.present import lines, ranked, source_lines
from analysis.present.glue import Figure, Section, national
from analysis.sources import csew, forces, policeuk
from analysis.sources.evidence import REGISTER_FILE, load_register
from analysis.sources.periods import financial_year

HEADLINE_DATA = list(csew.HEADLINE_FILES)
SATISFACTION = "victim_satisfied_with_police_handling"
NO_SUSPECT = policeuk.NO_SUSPECT
# Register rows behind the "what drives satisfaction" chart: (id, driver group, short label).
DRIVERS = [
    ("E095", "Kept informed", "Kept informed"), ("E096", "Kept informed", "Not kept informed well"),
    ("E097", "Outcome", "Offender charged"), ("E098", "Outcome", "No action taken"),
    ("E091", "Age of victim", "Aged 16 to 24"), ("E092", "Age of victim", "Aged 45 to 54"),
    ("E093", "Age of victim", "Aged 65 to 74"), ("E094", "Age of victim", "Aged 75 and over"),
]
ASYMMETRY = ("E101", "E102")
# The guide's own satisfaction figures: 2023/24's level, and its change from 2013/14.
GUIDE_LEVEL, GUIDE_CHANGE, GUIDE_BASE_YEAR = "E001", "E002", 2014
SOURCE_HEADLINES = source_lines.line(HEADLINE_DATA)


# The two definitions the published figures use; never one series.
VICTIMS, INCIDENTS = "victims who reported", "incidents reported"


@national
def satisfaction_trend() -> Section:
    """Victim satisfaction in the years a figure could be found, one series per definition (a share of victims who
    reported, or of incidents reported), with the 2013/14 level the guide's wording implies and the missing years
    marked; no year is joined to another, nor a change measured across the definitions."""
    heads = csew.load_headlines()
    rows = (heads[heads["measure"] == SATISFACTION].sort_values("year_ending", kind="stable")
            .drop_duplicates("year_ending", keep="first").reset_index(drop=True))
    rows = rows.assign(kind="published figure", definition=rows["population_or_breakdown"].str.startswith(
        "Incidents").map({True: INCIDENTS, False: VICTIMS}))
    register = load_register().set_index("id")
    level, change = register.at[GUIDE_LEVEL, "estimate"], register.at[GUIDE_CHANGE, "estimate"]
    # The guide gives 2023/24 (a share of victims) and its fall from 2013/14, not 2013/14 itself; the level follows
    # by subtraction, on the victims definition.
    implied = pd.DataFrame({"year_ending": [GUIDE_BASE_YEAR], "value_pct": [level - change],
                            "kind": ["implied by the guide's 20-point fall"], "definition": [VICTIMS],
                            "source_publisher": ["College of Policing (2025), derived"],
                            "source_title": [register.at[GUIDE_CHANGE, "study"]]})
    rows = pd.concat([rows, implied], ignore_index=True).sort_values("year_ending", ignore_index=True, kind="stable")
    rows["csew_year"] = rows["year_ending"].map(financial_year)
    years = range(int(rows["year_ending"].min()), int(rows["year_ending"].max()) + 1)
    missing = [y for y in years if y not in set(rows["year_ending"])]
    data = HEADLINE_DATA + [REGISTER_FILE]
    published = rows[rows["kind"] == "published figure"]
    base, guide_year = financial_year(GUIDE_BASE_YEAR), financial_year(GUIDE_BASE_YEAR + 10)
    span = f"{rows['csew_year'].iloc[0]} to {rows['csew_year'].iloc[-1]}"
    figures = [
        Figure("sat_peak", implied["value_pct"].iloc[0], "%", data,
               label=f"Victim satisfaction (CSEW, England and Wales) in {base} implied by the guide's wording "
                     "(share of victims who reported)"),
        Figure("sat_peak_year", base, "CSEW year", data,
               label="CSEW year of the victim satisfaction level the guide's wording implies"),
        Figure("sat_guide_change", -change, "percentage points", [REGISTER_FILE],
               label=f"Fall in victim satisfaction from {base} to {guide_year} that the guide gives (share of victims "
                     "who reported)"),
        Figure("sat_guide_year", guide_year, "CSEW year", [REGISTER_FILE],
               label="CSEW year of the guide's latest victim satisfaction figure, the end of its fall"),
        Figure("sat_years_found", len(published), "years", data,
               label=f"Number of CSEW years with a published national victim satisfaction figure found, {span}"),
        Figure("sat_years_missing", len(missing), "years", data,
               label=f"Number of CSEW years with no national victim satisfaction figure found, {span}"),
        Figure("sat_missing_years", _spans_text(missing), "CSEW years", data,
               label=f"The CSEW years with no national victim satisfaction figure found, {span}"),
    ]
    for short, definition in (("victims", VICTIMS), ("incidents", INCIDENTS)):
        own = published[published["definition"] == definition]
        for end, row in (("first", own.iloc[0]), ("latest", own.iloc[-1])):
            figures += [Figure(f"sat_{short}_{end}", row["value_pct"], "%", data,
                               label=f"Victim satisfaction (CSEW, England and Wales), share of {definition}, "
                                     f"{row['csew_year']}"),
                        Figure(f"sat_{short}_{end}_year", row["csew_year"], "CSEW year", data,
                               label=f"{end.capitalize()} CSEW year with a published national victim satisfaction "
                                     f"figure as a share of {definition}")]
    # The chart carries what it draws and what a reader downloading it needs, never the transcription's notes, file
    # ids or the links it was read from.
    plot = rows[["year_ending", "csew_year", "value_pct", "definition", "kind", "source_publisher", "source_title"]]
    plot = plot.assign(series=("Share of " + rows["definition"]).where(
        rows["kind"] == "published figure", "Share of victims, implied by the guide"),
        segment=rows.index.astype(str))
    plot.attrs["breaks"] = _gap_spans(missing)
    chart = lines.trend_with_breaks(
        plot, name="victim-satisfaction", source=SOURCE_HEADLINES, y_title="% satisfied",
        title="Victims satisfied with how the police handled their crime",
        subtitle=["Two definitions, never joined: a share of victims who reported, or of incidents reported.",
                  "Shaded: no figure obtained. The 2013/14 point is implied by the guide, not published"],
        description=(f"Dot chart of victim satisfaction in the {len(rows)} CSEW years with a figure, in two series "
                     "that are not joined or compared: "
                     + "; ".join(f"{r.csew_year}: {r.value_pct:.0f}% (share of {r.definition}, {r.kind})"
                                 for r in rows.itertuples())
                     + f". The {len(missing)} years between have no figure here and are shaded, not joined."))
    table = rows[["csew_year", "value_pct", "definition", "kind", "source_publisher", "source_title"]]
    return Section(table, chart, figures)


def _spans_text(years: list[int]) -> str:
    """Missing years as CSEW-year runs: '2007/08 to 2012/13, 2015/16 to 2022/23'."""
    spans = _gap_spans(years)
    return ", ".join(financial_year(s + 0.5) if s + 1 == e else
                     f"{financial_year(s + 0.5)} to {financial_year(e - 0.5)}"
                     for s, e in zip(spans["start"], spans["end"]))


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


@national
def drivers() -> Section:
    """Cited survey figures on what goes with satisfaction: being kept informed, the outcome, age."""
    register = load_register().set_index("id")
    table = pd.DataFrame([{"id": i, "driver": group, "label": label, "value": register.at[i, "estimate"],
                           "source": register.at[i, "study"], "link": register.at[i, "citation_url"]}
                          for i, group, label in DRIVERS])
    values = table.set_index("id")["value"]
    low, high = (register.at[i, "estimate"] for i in ASYMMETRY)
    # The register gives each figure's period in its measure ("..., YE Mar 2025"); they must share one.
    periods = {re.search(r"YE Mar (\d{4})", register.at[i, "measure"]).group(1) for i, _, _ in DRIVERS}
    if len(periods) != 1:
        raise ValueError(f"evidence register: the satisfaction drivers {[i for i, _, _ in DRIVERS]} come from "
                         f"different years ending March {sorted(periods)}; expected one survey year")
    period = f"year ending March {periods.pop()}"
    figures = [Figure(f"driver_{i.lower()}", values[i], "%", [REGISTER_FILE],
                      label=f"Victims satisfied with how the police handled their crime, {label.lower()} (% of "
                            f"incidents), England and Wales, CSEW {period} (published, as cited)")
               for i, _, label in DRIVERS]
    figures.append(Figure("driver_period", period, "period", [REGISTER_FILE],
                          label="Survey year of the cited CSEW figures on what goes with victim satisfaction"))
    asymmetry = ("How many times as large a difference in confidence in the police went with a bad encounter as "
                 "with a good one, {} (Skogan's cross-sectional survey in Chicago; an association)")
    figures += [Figure("asymmetry_low", low, "times", [REGISTER_FILE], label=asymmetry.format("lower bound")),
                Figure("asymmetry_high", high, "times", [REGISTER_FILE], label=asymmetry.format("upper bound"))]
    chart = ranked.labelled_bars(
        table, name="satisfaction-drivers", x_title="% of victims satisfied", colour_by="driver",
        title="What goes with victim satisfaction", subtitle=f"Cited CSEW figures, {period}; "
                                                             "each bar is a published figure, not recomputed",
        source=f"ONS, CSEW {period}, as cited in the evidence register",
        description=("Bar chart of cited victim satisfaction figures: "
                     + "; ".join(f"{r.label}: {r.value:.0f}%" for r in table.itertuples()) + "."))
    return Section(table, chart, figures)


@national
def outcomes(path=None, key: str = "out", force: str | None = None) -> Section:
    """The last recorded outcome of each crime in police.uk outcomes data: one file or a force's download folder.

    Over several months, a second chart shows the share closed with no suspect identified each month.
    """
    records = policeuk.read("outcomes", path, force)
    datasets, extra = common.policeuk_provenance(records, "outcomes", key)
    table = policeuk_measures.distribution(records["Outcome type"], "not recorded")
    no_suspect = table.set_index("category")["share_pct"].get(NO_SUSPECT, 0.0)
    force_name, month, where = policeuk.force_name(records), policeuk.span(records), records.attrs["label"]
    slug = "" if path is None else "-" + forces.get(records.attrs["force"]).slug
    source = f"police.uk outcomes, {where}; OGL v3.0"
    top = table.iloc[0]
    figures = [Figure(f"{key}_force", force_name, "force", datasets,
                      label="Force whose police.uk outcome records the outcome figures use"),
               Figure(f"{key}_month", month, "month", datasets,
                      label=f"Period of {force_name}'s police.uk outcome records in the outcome figures"),
               Figure(f"{key}_records", len(records), "records", datasets, "{:,.0f}",
                      label=f"Outcome records on police.uk, {where}"),
               Figure(f"{key}_no_suspect", no_suspect, "%", datasets,
                      label=f"Share of outcome records closed with no suspect identified ('{NO_SUSPECT}'), {where}"),
               Figure(f"{key}_top", top["category"], "outcome", datasets,
                      label=f"Most common outcome recorded, {where}"),
               Figure(f"{key}_top_share", top["share_pct"], "%", datasets,
                      label=f"Share of outcome records with the most common outcome, {where}")] + extra
    chart = ranked.labelled_bars(
        table.rename(columns={"category": "label", "share_pct": "value"}), name=f"victim-outcomes{slug}",
        x_title="% of outcome records", title=f"Outcomes recorded for crimes, {where}",
        subtitle="police.uk outcome records in the period; a crime's outcome can date from a later month",
        source=source,
        description=(f"Bar chart of {len(records):,} police.uk outcome records for {force_name}, {month}. The most "
                     f"common was '{top['category']}' ({top['share_pct']:.0f}%); {no_suspect:.0f}% were closed "
                     "with no suspect identified."))
    more = []
    if len(records.attrs["months"]) > 1:
        more.append(common.monthly_share_chart(
            records, "Outcome type", NO_SUSPECT, label="Closed with no suspect identified",
            name=f"no-suspect-monthly{slug}", source=source, y_title="% of outcome records",
            title=f"Outcomes recorded as 'no suspect identified' each month, {where}",
            subtitle="Shaded: 95% Wilson interval; records with no outcome type are left out",
            subject=f"police.uk outcome records for {force_name} that were '{NO_SUSPECT}'"))
    return Section(table.round(1), chart, figures, more, common.policeuk_gap_note(records))


def force_section(force: str) -> Section:
    """What a force edition can say here: no force-level victim satisfaction was obtainable."""
    f = forces.resolve(force)
    return Section(None, note=(
        f"Victim satisfaction for {f.name} is not in any data this project could obtain. Forces collect it in "
        "their own victim surveys; an analyst can add it here. The outcomes above are the national example; an "
        f"edition built with {f.short_name}'s own police.uk download shows the force's own outcomes instead (the "
        "data-and-methods appendix, 'Adding a force's own data')."))


def own_outcomes(force: str, folder: str | None = None) -> Section:
    """The force's own outcomes from its police.uk download, or a note saying where they would go."""
    return common.own_policeuk_section(force, folder, "outcome figures",
                                       lambda: outcomes(folder, key="own_out", force=force))


def evidence_section() -> Section:
    """The chapter's cited evidence, one table per message of the guide, and the register figures it quotes."""
    return evidence.section("3")
