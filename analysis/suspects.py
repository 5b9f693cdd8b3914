"""Chapter 5: contact with suspects - search volumes, arrest rates and the outcome test, use of force, a police.uk detail view."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import charts, csew, evidence, forces, policeuk, stats
from analysis import stop_search as ss
from analysis.figures import Figure, Section
from analysis.schemas import Column, Schema, require_columns, validate
from analysis.sources import locate

SEARCH_DATA = [ss.SEARCH_FILE]
RATE_DATA = [ss.SEARCH_FILE, ss.CENSUS_FILE]
FORCE_FILES = {2019: "use_of_force_by_ethnicity/fy2018_19", 2020: "use_of_force_by_ethnicity/fy2019_20"}
SEARCH_SOURCE = "Home Office, stop and search open data tables (year ending March 2019 release); OGL v3.0"
FORCE_SOURCE = ("Home Office, police use of force statistics 2018/19 and 2019/20 (via Resistance Lab); ONS 2011 "
                "Census; OGL v3.0")
# The Best Use of Stop and Search scheme (announced April 2014, in force from August 2014) falls
# in the year ending March 2015; the rule sits just before it.
REFORM_YEAR = 2014.5
GROUPS = ["White", "Black", "Asian", "Mixed", "Chinese or other"]
# Use of force columns (perceived ethnicity) -> the census groups used as denominators.
FORCE_GROUPS = {"White": "White", "Black (or Black British)": "Black", "Asian (or Asian British)": "Asian",
                "Mixed": "Mixed", "Chinese": "Chinese or other", "Other": "Chinese or other"}
TOTAL_TACTICS = "*Total Tactics"
NFA = policeuk.NFA
PCT1 = "{:.1f}"


def _totals() -> pd.DataFrame:
    """All searches (every group, stated or not) per area and year, with England and Wales."""
    s = ss.add_england_and_wales(ss.load_searches(), ["year_ending", "group"], ["searches", "arrests"])
    return s.groupby(["pfa_code", "year_ending"], as_index=False)[["searches", "arrests"]].sum()


def _population() -> pd.Series:
    return ss.add_england_and_wales(ss.load_population(), ["group"], ["population"]).groupby("pfa_code")["population"].sum()


def search_volumes() -> Section:
    """Searches in England and Wales each year, 2006/07 to 2018/19, with the 2014 reforms marked."""
    totals = _totals()
    national = totals[totals["pfa_code"] == ss.ENGLAND_AND_WALES].set_index("year_ending")
    peak_year = int(national["searches"].idxmax())
    latest = int(national.index.max())
    reform_before = national.at[int(REFORM_YEAR), "searches"]
    figures = [
        Figure("sv_peak_year", csew.csew_year(peak_year), "year", SEARCH_DATA),
        Figure("sv_peak", national.at[peak_year, "searches"], "searches", SEARCH_DATA, "{:,.0f}"),
        Figure("sv_latest_year", csew.csew_year(latest), "year", SEARCH_DATA),
        Figure("sv_latest", national.at[latest, "searches"], "searches", SEARCH_DATA, "{:,.0f}"),
        Figure("sv_fall_pct", 100 * (1 - national.at[latest, "searches"] / national.at[peak_year, "searches"]), "%",
               SEARCH_DATA),
        Figure("sv_reform_year", csew.csew_year(int(REFORM_YEAR)), "year", SEARCH_DATA),
        Figure("sv_reform_before", reform_before, "searches", SEARCH_DATA, "{:,.0f}"),
        Figure("sv_arrest_rate_latest", 100 * national.at[latest, "arrests"] / national.at[latest, "searches"], "%",
               SEARCH_DATA, PCT1),
    ]
    plot = national.reset_index().rename(columns={"year_ending": "year"}).assign(
        series="Searches, England and Wales", value=lambda d: d["searches"] / 1000, flagged=False)
    chart = charts.yearly_lines(
        plot, name="search-volumes", y_title="Searches (thousands)", x_title="Year ending March",
        title="Stop and search in England and Wales, year by year",
        subtitle="All powers; dashed rule: the 2014 Best Use of Stop and Search reforms", source=SEARCH_SOURCE,
        marks=pd.DataFrame({"year": [REFORM_YEAR], "label": ["2014 reforms"]}),
        description=(f"Line chart of stop and searches in England and Wales by year ending March. Searches peaked "
                     f"at {national.at[peak_year, 'searches']:,} in {csew.csew_year(peak_year)} and fell to "
                     f"{national.at[latest, 'searches']:,} in {csew.csew_year(latest)}; the 2014 reforms are marked."))
    return Section(plot[["year", "searches", "arrests"]], chart, figures)


def searches_per_1000(year: int | None = None) -> pd.DataFrame:
    """Searches per 1,000 residents (2011 Census) by area, for one year ending March (default: latest)."""
    totals = _totals()
    year = year or int(totals["year_ending"].max())
    out = totals[totals["year_ending"] == year].copy()
    out["population"] = out["pfa_code"].map(_population())
    out["per_1000"] = 1000 * out["searches"] / out["population"]
    return out.assign(force=forces.area_names(out["pfa_code"]))


@lru_cache(maxsize=1)
def arrest_rates() -> pd.DataFrame:
    """Share of searches followed by an arrest, by area, year and stated group, with 95% Wilson intervals.

    A few published cells have more arrests than searches (arrests can be recorded against a
    search in another category); no rate is given for those, and `valid` is False.
    """
    s = ss.add_england_and_wales(ss.load_searches(), ["year_ending", "group"], ["searches", "arrests"])
    s = s[s["group"].isin(GROUPS)].reset_index(drop=True)
    s["valid"] = (s["searches"] > 0) & (s["arrests"] <= s["searches"])
    trials = s["searches"].where(s["valid"], 1)
    low, high = stats.wilson_ci(s["arrests"].where(s["valid"], 0), trials)
    s["arrest_pct"] = (100 * s["arrests"] / trials).where(s["valid"])
    s["ci_low"] = pd.Series(100 * low).where(s["valid"])
    s["ci_high"] = pd.Series(100 * high).where(s["valid"])
    return s.assign(force=forces.area_names(s["pfa_code"])).reset_index(drop=True)


def arrest_rate_trend(code: str = ss.ENGLAND_AND_WALES) -> Section:
    """Arrest rates by group over time for one area, with 95% Wilson bands."""
    rates = arrest_rates()
    area = rates[(rates["pfa_code"] == code) & (rates["group"].isin(["White", "Black", "Asian"]))]
    latest = int(area["year_ending"].max())
    now = area[area["year_ending"] == latest].set_index("group")
    name = area["force"].iloc[0]
    figures = [] if code != ss.ENGLAND_AND_WALES else [
        Figure(f"ar_{g.lower()}", now.at[g, "arrest_pct"], "%", SEARCH_DATA, PCT1) for g in ("White", "Black", "Asian")]
    plot = area.rename(columns={"arrest_pct": "value", "group": "series"})
    chart = charts.lines_with_bands(
        plot, name=f"arrest-rates-{code}", y_title="% of searches followed by an arrest", log=False,
        title=f"Searches followed by an arrest, by self-defined ethnicity, {name}",
        subtitle="Shaded: 95% Wilson intervals", source=SEARCH_SOURCE,
        description=(f"Line chart of the share of stop and searches followed by an arrest in {name}, by year, for "
                     "White, Black and Asian people, with 95% intervals. In " + csew.csew_year(latest) + ": "
                     + "; ".join(f"{g} {now.at[g, 'arrest_pct']:.1f}%" for g in ("White", "Black", "Asian")) + "."))
    return Section(plot, chart, figures)


def outcome_test(year: int | None = None) -> Section:
    """Are searches of Black people less often followed by arrest than searches of White people? Force by force."""
    rates = arrest_rates()
    year = year or int(rates["year_ending"].max())
    now = rates[rates["year_ending"] == year]
    black = now[now["group"] == "Black"].set_index("pfa_code")
    white = now[now["group"] == "White"].set_index("pfa_code")
    both = black.join(white, lsuffix="_black", rsuffix="_white", how="inner")
    enough = ((both["searches_black"] >= ss.MIN_SEARCHES_FOR_RATIO) & (both["searches_white"] >= ss.MIN_SEARCHES_FOR_RATIO)
              & both["valid_black"] & both["valid_white"])
    test = stats.compare_proportions(both["arrests_black"], both["searches_black"], both["arrests_white"],
                                     both["searches_white"]).set_index(both.index)
    table = pd.DataFrame({"force": forces.area_names(both.index.to_series()), "black_pct": both["arrest_pct_black"],
                          "white_pct": both["arrest_pct_white"], "value": 100 * test["difference"],
                          "ci_low": 100 * test["ci_low"], "ci_high": 100 * test["ci_high"],
                          "comparison": test["comparison"].where(enough, ss.TOO_FEW)}).reset_index()
    national = table[table["pfa_code"] == ss.ENGLAND_AND_WALES].iloc[0]
    forces_only = table[(table["pfa_code"] != ss.ENGLAND_AND_WALES) & (table["comparison"] != ss.TOO_FEW)]
    figures = [
        Figure("ot_year", csew.csew_year(year), "year", SEARCH_DATA),
        Figure("ot_black", national["black_pct"], "%", SEARCH_DATA, PCT1),
        Figure("ot_white", national["white_pct"], "%", SEARCH_DATA, PCT1),
        Figure("ot_national", national["comparison"], "comparison", SEARCH_DATA),
        Figure("ot_forces", len(forces_only), "forces", SEARCH_DATA),
        Figure("ot_forces_lower", int((forces_only["comparison"] == stats.LOWER).sum()), "forces", SEARCH_DATA),
        Figure("ot_forces_higher", int((forces_only["comparison"] == stats.HIGHER).sum()), "forces", SEARCH_DATA),
        Figure("ot_forces_similar", int((forces_only["comparison"] == stats.SIMILAR).sum()), "forces", SEARCH_DATA),
    ]
    plot = table[table["comparison"] != ss.TOO_FEW].assign(highlight=lambda d: d["pfa_code"] == ss.ENGLAND_AND_WALES)
    chart = charts.ranked_intervals(
        plot, name="outcome-test", log=False, reference=0.0, x_title="Percentage points (Black minus White)",
        title=f"Arrest rate after a search: Black minus White, {csew.csew_year(year)}",
        subtitle="Below zero: searches of Black people less often led to arrest; whiskers: 95% intervals",
        source=SEARCH_SOURCE,
        description=(f"Ranked dot-and-whisker chart of the difference in arrest rates after a search between Black "
                     f"and White people, {csew.csew_year(year)}, for {len(forces_only)} forces with enough searches "
                     f"and England and Wales ({national['value']:+.1f} points). "
                     f"{int((forces_only['comparison'] == stats.LOWER).sum())} forces were significantly lower."))
    return Section(table.round(2), chart, figures)


def _force_schema() -> Schema:
    return Schema(
        "use of force tactic uses by force and perceived ethnicity",
        (forces.code_column(),
         Column("group", "str", allowed=frozenset(FORCE_GROUPS.values())), Column("uses", "number", min=0)),
        unique=("pfa_code", "group"),
    )


@lru_cache(maxsize=2)
def load_use_of_force(year_ending: int) -> pd.DataFrame:
    """Total tactic uses per force by perceived ethnicity (one financial year), checked against the published total."""
    path = locate(FORCE_FILES[year_ending])
    raw = pd.read_csv(path)
    require_columns(raw, ["Police Force", "Tactic", *[c for c in FORCE_GROUPS if c != "Chinese"]], str(path))
    totals = raw[raw["Tactic"] == TOTAL_TACTICS]
    codes = totals["Police Force"].map(lambda n: forces.code_for(n, str(path)))
    present = [c for c in FORCE_GROUPS if c in totals.columns]
    long = (totals.assign(pfa_code=codes)[codes.notna()].melt(id_vars="pfa_code", value_vars=present,
                                                              var_name="column", value_name="uses")
            .assign(group=lambda d: d["column"].map(FORCE_GROUPS))
            .groupby(["pfa_code", "group"], as_index=False)["uses"].sum())
    validate(long, _force_schema(), str(path))
    published = totals[codes.isna() & totals["Police Force"].str.contains("Total")][present].sum().sum()
    if not np.isclose(long["uses"].sum(), published):
        raise ValueError(f"{path}: forces add up to {long['uses'].sum():,.0f} tactic uses but the England and Wales "
                         f"row says {published:,.0f}; rows are missing")
    return long


def use_of_force_ratios() -> pd.DataFrame:
    """Tactic uses per 1,000 residents by perceived ethnicity, and the Black/White ratio with a 95% score interval."""
    pop = ss.add_england_and_wales(ss.load_population(), ["group"], ["population"])
    frames = []
    for year in FORCE_FILES:
        uses = ss.add_england_and_wales(load_use_of_force(year), ["group"], ["uses"])
        rates = uses.merge(pop, on=["pfa_code", "group"], validate="one_to_one")
        black = rates[rates["group"] == "Black"].set_index("pfa_code")
        white = rates[rates["group"] == "White"].set_index("pfa_code").loc[black.index]
        enough = (black["uses"] >= ss.MIN_SEARCHES_FOR_RATIO) & (white["uses"] >= ss.MIN_SEARCHES_FOR_RATIO)
        ratio = stats.poisson_rate_ratio(black["uses"].where(enough, 0), black["population"],
                                         white["uses"].where(enough, 0), white["population"])
        ratio.index = black.index
        frames.append(pd.DataFrame({
            "year_ending": year, "black_uses": black["uses"], "white_uses": white["uses"],
            "black_per_1000": 1000 * black["uses"] / black["population"],
            "white_per_1000": 1000 * white["uses"] / white["population"],
            "value": ratio["rate_ratio"], "ci_low": ratio["ci_low"], "ci_high": ratio["ci_high"],
            "label": np.where(enough, ratio["rate_ratio"].map(lambda r: f"{r:.1f}"), ss.TOO_FEW)}).reset_index())
    out = pd.concat(frames, ignore_index=True)
    return out.assign(force=forces.area_names(out["pfa_code"]))


def use_of_force() -> Section:
    """Black/White ratio of tactic uses per 1,000 residents, by force, for the latest year."""
    table = use_of_force_ratios()
    latest = int(table["year_ending"].max())
    national = table[table["pfa_code"] == ss.ENGLAND_AND_WALES].set_index("year_ending")
    now = table[table["year_ending"] == latest]
    forces_only = now[(now["pfa_code"] != ss.ENGLAND_AND_WALES) & now["value"].notna()]
    figures = [
        Figure("uof_year", csew.csew_year(latest), "year", list(FORCE_FILES.values())),
        Figure("uof_ratio", national.at[latest, "value"], "ratio", [FORCE_FILES[latest], ss.CENSUS_FILE], PCT1),
        Figure("uof_ratio_low", national.at[latest, "ci_low"], "ratio", [FORCE_FILES[latest], ss.CENSUS_FILE], PCT1),
        Figure("uof_ratio_high", national.at[latest, "ci_high"], "ratio", [FORCE_FILES[latest], ss.CENSUS_FILE], PCT1),
        Figure("uof_ratio_prev", national.at[latest - 1, "value"], "ratio", [FORCE_FILES[latest - 1], ss.CENSUS_FILE],
               PCT1),
        Figure("uof_prev_year", csew.csew_year(latest - 1), "year", list(FORCE_FILES.values())),
        Figure("uof_black_per_1000", national.at[latest, "black_per_1000"], "per 1,000",
               [FORCE_FILES[latest], ss.CENSUS_FILE]),
        Figure("uof_white_per_1000", national.at[latest, "white_per_1000"], "per 1,000",
               [FORCE_FILES[latest], ss.CENSUS_FILE]),
        Figure("uof_forces_above_1", int((forces_only["ci_low"] > 1).sum()), "forces", [FORCE_FILES[latest]]),
        Figure("uof_forces", len(forces_only), "forces", [FORCE_FILES[latest]]),
    ]
    plot = now[now["value"].notna()].assign(highlight=lambda d: d["pfa_code"] == ss.ENGLAND_AND_WALES)
    chart = charts.ranked_intervals(
        plot, name="use-of-force-ratio", reference=1.0, x_title="Rate ratio (log scale)",
        title=f"Use of force on Black people relative to White people, by force, {csew.csew_year(latest)}",
        subtitle="Tactic uses per 1,000 residents of each group (2011 Census); whiskers: 95% intervals. "
                 "The unit is tactic uses, not people", source=FORCE_SOURCE,
        description=(f"Ranked dot-and-whisker chart of the Black/White ratio of police use of force tactic uses per "
                     f"1,000 residents, {csew.csew_year(latest)}, for {len(forces_only)} forces and England and Wales "
                     f"({national.at[latest, 'value']:.1f}). One person can be the subject of several tactics."))
    return Section(now.round(2), chart, figures)


def detail(path=None, key: str = "ss_detail", force: str | None = None) -> Section:
    """From police.uk stop and search data (one file or a force's download folder): how often no further action,
    and how often the outcome was linked to the object of the search; over several months, NFA each month."""
    searches = policeuk.read("stop-and-search", path, force)
    datasets, extra = policeuk.provenance(searches, "stop-and-search", key)
    n = len(searches)
    nfa = int((searches["Outcome"] == NFA).sum())
    recorded = int(searches["Outcome"].notna().sum())  # a search with no outcome recorded is missing, not NFA
    linked = searches["Outcome linked to object of search"].dropna().str.lower()
    linked_true = int((linked == "true").sum())
    nfa_low, nfa_high = stats.wilson_ci(nfa, recorded)
    link_low, link_high = stats.wilson_ci(linked_true, len(linked))
    where, force_name, months = searches.attrs["label"], policeuk.force_name(searches), policeuk.span(searches)
    slug = "" if path is None else "-" + forces.get(searches.attrs["force"]).slug
    source = f"police.uk stop and search, {where}; OGL v3.0"
    figures = [
        Figure(f"{key}_n", n, "searches", datasets),
        Figure(f"{key}_nfa", 100 * nfa / recorded, "%", datasets),
        Figure(f"{key}_nfa_low", 100 * float(nfa_low), "%", datasets),
        Figure(f"{key}_nfa_high", 100 * float(nfa_high), "%", datasets),
        Figure(f"{key}_linked_n", len(linked), "searches", datasets),
        Figure(f"{key}_linked", 100 * linked_true / len(linked), "%", datasets),
        Figure(f"{key}_linked_low", 100 * float(link_low), "%", datasets),
        Figure(f"{key}_linked_high", 100 * float(link_high), "%", datasets),
    ] + extra
    table = policeuk.distribution(searches["Outcome"], "not recorded")
    chart = charts.labelled_bars(
        table.rename(columns={"category": "label", "share_pct": "value"}), name=f"search-outcomes{slug}",
        x_title="% of searches", title=f"Outcomes of stop and search, {where}", source=source,
        subtitle=f"{n:,} searches; police.uk data, {months}",
        description=(f"Bar chart of the outcomes of {n:,} stop and searches by {force_name}, {months}; "
                     f"{100 * nfa / recorded:.0f}% of those with an outcome recorded ended with no further action."))
    more = []
    if len(searches.attrs["months"]) > 1:
        monthly = policeuk.monthly_share(searches, "Outcome", NFA)
        more.append(charts.dated_lines_with_ci(
            policeuk.as_dated(monthly, "No further action"), name=f"search-nfa-monthly{slug}", source=source,
            y_title="% of searches with an outcome recorded",
            title=f"Searches ending in no further action each month, {where}",
            subtitle="Shaded: 95% Wilson interval; searches with no outcome recorded are left out",
            description=(f"Line chart of the monthly share of stop and searches by {force_name} ending in no further "
                         f"action, {months}: from {monthly['share_pct'].min():.0f}% to "
                         f"{monthly['share_pct'].max():.0f}%, each with a 95% confidence interval.")))
    return Section(table.round(1), chart, figures, more, policeuk.gap_note(searches))


def force_section(force: str) -> Section:
    """The force's searches per 1,000 residents beside England and Wales, and its latest arrest rates by group."""
    f = forces.resolve(force)
    totals = _totals()
    pop = _population()
    both = totals[totals["pfa_code"].isin([f.code, ss.ENGLAND_AND_WALES])].copy()
    both["value"] = 1000 * both["searches"] / both["pfa_code"].map(pop)
    plot = both.rename(columns={"year_ending": "year"}).assign(
        series=lambda d: d["pfa_code"].map({f.code: f.short_name, ss.ENGLAND_AND_WALES: "England and Wales"}),
        flagged=False)
    chart = charts.yearly_lines(
        plot, name=f"search-rate-force-{f.slug}", y_title="Searches per 1,000 residents", x_title="Year ending March",
        fmt=".1f", title=f"Stop and search per 1,000 residents: {f.name} and England and Wales",
        subtitle="Residents from the 2011 Census; dashed rule: the 2014 reforms", source=SEARCH_SOURCE,
        marks=pd.DataFrame({"year": [REFORM_YEAR], "label": ["2014 reforms"]}),
        description=(f"Line chart of stop and searches per 1,000 residents in {f.name} and England and Wales by year "
                     "ending March, with the 2014 reforms marked."))
    rates = arrest_rates()
    latest = int(rates["year_ending"].max())
    mine = rates[(rates["pfa_code"] == f.code) & (rates["year_ending"] == latest)]
    table = mine[["group", "searches", "arrests", "arrest_pct", "ci_low", "ci_high"]].rename(
        columns={"arrest_pct": f"% arrested {csew.csew_year(latest)}", "ci_low": "95% CI from", "ci_high": "95% CI to"})
    return Section(table.round(1), chart, [])


def evidence_table() -> pd.DataFrame:
    return evidence.table(evidence.load_register(), chapter_prefix="4")
