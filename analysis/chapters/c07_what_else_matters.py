"""Chapter 7: what else matters - anti-social behaviour and recorded crime by force, and confidence in the wider justice system."""

from __future__ import annotations

import pandas as pd

from analysis.chapters import common, evidence
from analysis.measures.asb import (ASB_YEARS, CHANGE_WORDS, ENGLAND_AND_WALES, LONDON, LONDON_NAME, asb_area,
                                   asb_area_name, asb_change_flags, asb_table)
from analysis.methods import comparable, ranking, stats, survey
from analysis.measures import force_measures as fm
from analysis.measures import force_series
from analysis.measures import funnels as measure_funnels
from analysis.present import maps, ranked, source_lines, tables
from analysis.present.glue import Figure, Section, national
from analysis.present.numbers import fmt_number
from analysis.sources import boundaries, csew, forces, manifest, pfa_tables, population
from analysis.sources.periods import financial_year

CJS_MEASURES = ["cjsovb1dv", "fairova1dv"]
OPEN_DATA = [csew.OPEN_DATA_FILE]
ASB_SOURCE = source_lines.line([pfa_tables.FILES[y] for y in ASB_YEARS])
OPEN_DATA_SOURCE = source_lines.line(OPEN_DATA)
# What England and Wales is in every recorded crime figure here: ONS's own total adds British Transport Police's
# offences, which belong to no force area.
TERRITORIAL = "the 43 territorial forces, British Transport Police left out"


# ONS's test against England and Wales on a force's row of the measures table, read on before "England and Wales".
AGAINST_WORDS = {fm.HIGHER: "significantly higher than", fm.LOWER: "significantly lower than",
                 fm.NOT_DIFFERENT: "not significantly different from"}


def _asb_sentence(highlight: str, year: str) -> str:
    """The force's ASB share and ONS's two tests in words, from its row of the measures table; the City of London's
    from the Met's row, which carries London's one figure and its verdicts."""
    row = common.measure_row(highlight, "asb_experience_pct", year)
    if pd.notna(row["shared_with"]):
        row = common.measure_row(row["shared_with"], "asb_experience_pct", year)
    return (f"{row['area'] if pd.notna(row['area']) else row['force']}: {fmt_number(row['value'], 1)}%, "
            f"{AGAINST_WORDS[row['vs_england_and_wales']]} England and Wales "
            f"({fmt_number(row['england_and_wales'], 1)}%) by ONS's test; "
            f"against {row['previous_period']}, {row['change_verdict']} by ONS's test")


def asb_by_force(highlight: str | None = None) -> Section:
    """Share of adults who experienced or witnessed ASB, by force area, latest year, with ONS's significance test."""
    table = asb_table()
    latest = max(ASB_YEARS)
    now = table[table["year_ending"] == latest]
    rows = pfa_tables.asb_experience(latest)
    rows = rows[~rows["area_code"].isin(forces.force_codes()) & ~rows["area_name"].str.contains("Metropolitan Police")]
    counts = rows["area_type"].value_counts()
    # In words, not codes: "England and Wales, England and Wales separately (2 countries) and 9 English regions".
    words = {"England and Wales": ("England and Wales", "England and Wales"), "country": ("country", "countries"),
             "region": ("English region", "English regions")}
    others = "; ".join(kind if kind == "England and Wales" else f"{n} {words.get(kind, (kind, kind))[n != 1]}"
                       for kind, n in counts.items())
    kept = now[now["area_code"] != ENGLAND_AND_WALES]
    national = now[now["area_code"] == ENGLAND_AND_WALES].iloc[0]
    prev = table[(table["area_code"] == ENGLAND_AND_WALES) & (table["year_ending"] == min(ASB_YEARS))].iloc[0]
    data = [pfa_tables.FILES[y] for y in ASB_YEARS]
    change = asb_change_flags(latest)
    kept = kept.assign(change=kept["area_code"].map(change))
    higher = int((kept["against_england_and_wales"] == stats.HIGHER).sum())
    lower = int((kept["against_england_and_wales"] == stats.LOWER).sum())
    year, prev_year = financial_year(latest), financial_year(min(ASB_YEARS))
    asb = "Adults who experienced or witnessed anti-social behaviour in their local area (CSEW, ONS Table P6)"
    areas = "force areas (London's two forces as one area)"
    some = f"Police {areas}"
    figures = [
        Figure("asb_year", financial_year(latest), "year", data,
               label="Latest year of ONS's CSEW anti-social behaviour figures by police force area (year ending "
                     "March)"),
        Figure("asb_national", national["asb_pct"], "%", data, "{:.1f}", f"{asb}, England and Wales, {year}"),
        Figure("asb_prev_year", financial_year(min(ASB_YEARS)), "year", data,
               label="Earlier year of ONS's CSEW anti-social behaviour figures by police force area, the year "
                     "before the latest, which ONS's change test compares it with"),
        Figure("asb_national_prev", prev["asb_pct"], "%", data, "{:.1f}", f"{asb}, England and Wales, {prev_year}"),
        Figure("asb_national_change", change[ENGLAND_AND_WALES], "comparison", data,
               label="ONS's test of England and Wales's ASB share against the year before (Table P6)"),
        Figure("asb_areas_rose", int((kept["change"] == CHANGE_WORDS["↑"]).sum()), "areas", data,
               label=f"{some} whose anti-social behaviour share rose significantly from {prev_year} to {year} "
                     "(ONS's test)"),
        Figure("asb_areas_fell", int((kept["change"] == CHANGE_WORDS["↓"]).sum()), "areas", data,
               label=f"{some} whose anti-social behaviour share fell significantly from {prev_year} to {year} "
                     "(ONS's test)"),
        Figure("asb_forces", len(kept), "areas", data,
               label=f"{some} in ONS's anti-social behaviour table, {year}"),
        Figure("asb_forces_higher", higher, "areas", data,
               label=f"{some} whose anti-social behaviour share in {year} is significantly higher than England and "
                     "Wales's (ONS's test)"),
        Figure("asb_forces_lower", lower, "areas", data,
               label=f"{some} whose anti-social behaviour share in {year} is significantly lower than England and "
                     "Wales's (ONS's test)"),
        Figure("asb_london", kept.set_index("area_code").at[LONDON, "asb_pct"], "%", data, "{:.1f}",
               f"{asb}, {LONDON_NAME}, {year}"),
        Figure("asb_london_wording", kept.set_index("area_code").at[LONDON, "against_england_and_wales"],
               "comparison", data,
               label=f"London's anti-social behaviour share in {year} against England and Wales's (ONS's test)"),
        Figure("asb_other_rows", others, "rows", data,
               label=f"Rows of ONS's {year} anti-social behaviour table that are not force areas (left out)"),
        Figure("asb_crime_corr", kept["asb_pct"].corr(kept["crime_rate"]), "correlation", data, "{:.2f}",
               f"Correlation across the {len(kept)} {areas} between the anti-social behaviour share and recorded "
               f"crime per 1,000 residents, {year}"),
    ]
    if highlight:  # a survey estimate is placed by ONS's own test, never ranked; London's two forces share one row
        area = asb_area(forces.resolve(highlight).code)
        figures.append(Figure("asb_force_verdict", _asb_sentence(highlight, year), "sentence", data,
                              label=f"{asb}: {asb_area_name(area)}, {year}, against England and Wales and against "
                                    f"{prev_year} (ONS's tests)"))
    plot = kept.assign(pfa_code=kept["area_code"], value=kept["asb_pct"],
                       comparison=kept["against_england_and_wales"]).sort_values(
                           "value", ascending=False, kind="stable")
    chart = ranked.labelled_bars(
        plot[["pfa_code", "value", "comparison"]], name="asb-by-force", x_title="% of adults", fmt=".0f",
        highlight=highlight,
        colour_by="comparison",
        title=f"Adults who experienced or witnessed anti-social behaviour, {financial_year(latest)}",
        subtitle=["CSEW by police force area; each bar's label and colour give ONS's test against England and Wales",
                  "ONS reports the Metropolitan Police and the City of London together, as one London area"],
        source=ASB_SOURCE,
        description=(f"Bar chart of the share of adults who experienced or witnessed anti-social behaviour in "
                     f"{len(kept)} police force areas (the Metropolitan Police and City of London as one London area), "
                     f"{financial_year(latest)}; England and Wales {national['asb_pct']:.0f}%. "
                     f"{higher} areas were significantly higher and {lower} lower (ONS test)."))
    columns = ["area_code", "area", "year_ending", "asb_pct", "against_england_and_wales", "crime_rate"]
    return Section(table[columns], chart, figures)


@national
def cjs_by_group() -> Section:
    """Confidence that the criminal justice system is effective and fair, by group, with 95% CIs."""
    data = csew.load_open_data()
    table = survey.by_group(data, CJS_MEASURES)
    effective = survey.all_adults(data, "cjsovb1dv")
    fair = survey.all_adults(data, "fairova1dv")
    period = manifest.load_manifest()[csew.OPEN_DATA_FILE].period
    effective_what = f"Adults confident that the criminal justice system as a whole is effective, all adults ({period})"
    figures = [Figure("cjs_effective", effective["pct"], "%", OPEN_DATA, "{:.1f}", effective_what),
               Figure("cjs_effective_low", effective["ci_low_pct"], "%", OPEN_DATA, "{:.1f}",
                      f"{effective_what}: lower end of the 95% confidence interval"),
               Figure("cjs_effective_high", effective["ci_high_pct"], "%", OPEN_DATA, "{:.1f}",
                      f"{effective_what}: upper end of the 95% confidence interval"),
               Figure("cjs_fair", fair["pct"], "%", OPEN_DATA, "{:.1f}",
                      f"Adults confident that the criminal justice system as a whole is fair, all adults ({period})"),
               Figure("cjs_groups_differ", int((table["comparison"] != stats.SIMILAR).sum()), "group estimates",
                      OPEN_DATA,
                      label=f"Estimates by ethnic group, age and sex (both criminal justice system measures) "
                            f"significantly higher or lower than all adults, Holm's correction within each measure "
                            f"({period})")]
    chart = ranked.estimates_with_ci(
        table, name="cjs-by-group", title="Confidence in the criminal justice system by group, 2018",
        subtitle="Dots are survey estimates, whiskers 95% confidence intervals; dashed line: all adults",
        reference_label="all adults", source=OPEN_DATA_SOURCE,
        description=("Dot-and-whisker chart of confidence that the criminal justice system is effective and that it is "
                     f"fair, by ethnic group, age and sex, with 95% confidence intervals. All adults: effective "
                     f"{effective['pct']:.0f}%, fair {fair['pct']:.0f}%."))
    return Section(table, chart, figures)


# ONS's test of a force area's ASB against England and Wales (force_series' values), in the force table's words.
ASB_TEST_WORDS = {fm.HIGHER: stats.WORDS[stats.HIGHER], fm.LOWER: stats.WORDS[stats.LOWER],
                  fm.NOT_DIFFERENT: stats.WORDS[stats.SIMILAR]}


def force_section(force: str) -> Section:
    """The force's recorded crime (ONS's newest counts, year ending June 2025, mid-2024 residents) and CSEW
    anti-social behaviour (2018/19, with ONS's test) beside England and Wales, the median force and each comparable
    force: the rows of measures/force_series."""
    f = forces.resolve(force)
    peers = comparable.comparable_to(f.code)
    crime = force_series.for_areas("recorded_crime_per_1000").set_index("force_code")
    period = crime["period"].iloc[0]
    asb = force_series.for_areas("asb_experience_pct")
    asb = asb[asb["year_ending"] == asb["year_ending"].max()].set_index("force_code")
    codes = sorted(forces.force_codes()) + [ENGLAND_AND_WALES]
    frame = pd.DataFrame({
        "crime_rate": crime["value"].reindex(codes),
        "asb_pct": asb["value"].reindex(codes),
        "asb_test": [ASB_TEST_WORDS.get(asb.at[c, "vs_england_and_wales"], "")
                     + (" (London's combined figure)" if asb.at[c, "area"] else "") for c in codes],
    }, index=pd.Index(codes, name="pfa_code"))
    rows = ranking.comparison_rows(frame, f.code, peers)
    asb_year = asb["period"].iloc[0]
    note = "" if not asb.at[f.code, "area"] else f" ASB for {f.name} is the figure for {asb.at[f.code, 'area']}."
    table = tables.format_table(
        rows, headers={"area": "Area", "crime_rate": f"Recorded crime per 1,000 residents, {period}",
                       "asb_pct": f"Adults who experienced or witnessed ASB, {asb_year} (%)",
                       "asb_test": "ASB against England and Wales (ONS test)"},
        decimals={"crime_rate": 1, "asb_pct": 1}, missing={"crime_rate": "no rate: too few residents"}, kind="force",
        caption=f"Recorded crime and anti-social behaviour: {f.name} and others")
    bars = crime.loc[[f.code, ENGLAND_AND_WALES, *peers], ["value"]].dropna().rename_axis("pfa_code").reset_index()
    chart = ranked.labelled_bars(
        bars, name=f"crime-rate-force-{f.slug}", highlight=f.code, fmt=".1f",
        x_title="Recorded crime per 1,000 residents (excluding fraud)",
        title=f"Recorded crime per 1,000 residents, {period}: {f.name}",
        subtitle=[f"Beside England and Wales and its comparable forces; median force "
                  f"{ranking.median_force(crime['value']):.1f}. Recorded offences are counts of events, "
                  "which vary by chance too: the funnel in the chapter places each force." + note],
        source=source_lines.line(force_series.datasets_of(crime)),
        description=(f"Bar chart of recorded crime per 1,000 residents, {period}, in {f.name}, England and Wales and "
                     "its comparable forces. " + common.row_sentence(
                         common.measure_row(f.code, "recorded_crime_per_1000", period),
                         what=f"recorded crime per 1,000 residents, {period}") + "."))
    return Section(table, chart, [])


def recorded_crime_map(highlight: str | None = None) -> Section:
    """Map of police recorded crime (excluding fraud) per 1,000 residents by force, year ending December 2024."""
    edition = pfa_tables.DEC_2024
    period = pfa_tables.PERIODS[edition]
    crime = pfa_tables.recorded_crime(edition)
    kept, _ = pfa_tables.forces_only(crime)
    # England and Wales as every national figure here (TERRITORIAL): the forces' offences over their residents.
    national = {"crimes": kept["crimes"].sum(), "crime_rate": 1000 * kept["crimes"].sum() / kept["population"].sum()}
    rated = kept[kept["crime_rate"].notna()]
    top, low = rated.loc[rated["crime_rate"].idxmax()], rated.loc[rated["crime_rate"].idxmin()]
    suppressed = kept[kept["rate_note"] == pfa_tables.SUPPRESSED]
    names = dict(zip(kept["area_code"], forces.area_names(kept["area_code"])))
    data = [pfa_tables.FILES[edition]]
    rate = f"Police recorded crime (excluding fraud) per 1,000 residents, {period} (ONS's published rates)"
    figures = [
        Figure("crime24_period", period, "period", data,
               label="Period of the ONS police force area tables the recorded crime map is drawn from"),
        Figure("crime24_national_rate", national["crime_rate"], "offences per 1,000 residents", data, "{:.1f}",
               f"Police recorded crime (excluding fraud) per 1,000 residents, England and Wales ({TERRITORIAL}), "
               f"{period}, on ONS's mid-2023 populations"),
        Figure("crime24_national_count", national["crimes"], "offences", data, "{:,.0f}",
               f"Offences recorded by the police (excluding fraud), England and Wales ({TERRITORIAL}), {period}"),
        Figure("crime24_forces", len(rated), "forces", data,
               label=f"Forces with a published recorded crime rate per 1,000 residents, {period}"),
        Figure("crime24_top_force", names[top["area_code"]], "force", data,
               label=f"{rate}: the force with the highest rate"),
        Figure("crime24_top_rate", top["crime_rate"], "offences per 1,000 residents", data, "{:.1f}",
               f"{rate}: the highest force's rate"),
        Figure("crime24_lowest_force", names[low["area_code"]], "force", data,
               label=f"{rate}: the force with the lowest rate"),
        Figure("crime24_lowest_rate", low["crime_rate"], "offences per 1,000 residents", data, "{:.1f}",
               f"{rate}: the lowest force's rate"),
        Figure("crime24_suppressed", ", ".join(names[c] for c in suppressed["area_code"]) or "none", "forces", data,
               label=f"Forces whose recorded crime rate per 1,000 residents ONS withholds, {period}"),
        Figure("crime24_median_force", rated["crime_rate"].median(), "offences per 1,000 residents", data, "{:.1f}",
               f"{rate}: the median force's rate"),
    ]
    values = kept.rename(columns={"area_code": "pfa_code", "crime_rate": "value", "rate_note": "note"})
    values["note"] = values["note"].replace({pfa_tables.SUPPRESSED: f"rate {pfa_tables.SUPPRESSED}"})
    chart = maps.choropleth(
        values[["pfa_code", "value", "note"]], name="recorded-crime-map-2024", highlight=highlight,
        title=f"Police recorded crime per 1,000 residents, {period}",
        subtitle=[f"Excluding fraud; mid-2023 populations. England and Wales: {national['crime_rate']:.1f}"],
        measure_label="Recorded crime (excluding fraud)", unit="per 1,000 residents", period=period,
        source=source_lines.line([pfa_tables.FILES[pfa_tables.DEC_2024], boundaries.BOUNDARIES_FILE]))
    table = kept.assign(force=kept["area_code"].map(names))[
        ["area_code", "force", "crimes", "population", "crime_rate", "rate_note", "period"]]
    return Section(table.rename(columns={"area_code": "pfa_code"}).round({"crime_rate": 1}), chart, figures)


def recorded_crime_funnel(highlight: str | None = None) -> Section:
    """Recorded crime per 1,000 residents by force in ONS's newest counts (year ending June 2025, mid-2024 residents)
    on funnel limits around the median force: the fit whose places the dashboard and the measures table give."""
    fitted, period = measure_funnels.recorded_crime_funnel()
    data = measure_funnels.CRIME_DATA
    national = measure_funnels.recorded_crime_rates().set_index("pfa_code").loc[ENGLAND_AND_WALES]
    figures, chart = common.resident_funnel(
        fitted, "crime25", highlight, data=data, what=f"recorded crime per 1,000 residents (mid-2024), {period}",
        measure=("recorded_crime_per_1000", period),
        unit="offences per 1,000 residents", described=f"recorded crime per 1,000 residents in the {period}",
        events="offences", residents=f"mid-{population.MYE_2024_YEAR}", name="recorded-crime-funnel-2025",
        x_title="Residents (ONS mid-2024 estimate, log scale)",
        y_title="Offences per 1,000 residents",
        title=f"Police recorded crime per 1,000 residents (excluding fraud), by force, {period}",
        subtitle=("Solid lines: 95% limits, dashed: 99.8%, around the median force, widened for the spread between "
                  "forces. The City of London is left out: too few residents for a rate"))
    figures = [Figure("crime25_period", period, "period", data,
                      label="Period of ONS's newest police recorded crime counts by force (Table P1)"),
               Figure("crime25_national_count", national["crimes"], "offences", data, "{:,.0f}",
                      f"Offences recorded by the police (excluding fraud), England and Wales ({TERRITORIAL}), "
                      f"{period}"),
               Figure("crime25_national_rate", national["per_1000"], "offences per 1,000 residents", data, "{:.1f}",
                      f"Police recorded crime (excluding fraud) per 1,000 residents, England and Wales "
                      f"({TERRITORIAL}), {period}, on mid-{population.MYE_2024_YEAR} residents"),
               *figures]
    return Section(fitted.table.drop(columns=["size"]).round(3), chart, figures)


def evidence_section() -> Section:
    """The chapter's cited evidence, one table per message of the guide."""
    return evidence.section("6")
