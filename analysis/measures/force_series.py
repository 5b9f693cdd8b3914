"""Every force's measures over time as one tidy table (a row per area, measure and period, the 43 forces and, where
the chapters show it, England and Wales), each period marked where it breaks with the one before it, computed once per data version: what the
chapters' force sections draw and tabulate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import yaml

from analysis import config
from analysis.measures import force_measures as fm
from analysis.measures import asb, funnels, search_ratios
from analysis.methods import disproportionality, per_resident, stats
from analysis.sources import cache, census, force_indicators, forces, iopc, manifest, pfa_tables, population
from analysis.sources import search_totals_2025, workforce
from analysis.sources import search_rates as sr
from analysis.sources import stop_search as ss
from analysis.sources.periods import financial_year

ENGLAND_AND_WALES = forces.ENGLAND_AND_WALES
# The Black/White ratios' two bases (data/measures.yml names the series by them).
INTERPOLATED = "residents interpolated between the 2011 and 2021 Censuses"
CENSUS_2021 = "Census 2021 residents"
EACH_YEAR = "the residents of each year"
SAME_YEAR = "the residents of the same year (mid-year, three months after the count)"
MID_2024 = "mid-2024 residents"
COUNT = "a count, no residents"
SURVEY = "a survey estimate (the Crime Survey for England and Wales)"
# ONS's test of a force area's share against England and Wales, in the measures table's values.
AGAINST = {stats.HIGHER: fm.HIGHER, stats.LOWER: fm.LOWER, stats.SIMILAR: fm.NOT_DIFFERENT}
RATIO_DATA = [ss.SEARCH_FILE, census.CENSUS_2011_FILE, census.CENSUS_FILE]
RATE_DATA = [ss.SEARCH_FILE, *population.BY_YEAR_FILES]
WORKFORCE_DATA = [workforce.WORKFORCE_FILE, *workforce.POPULATION_FILES]
# Each staff measure by the workforce data's role.
ROLES = {"Police officers": "officers_per_100k", "PCSOs": "pcsos_per_100k",
         workforce.NEIGHBOURHOOD_ROLES: "officers_and_pcsos_per_100k"}


def _series_only() -> dict[str, dict]:
    with open(config.MEASURES_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh).get("series_only") or {}


# Every measure a series may be of: the measures table's, then those only the force sections draw over time.
MEASURES: dict[str, dict] = fm.MEASURES | _series_only()

# year_ending: the year a period ends in, for charts' axes (2019 for 2018/19, 2023 for 31 March 2023); series: the
# like-for-like series (data/measures.yml, else the basis); series_break: a period not comparable with the area's
# previous period of the measure; hollow: a period drawn hollow and joined to no other (the Black/White ratio's years
# far from a census, or whose two denominators disagree by more than the interval).
COLUMNS = ["force_code", "force", "measure_id", "measure", "period", "period_end", "year_ending", "value", "ci_low",
           "ci_high", "unit", "basis", "series", "series_break", "hollow", "reason", "events", "grade", "datasets"]
# Beyond the columns every series has: the residents a rate is of (denominator); where a force is given another
# area's figure (London's two forces share one in the CSEW), that area (area) and the test of it against England and
# Wales (vs_england_and_wales, the measures table's values); the Black/White ratio's searches of each group (counted, or rebuilt from
# published rates), its figure on the 2011 Census (the Home Office's method), and the range its two denominators
# give, with whether that range is wider than its interval (denominators_disagree).
EXTRA = ["denominator", "area", "vs_england_and_wales", "black_events", "white_events", "official_value", "denominator_low", "denominator_high",
         "denominators_disagree"]
NUMBERS = {"value", "ci_low", "ci_high", "events", "denominator", "black_events", "white_events", "official_value",
           "denominator_low", "denominator_high"}
# Why a period has no figure: the series' own reasons, then those of the measures table's newest rows it repeats.
REASONS = [disproportionality.TOO_FEW, fm.NOT_PUBLISHED, fm.CRIME_CITY, fm.CITY, fm.TOO_FEW, fm.EXTRACT_NO_RATIO]

SCHEMA = pa.DataFrameSchema(
    {
        "force_code": pa.Column(str, pa.Check.isin(sorted(forces.force_codes() | {ENGLAND_AND_WALES}))),
        "force": pa.Column(str),
        "measure_id": pa.Column(str, pa.Check.isin(list(MEASURES))),
        "measure": pa.Column(str),
        "period": pa.Column(str, pa.Check.str_length(min_value=4)),
        "period_end": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
        "year_ending": pa.Column(int),
        "value": pa.Column(float, nullable=True),
        "ci_low": pa.Column(float, nullable=True),
        "ci_high": pa.Column(float, nullable=True),
        "unit": pa.Column(str),
        "basis": pa.Column(str),
        "series": pa.Column(str),
        "series_break": pa.Column(bool),
        "hollow": pa.Column(bool),
        "reason": pa.Column(object, pa.Check.isin(REASONS), nullable=True),
        "events": pa.Column(float, nullable=True),
        "grade": pa.Column(str, pa.Check.isin(list(manifest.GRADES))),
        "datasets": pa.Column(str, pa.Check.str_length(min_value=1)),
        "denominators_disagree": pa.Column(bool),
        "area": pa.Column(object, nullable=True),
        "vs_england_and_wales": pa.Column(object, pa.Check.isin(list(AGAINST.values())), nullable=True),
        **{column: pa.Column(float, nullable=True) for column in EXTRA if column in NUMBERS},
    },
    checks=[
        pa.Check(lambda d: ~(d["ci_low"] > d["ci_high"]), error="an interval's low end above its high end"),
        pa.Check(lambda d: ~(d["value"].notna() & d["reason"].notna()), error="a figure and a reason for none"),
        pa.Check(lambda d: ~d.duplicated(["force_code", "measure_id", "period"]),
                 error="two rows for one area, measure and period"),
    ],
    strict=True, coerce=False)


def _areas() -> list[str]:
    return sorted(forces.force_codes()) + [ENGLAND_AND_WALES]


def _rows(measure_id: str, table: pd.DataFrame, basis: str, datasets: list[str], period=financial_year) -> pd.DataFrame:
    """A measure's rows from `table` (pfa_code, year_ending, value and any other column), kept to the 43 forces and
    England and Wales, named, with their period (`period` of year_ending), basis, grade and datasets."""
    meta = MEASURES[measure_id]
    rows = table[table["pfa_code"].isin(_areas())].rename(columns={"pfa_code": "force_code"})
    periods = rows["year_ending"].map(period)
    return rows.assign(force=forces.area_names(rows["force_code"]).to_numpy(), measure_id=measure_id,
                       measure=meta["label"], period=periods, period_end=periods.map(fm.period_end_of),
                       unit=meta["unit"], basis=basis, grade=manifest.lowest_grade(datasets),
                       datasets="; ".join(datasets))


def bw_search_ratio() -> pd.DataFrame:
    """The Black/White search rate ratio: each year of the search counts on residents interpolated between the
    censuses (the book's figure; drawn hollow and joined to no other year where search_ratios.hollow says), the 2011
    Census ratio beside it, then on Census 2021 residents 2022/23 from the published rates (counts rebuilt from the
    rates) and 2024/25 from a third party's counts (newest_ratio)."""
    ratios = search_ratios.rate_ratio_table()
    black = ratios[ratios["group"] == "Black"]
    counted = _rows("bw_search_ratio", black.assign(
        value=black["rate_ratio_interpolated"], ci_low=black["ci_low_interpolated"],
        ci_high=black["ci_high_interpolated"], black_events=black["searches"], white_events=black["searches_ref"],
        official_value=black["rate_ratio"], denominators_disagree=black["denominator_uncertain"].astype(bool),
        hollow=search_ratios.hollow(black).astype(bool),
        reason=np.where(black["rate_ratio"].isna(), disproportionality.TOO_FEW, None)),
        INTERPOLATED, RATIO_DATA)
    published = disproportionality.published_ratios()
    year = int(sr.YEAR[:4]) + 1
    rebuilt = _rows("bw_search_ratio", published.assign(
        year_ending=year, value=published["ratio"], black_events=published.get("black_searches"),
        white_events=published.get("white_searches"), official_value=published["ratio"],
        reason=np.where(published["ratio"].isna(), fm.NOT_PUBLISHED, None)), CENSUS_2021, sr.DATASETS)
    return pd.concat([counted, rebuilt, newest_ratio()], ignore_index=True)


def _measures_rows(rows: pd.DataFrame, national: dict, **columns) -> pd.DataFrame:
    """One period of the measures table's rows (a builder's, for the 43 forces) as the series' table to name: each
    force's figure and interval as the table has them, the reason only where it gives no figure (the series keeps a
    figure it gives no verdict for), England and Wales's row from `national`, and any other column by ONS code."""
    mine = rows.set_index("force_code")
    table = mine.reindex(columns=["value", "ci_low", "ci_high"]).assign(
        reason=mine["reason"].where(mine["value"].isna()))
    table = pd.concat([table, pd.DataFrame([national], index=[ENGLAND_AND_WALES])])  # a row, never a cast column
    for name, column in columns.items():
        table[name] = column
    return table.rename_axis("pfa_code").reset_index()


def newest_ratio() -> pd.DataFrame:
    """The Black/White ratio, 2024/25, on Census 2021 residents, as the measures table has it (a third party's counts,
    recomputed with their score interval; fm.newest_ratio), the counts beside it; England and Wales's, the measures
    table's figure, with the score interval of the 43 forces' counts."""
    ind = force_indicators.load().set_index("pfa_code")
    rows = fm.newest_ratio()
    people = census.census2021_by_ethnicity().pivot(index="pfa_code", columns="group", values="population")
    black, white = ind["searches_black"].sum(), ind["searches_white"].sum()
    ew = stats.poisson_rate_ratio(black, people.at[ENGLAND_AND_WALES, "Black"], white,
                                  people.at[ENGLAND_AND_WALES, "White"]).iloc[0]
    national = {"value": rows["england_and_wales"].iloc[0], "ci_low": ew["ci_low"], "ci_high": ew["ci_high"]}
    table = _measures_rows(rows, national, black_events=pd.concat([ind["searches_black"], pd.Series(
        {ENGLAND_AND_WALES: black})]), white_events=pd.concat([ind["searches_white"], pd.Series(
        {ENGLAND_AND_WALES: white})]))
    return _rows("bw_search_ratio", table.assign(year_ending=force_indicators.SEARCH_YEAR), CENSUS_2021,
                 rows["datasets"].iloc[0].split("; "))


def searches_per_1000() -> pd.DataFrame:
    """Searches per 1,000 residents (ONS's mid-year estimate of each year) in each year of the open data, then
    2024/25 (newest_searches)."""
    rates = per_resident.per_1000_residents(ss.search_totals())
    counted = _rows("searches_per_1000", rates.assign(value=rates["per_1000"], events=rates["searches"],
                                                      denominator=rates["population"]), EACH_YEAR, RATE_DATA)
    return pd.concat([counted, newest_searches()], ignore_index=True)


def newest_searches() -> pd.DataFrame:
    """Searches per 1,000 residents in 2024/25, the Home Office's force totals on mid-2024 residents (the year the
    period starts in, as every year of the open data): the measures table's figures (fm.newest_searches), the same
    series as the open data's years (data/measures.yml)."""
    rows = fm.newest_searches()
    searches = search_totals_2025.load().set_index("pfa_code")["searches"]
    residents = population.for_year(population.MYE_2024_YEAR)
    events = pd.concat([searches, pd.Series({ENGLAND_AND_WALES: searches.sum()})])
    table = _measures_rows(rows, {"value": rows["england_and_wales"].iloc[0]}, events=events,
                           denominator=residents.reindex(events.index))
    return _rows("searches_per_1000", table.assign(year_ending=search_totals_2025.YEAR_ENDING), EACH_YEAR,
                 rows["datasets"].iloc[0].split("; "))


def _march(year: int) -> str:
    return f"31 March {year}"


def staff() -> pd.DataFrame:
    """Officers, PCSOs and the two together per 100,000 residents at each 31 March of the Home Office's workforce
    data (each count over the mid-year residents of its year), then officers at 31 March 2026 from a third party's
    extract on mid-2024 residents: another source and population year, so a break. Each carries the count (FTE) it
    is of, the extract's too."""
    rates = workforce.rates()
    official = pd.concat([_rows(ROLES[role], mine.assign(year_ending=mine["year"], value=mine["per_100k"],
                                                         events=mine["fte"], denominator=mine["population"]),
                                SAME_YEAR, WORKFORCE_DATA, _march)
                          for role, mine in rates.groupby("role", sort=True) if role in ROLES], ignore_index=True)
    ind = force_indicators.load()
    national = force_indicators.national()
    newest = pd.concat([ind[["pfa_code", "officers_per_100k_2024_pop", "officers_2026"]].rename(
        columns={"officers_per_100k_2024_pop": "value", "officers_2026": "events"}),
        pd.DataFrame({"pfa_code": [ENGLAND_AND_WALES], "value": [national["officers_per_100k"]],
                      "events": [national["officers_2026"]]})],
        ignore_index=True).assign(year_ending=force_indicators.OFFICERS_YEAR)
    third_party = _rows("officers_per_100k", newest, MID_2024,
                        [force_indicators.INDICATORS_FILE, population.MYE_2024_FILE], _march)
    return pd.concat([official, third_party], ignore_index=True)


def deaths() -> pd.DataFrame:
    """Deaths during or following contact with each force in each financial year of IOPC's tables, all types
    together, with an exact 95% interval for the count. No England and Wales row: IOPC counts a death in an incident
    two forces shared against each, so the forces' sum may hold a death twice."""
    counts = iopc.by_force().groupby(["pfa_code", "year_ending"], as_index=False, sort=True)["fatalities"].sum()
    low, high = stats.poisson_count_ci(counts["fatalities"])
    return _rows("deaths_count", counts.assign(value=counts["fatalities"], ci_low=low, ci_high=high,
                                               events=counts["fatalities"]), COUNT, [iopc.DEATHS_FILE])


def recorded_crime() -> pd.DataFrame:
    """Recorded crime per 1,000 residents in ONS's newest counts (mid-2024 residents): the funnel's figures
    (measures/funnels), one period; the City of London has no rate (ONS gives it none)."""
    crime = funnels.recorded_crime_rates()
    _, period = funnels.recorded_crime_funnel()
    rows = _rows("recorded_crime_per_1000", crime.assign(
        year_ending=int(fm.period_end_of(period)[:4]), value=crime["per_1000"], events=crime["crimes"],
        denominator=crime["population"], reason=np.where(crime["per_1000"].isna(), fm.CRIME_CITY, None)),
        MID_2024, funnels.CRIME_DATA, lambda _: period)
    return rows


def anti_social_behaviour() -> pd.DataFrame:
    """Adults who experienced or witnessed ASB in each CSEW year the tables give, with ONS's test against England and
    Wales; London's two forces each given London's one figure and test, the area named."""
    table = asb.asb_table()
    areas = pd.DataFrame({"pfa_code": _areas()})
    areas["area_code"] = areas["pfa_code"].map(asb.asb_area)
    rows = areas.merge(table, on="area_code", how="left", validate="many_to_many")
    shared = rows["area_code"] != rows["pfa_code"]
    return _rows("asb_experience_pct", rows.assign(
        value=rows["asb_pct"], vs_england_and_wales=rows["against_england_and_wales"].map(AGAINST),
        area=rows["area"].where(shared)), SURVEY, [pfa_tables.FILES[y] for y in asb.ASB_YEARS]).assign(
        datasets=rows["year_ending"].map(pfa_tables.FILES).to_numpy(),
        grade=rows["year_ending"].map(lambda y: manifest.lowest_grade([pfa_tables.FILES[y]])).to_numpy())


def median_of(measure_id: str, codes: list[str]) -> pd.DataFrame:
    """The median of several areas' figures in each period where any has one (a group of comparable forces, which no
    one unusual force can drive, as a rate pooled over them the largest would): year_ending, period, value, areas."""
    rows = for_areas(measure_id, codes)
    rows = rows[rows["value"].notna()]
    return rows.groupby(["year_ending", "period"], as_index=False, sort=True).agg(
        value=("value", "median"), areas=("value", "size"))


def _series(table: pd.DataFrame) -> pd.Series:
    """Each row's like-for-like series: data/measures.yml's series whose datasets hold the row's primary dataset, else
    its basis."""
    primary = table["datasets"].str.split("; ").str[0]
    named = pd.Series(table["basis"], index=table.index)
    for measure_id, meta in MEASURES.items():
        for name, datasets in (meta.get("series") or {}).items():
            named = named.mask((table["measure_id"] == measure_id) & primary.isin(datasets), name)
    return named


def breaks(table: pd.DataFrame) -> pd.Series:
    """Whether each row's period is not comparable with the area's previous period of the measure: its series (one
    definition, one kind of denominator) differs from the one before it."""
    ordered = table.sort_values(["force_code", "measure_id", "period_end"], kind="stable")
    before = ordered.groupby(["force_code", "measure_id"])["series"].shift()
    return (before.notna() & (before != ordered["series"])).reindex(table.index)


def runs(rows: pd.DataFrame) -> pd.Series:
    """Which of some rows (force_code, measure_id, period_end, year_ending, series_break) a line may join: a run per
    area and measure, a new one at a series break or after a year the series has no period for, labelled
    "<force_code>:<n>" (a run of one period is a point, never joined across the break or the gap)."""
    ordered = rows.sort_values(["force_code", "measure_id", "period_end"], kind="stable")
    areas = ordered.groupby(["force_code", "measure_id"], sort=False)
    gap = areas["year_ending"].diff() > 1
    number = (ordered["series_break"] | gap).astype(int).groupby([ordered["force_code"], ordered["measure_id"]]).cumsum()
    return (ordered["force_code"] + ":" + number.astype(str)).reindex(rows.index)


def _build() -> pd.DataFrame:
    table = pd.concat([bw_search_ratio(), searches_per_1000(), staff(), deaths(), recorded_crime(),
                       anti_social_behaviour()], ignore_index=True)
    table["series"] = _series(table)
    table["series_break"] = breaks(table)
    for column in COLUMNS + EXTRA:
        if column not in table:
            table[column] = None
    table["hollow"] = table["hollow"].fillna(False).astype(bool)
    table["denominators_disagree"] = table["denominators_disagree"].fillna(False).astype(bool)
    table["year_ending"] = table["year_ending"].astype(int)
    table = table[COLUMNS + EXTRA]
    for column in COLUMNS + EXTRA:
        if column in NUMBERS:
            table[column] = pd.to_numeric(table[column]).astype(float)
        elif table[column].dtype != bool and column != "year_ending":  # text, as the measures table holds it
            table[column] = table[column].astype(object).where(table[column].notna(), None)
    table = table.sort_values(["measure_id", "force_code", "period_end"], kind="stable").reset_index(drop=True)
    return SCHEMA.validate(table)


@cache.on_disk
def _table() -> pd.DataFrame:
    # Every area's series, computed once per data version and shared by every kernel and edition.
    return _build()


@cache.in_memory
def all_series() -> pd.DataFrame:
    """Every area's measure series: a row per area (the 43 forces and England and Wales), measure and period
    (COLUMNS, then EXTRA), oldest period first; callers never modify it."""
    return _table()


def for_areas(measure_id: str, codes: list[str] | None = None) -> pd.DataFrame:
    """One measure's rows for the areas named (ONS codes; default every area), oldest period first."""
    table = all_series()
    mine = (table["measure_id"] == measure_id) & table["force_code"].isin(_areas() if codes is None else codes)
    return table[mine].reset_index(drop=True)


def datasets_of(rows: pd.DataFrame) -> list[str]:
    """The datasets some rows' figures came from, in the order first named: what their chart's source line cites."""
    return list(dict.fromkeys(d for named in rows["datasets"] for d in named.split("; ")))
