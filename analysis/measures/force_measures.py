"""Every force's measures as one tidy table (a row per force, measure and period) with its comparators and its verdicts
as values, computed once per data version: what the dashboard, key points, briefing, data pack and compare page show."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import yaml

from analysis import config
from analysis.measures import arrests, asb, funnels, search_ratios
from analysis.measures.search_ratios import rate_ratio_table
from analysis.methods import change, comparable, disproportionality, funnel, multiplicity, per_resident, ranking, stats
from analysis.sources import cache, census, force_indicators, forces, iopc, iopc_extract, manifest, pfa_tables
from analysis.sources import population, search_totals_2025, workforce
from analysis.sources import search_rates as sr
from analysis.sources import stop_search as ss
from analysis.sources.periods import financial_year

ENGLAND_AND_WALES = forces.ENGLAND_AND_WALES

# Where a force falls on a funnel (methods/funnel's wording) as the table's values.
FUNNEL_PLACES = {funnel.ABOVE_998: "above 99.8% limit", funnel.ABOVE_95: "above 95% limit",
                 funnel.WITHIN: "within 95% limits", funnel.BELOW_95: "below 95% limit",
                 funnel.BELOW_998: "below 99.8% limit"}
# A funnel place in the chapters' words (methods/funnel), read on before "around" and the funnel's centre.
FUNNEL_WORDS = {place: words for words, place in FUNNEL_PLACES.items()}
OUTSIDE_95 = ("above 99.8% limit", "above 95% limit", "below 95% limit", "below 99.8% limit")
CENTRE_EW = "England and Wales"
# Every funnel of rates per resident is centred on the median force (methods/funnel.forces_rate_funnel).
CENTRE_MEDIAN = funnel.MEDIAN_FORCE
CENTRE_EXCLUDING_MET = search_ratios.CENTRE_NAME  # every Black/White funnel: the Met makes most searches of Black people
HIGHER, LOWER, NOT_DIFFERENT = "significantly higher", "significantly lower", "not significantly different"
ABOVE_PARITY, BELOW_PARITY, AT_PARITY = ("significantly above parity", "significantly below parity",
                                         "not significantly different from parity")
RISE, FALL, NO_CHANGE, NOT_TESTED = ("significant rise", "significant fall", "no significant change", "not tested")
# A change in a count of every event (or a ratio of counts) tested against no change with the spread of the forces'
# changes allowed for (methods/change), and not significant: the force did change, which "no significant change" would
# deny, and the test does not say how it stands among the forces' changes either.
WITHIN_SPREAD = "not significant once the spread of the forces' changes is allowed for"
# Why a verdict is missing.
CITY = "the City of London: per resident, its figures say little (hundreds of thousands work in or visit it each day)"
TOO_FEW = f"fewer than {config.MIN_EVENTS_FOR_RATIO} searches in a group"
USES_TOO_FEW = f"fewer than {config.MIN_EVENTS_FOR_RATIO} tactic uses in a group"
EXTRACT_NO_RATIO = "the third party gives no ratio: fewer than 30 searches of Black people"
# Where the ratio's two denominators disagree by more than its interval, its size is uncertain but not its side of
# parity, which is tested on both (counted_ratio): said beside the interval, never a reason for no verdict.
DENOMINATORS = ("the ratios on the 2011 Census and on interpolated residents are further apart in proportion than the "
                "interval is wide: the size is uncertain, so parity is tested on both")
NOT_PUBLISHED = "no published rate for this force"
NO_COUNTS = "not placed on the funnel: no counts could be rebuilt from its published rates to give its interval"
NOT_BY_FORCE = "not in this data by force"
DEATHS_CITY = ("not compared: per resident, the City of London's figures say little, and IOPC counts a death in an "
               "incident two forces shared (as the City and the Met can) against each, naming no incident, so its "
               "deaths cannot be given to one force")
# What a reader of the Met's deaths must know wherever its figure is shown (the City's reason says it too): IOPC counts
# a death in an incident the City and the Met shared against each.
SHARED_DEATHS = ("IOPC counts a death in an incident two forces shared (as the City of London and the Met can) against "
                 "each force, naming no incident, so the two forces' counts may hold the same deaths")
ARRESTS_INCOMPLETE = "a quarter or more of a group's searches have no published arrest count"
ARRESTS_TOO_FEW = f"fewer than {config.MIN_EVENTS_FOR_RATIO} searches with an arrest count in a group"
REVIEWS_TOO_FEW = (f"fewer than {config.MIN_CASES_FOR_SHARE} IOPC reviews: too few to place on the funnel "
                   "(its share alone)")
# Why a force is not placed on a funnel, in the funnel's own words where it has them (methods/funnel).
UNPLACED_WORDS = {CITY: funnel.CITY_NOT_COMPARED, REVIEWS_TOO_FEW: funnel.TOO_FEW_TO_PLACE}
CRIME_CITY = "no rate: too few residents for a rate per resident (ONS gives the City of London none)"
COUNT_TEST = "a count of every member of staff, not a sample: no sampling error"
FUNNEL_TEST = ("funnel limits at 95% and 99.8% (Spiegelhalter 2005), widened for the spread between forces where it "
               "exceeds chance")
PARITY_TEST = "95% score interval for a ratio of two Poisson rates, against parity (1)"
ONS_TEST = "ONS's own significance test"
OUTCOME_TEST = ("a Newcombe 95% interval for the difference of two proportions and its score test against no "
                "difference (0), the forces' tests controlled together by the Benjamini-Hochberg false discovery rate")
# Why the CSEW's ASB shares have no interval: ONS's Table P6 gives each area's share, its significance flags and the
# unweighted base of adults, but no standard error, and an interval from the base alone would ignore the survey's
# design (weights, clustering).
ASB_NO_INTERVAL = ("ONS gives no interval in this table (Table P6: the share, its significance tests and the "
                   "unweighted base, no standard error); its own significance test is used")
LONDON_SHARED = ("London's figure (shared with the Met): ONS reports the Metropolitan Police and the City of London as "
                 "one area, so the City has no figure or verdict of its own")
# How a change between two periods of one series is tested (_series_changes, counted_searches), by what the rows
# give: each force's change against no change, allowing for how much the forces' changes vary beyond chance
# (methods/change: a plain Poisson test of thousands of searches calls almost any change significant); each family
# is a measure's forces between the same two periods, controlled by the Benjamini-Hochberg false discovery rate.
CHANGE_TESTS = {"events": "tested against no change, allowing for how much the {units} forces' rates changed beyond "
                          "chance: an overdispersed Poisson test on the log scale",
                "interval": "tested against no change from the two 95% intervals, allowing for how much the {units} "
                            "forces' ratios changed beyond chance, on the log scale"}
ACROSS_FORCES = "with the Benjamini-Hochberg false discovery rate across forces"

COLUMNS = ["force_code", "force", "measure_id", "measure", "period", "period_end", "value", "ci_low", "ci_high", "unit",
           "england_and_wales", "median_force", "funnel_place", "funnel_centre", "vs_england_and_wales", "test",
           "previous_period", "previous_value", "change", "change_verdict", "reason", "grade", "datasets", "shown_at",
           "comparable_forces"]
# Beyond the contract: what a page needs to say a row as the chapters do. funnel_caveat: what a "within" verdict
# on a wide funnel does not say (methods/funnel.wide_caveat); basis: the denominator or qualifier a label
# carries; events: the count behind a rate; value_as_published: a third party's figure where the book recomputes
# value; official_value: the Home Office method's ratio; denominator_low/high: the ratio's range over the two
# denominators; rounding_low/high: the range published rates rounded to 0.1 allow; vs_parity: a ratio against 1;
# area: the area whose figure a force is given (London's two forces share one); england_and_wales_previous;
# funnel_centre_value: the funnel's centre in the measure's unit; funnel_phi: the overdispersion factor behind a
# funnel_caveat, so a page can say the caveat once for several rows; series: the like-for-like series a row is in
# (measures.yml), change_test: how its change since the series' previous period was tested;
# change_before_correction: where that verdict rests on the false discovery rate's control, the correction and the
# p-value before it (methods/multiplicity.before_correction);
# england_and_wales_excluding_met: the comparator no one force dominates, where the Met drives England and Wales's;
# shared_with: the force whose row carries the figure and verdict of an area a force shares (the City of London's
# ASB is London's, on the Met's row); interval_note: why a survey estimate has no interval, or what a ratio's interval
# leaves out (DENOMINATORS); black_value,
# white_value: the two groups' figures a difference between them is of (the outcome test's arrest rates, %);
# previous_events: the count behind previous_value, so a rate whose per-resident figure says little (the City of
# London's searches) can still be read by its counts.
EXTRA = ["england_and_wales_excluding_met", "funnel_caveat", "basis", "events", "value_as_published",
         "official_value", "denominator_low", "denominator_high", "rounding_low", "rounding_high", "vs_parity", "area",
         "england_and_wales_previous", "funnel_centre_value", "funnel_phi", "series", "change_test", "shared_with",
         "interval_note", "black_value", "white_value", "change_before_correction", "previous_events"]
NUMBERS = {"value", "ci_low", "ci_high", "england_and_wales", "median_force", "previous_value", "change", "events",
           "value_as_published", "official_value", "denominator_low", "denominator_high", "rounding_low",
           "rounding_high", "england_and_wales_previous", "funnel_centre_value", "funnel_phi",
           "england_and_wales_excluding_met", "black_value", "white_value", "previous_events"}


def _load_measures() -> dict[str, dict]:
    with open(config.MEASURES_PATH, encoding="utf-8") as fh:
        found = yaml.safe_load(fh)["measures"]
    needed = {"label", "unit", "definition", "higher_is", "method", "shown_at", "decimals"}
    for measure_id, meta in found.items():
        missing = needed - set(meta)
        if missing or meta["higher_is"] not in ("worse", "better", "neither"):
            raise ValueError(f"{config.MEASURES_PATH}: measure {measure_id!r} lacks {sorted(missing)} or has "
                             f"higher_is {meta.get('higher_is')!r} (worse, better or neither)")
    return found


MEASURES: dict[str, dict] = _load_measures()

_FUNNEL_VALUES = list(FUNNEL_PLACES.values())
SCHEMA = pa.DataFrameSchema(
    {
        "force_code": pa.Column(str, pa.Check.isin(sorted(forces.force_codes()))),
        "force": pa.Column(str),
        "measure_id": pa.Column(str, pa.Check.isin(list(MEASURES))),
        "measure": pa.Column(str),
        "period": pa.Column(str, pa.Check.str_length(min_value=4)),
        "period_end": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
        "value": pa.Column(float, nullable=True),
        "ci_low": pa.Column(float, nullable=True),
        "ci_high": pa.Column(float, nullable=True),
        "unit": pa.Column(str),
        "england_and_wales": pa.Column(float, nullable=True),
        "median_force": pa.Column(float, nullable=True),
        "funnel_place": pa.Column(object, pa.Check.isin(_FUNNEL_VALUES), nullable=True),
        "funnel_centre": pa.Column(object, pa.Check.isin([CENTRE_EW, CENTRE_MEDIAN, CENTRE_EXCLUDING_MET]), nullable=True),
        "vs_england_and_wales": pa.Column(object, pa.Check.isin([HIGHER, LOWER, NOT_DIFFERENT]), nullable=True),
        "test": pa.Column(object, nullable=True),
        "previous_period": pa.Column(object, nullable=True),
        "previous_value": pa.Column(float, nullable=True),
        "change": pa.Column(float, nullable=True),
        "change_verdict": pa.Column(object, pa.Check.isin([RISE, FALL, NO_CHANGE, WITHIN_SPREAD, NOT_TESTED]), nullable=True),
        "reason": pa.Column(object, nullable=True),
        "grade": pa.Column(str, pa.Check.isin(list(manifest.GRADES))),
        "datasets": pa.Column(str, pa.Check.str_length(min_value=1)),
        "shown_at": pa.Column(object, nullable=True),
        "comparable_forces": pa.Column(str),
        "vs_parity": pa.Column(object, pa.Check.isin([ABOVE_PARITY, BELOW_PARITY, AT_PARITY]), nullable=True),
    },
    checks=[
        # A verdict or its reason: never a silent gap where the table gives neither.
        pa.Check(lambda d: ~(d["ci_low"] > d["ci_high"]), error="an interval's low end above its high end"),
        pa.Check(lambda d: ~(d["funnel_place"].notna() & d["reason"].notna()),
                 error="a funnel place and a reason for having none"),
        pa.Check(lambda d: ~d.duplicated(["force_code", "measure_id", "period"]),
                 error="two rows for one force, measure and period"),
    ],
    strict=False, coerce=False)


def period_end_of(period: str) -> str:
    """The ISO date a period as shown ends: '2024/25' and 'year ending March 2025' -> 2025-03-31, '31 March 2023',
    'year ending June 2025', 'year ending December 2024', '2004/05 to 2019/20' (its last year)."""
    last = period.split(" to ")[-1]
    if "/" in last:
        return f"{int(last[:4]) + 1}-03-31"
    year = int(last.split()[-1])
    ends = {"March": "03-31", "June": "06-30", "December": "12-31"}
    month = ends[next(m for m in ends if m in last)]
    return f"{year}-{month}"


def _rows(measure_id: str, period: str, datasets: list[str], values: pd.Series, *, basis: str | None = None,
          median_of: pd.Series | None = None, national: float | None = None, **columns) -> pd.DataFrame:
    """A measure's rows for the 43 forces in one period: `values` by ONS code (England and Wales's among them unless
    `national` gives it), the median of `median_of` (default the values), and any other column, a Series by code or
    one value for every force."""
    codes = sorted(forces.force_codes())
    meta = MEASURES[measure_id]
    ew = values.get(ENGLAND_AND_WALES) if national is None else national
    out = pd.DataFrame({
        "force_code": codes, "force": [forces.get(c).name for c in codes], "measure_id": measure_id,
        "measure": meta["label"], "period": period, "period_end": period_end_of(period),
        "value": values.reindex(codes).astype(float).to_numpy(), "unit": meta["unit"],
        "england_and_wales": np.nan if ew is None or pd.isna(ew) else float(ew),
        "median_force": ranking.median_force(values if median_of is None else median_of),
        "grade": manifest.lowest_grade(datasets), "datasets": "; ".join(datasets),
        "shown_at": [meta["shown_at"].format(slug=forces.get(c).slug) for c in codes],
        "basis": basis})
    for name, column in columns.items():
        out[name] = column.reindex(codes).to_numpy() if isinstance(column, pd.Series) else column
    return out


def _funnel_rows(fitted: funnel.Funnel, too_few: str | None = None) -> dict:
    """Each force's funnel place and the centre it is placed around (named as the fit names it); on a funnel of
    rates, the median force as that centre (the median of the forces compared, the City of London left out as it is
    from the fit); and the reason where there is no place (the City of London's rates per resident; `too_few`, a
    force with too few cases to place on a share's funnel)."""
    place = fitted.table.set_index("pfa_code")["funnel"]
    reason = place.map({funnel.CITY_NOT_COMPARED: CITY, funnel.TOO_FEW_TO_PLACE: too_few})
    unplaced = ~place.isin(list(FUNNEL_PLACES))
    caveat = pd.Series(funnel.wide_caveat(fitted.spread, fitted.centre_name), index=place.index).where(
        place == funnel.WITHIN)
    return {"funnel_place": place.map(FUNNEL_PLACES),
            "funnel_centre": pd.Series(fitted.centre_name, index=place.index).where(~unplaced),
            "funnel_centre_value": pd.Series(fitted.centre, index=place.index).where(~unplaced),
            # On a wide funnel "within the limits" says little: the caveat goes beside that verdict wherever shown.
            "funnel_caveat": caveat,
            "funnel_phi": pd.Series(fitted.spread["phi"], index=place.index).where(caveat.notna()),
            "reason": reason.where(unplaced), "test": FUNNEL_TEST,
            **({"median_force": fitted.centre} if fitted.centre_name == CENTRE_MEDIAN else {})}


def _parity(low: pd.Series, high: pd.Series) -> pd.Series:
    return pd.Series(np.select([low > 1, high < 1], [ABOVE_PARITY, BELOW_PARITY], AT_PARITY), index=low.index).where(
        low.notna() & high.notna())


def newest_ratio() -> pd.DataFrame:
    """The Black/White ratio, 2024/25, from a third party's counts on Census 2021 residents: recomputed with its score
    interval where both groups have enough searches, the third party's own figure beside it."""
    ind = force_indicators.load().set_index("pfa_code")
    people = census.census2021_by_ethnicity().pivot(index="pfa_code", columns="group", values="population")
    people = people.reindex(ind.index)
    ratio = stats.poisson_rate_ratio(ind["searches_black"], people["Black"], ind["searches_white"], people["White"])
    ratio.index = ind.index
    fewest = pd.concat([ind["searches_black"], ind["searches_white"]], axis=1).min(axis=1)
    enough = fewest >= config.MIN_EVENTS_FOR_RATIO
    usable = enough & ind["bw_ratio"].notna() & (ind.index != forces.CITY_OF_LONDON)
    reason = pd.Series(np.select([ind.index == forces.CITY_OF_LONDON, ind["bw_ratio"].isna(), ~enough],
                                 [CITY, EXTRACT_NO_RATIO, TOO_FEW], ""), index=ind.index).replace("", None)
    published = pd.concat([ind["bw_ratio"], pd.Series({ENGLAND_AND_WALES: force_indicators.national()["bw_ratio"]})])
    data = [force_indicators.INDICATORS_FILE, census.CENSUS_FILE]
    counts = pd.DataFrame({"searches_black": ind["searches_black"], "searches_white": ind["searches_white"],
                           "Black": people["Black"], "White": people["White"]})
    counts.loc[ENGLAND_AND_WALES] = counts.sum()
    without_met = search_ratios.ratio_without_met(counts.rename_axis("pfa_code").reset_index(), "searches_black",
                                                  "Black", "searches_white", "White")
    return _rows("bw_search_ratio", financial_year(force_indicators.SEARCH_YEAR), data,
                 ratio["rate_ratio"].where(usable), basis="Census 2021", median_of=published,
                 national=published[ENGLAND_AND_WALES],
                 ci_low=ratio["ci_low"].where(usable), ci_high=ratio["ci_high"].where(usable),
                 value_as_published=ind["bw_ratio"],
                 vs_parity=_parity(ratio["ci_low"].where(usable), ratio["ci_high"].where(usable)),
                 test=PARITY_TEST, reason=reason, england_and_wales_excluding_met=without_met)


def published_ratio() -> pd.DataFrame:
    """The Black/White ratio of the rates published for 2022/23 (Census 2021), with its approximate interval and the
    range the rates' rounding allows, and its place on chapter 3's funnel of these ratios (approximate limits, from
    counts rebuilt from the rates); no verdict against parity (the rates are rounded, the interval approximate)."""
    published = disproportionality.published_ratios()
    rates = published.set_index("pfa_code")
    fitted, without_met = funnels.published_ratio_funnel()
    placed = _funnel_rows(fitted)
    reason = pd.Series(np.select([rates["ratio"].isna(), rates["ci_low"].isna()], [NOT_PUBLISHED, NO_COUNTS], ""),
                       index=rates.index).replace("", None)
    return _rows("bw_search_ratio", sr.YEAR, sr.DATASETS, rates["ratio"], ci_low=rates["ci_low"],
                 england_and_wales_excluding_met=without_met,
                 ci_high=rates["ci_high"], rounding_low=rates["rounding_low"], rounding_high=rates["rounding_high"],
                 **{**placed, "reason": reason})


def _ratio_on_two_denominators(measure_id: str, now: pd.DataFrame, ratio: str, official: str, too_few: str,
                               fitted: funnel.Funnel, datasets: list[str], period: str) -> pd.DataFrame:
    """A Black/White ratio's rows on residents interpolated between the censuses (`ratio`, the book's figure, with
    its interval) with the 2011 Census ratio (`official`, the Home Office's) beside it: significantly above or below
    parity only where both intervals say so; where the two denominators disagree by more than the interval, that
    says so beside it (a size in doubt, a side of parity not, and a more precise ratio is no reason for less of a
    verdict); its place on `fitted`, the funnel its chapter draws (none where the denominators disagree, or for the
    City of London)."""
    city = now.index == forces.CITY_OF_LONDON
    verdict = _parity(now[["ci_low", "ci_low_interpolated"]].min(axis=1),
                      now[["ci_high", "ci_high_interpolated"]].max(axis=1))
    reason = pd.Series(np.select([now[ratio].isna(), city], [too_few, CITY], ""), index=now.index).replace("", None)
    return _rows(measure_id, period, datasets, now[ratio], england_and_wales_excluding_met=fitted.centre,
                 ci_low=now["ci_low_interpolated"], ci_high=now["ci_high_interpolated"],
                 official_value=now[official], denominator_low=now["denominator_low"],
                 denominator_high=now["denominator_high"], vs_parity=verdict.where(reason.isna()),
                 **{**_funnel_rows(fitted), "test": f"{PARITY_TEST}; among forces, {FUNNEL_TEST}", "reason": reason},
                 interval_note=pd.Series(DENOMINATORS, index=now.index).where(
                     now["denominator_uncertain"] & reason.isna()))


def counted_ratio() -> pd.DataFrame:
    """The Black/White search rate ratio in the newest year of the search counts (_ratio_on_two_denominators), placed
    on chapter 3's funnel."""
    black = rate_ratio_table()
    black = black[black["group"] == "Black"]
    latest = int(black["year_ending"].max())
    return _ratio_on_two_denominators(
        "bw_search_ratio", black[black["year_ending"] == latest].set_index("pfa_code"), "rate_ratio_interpolated",
        "rate_ratio", TOO_FEW, funnels.counted_ratio_funnel(),
        [ss.SEARCH_FILE, census.CENSUS_2011_FILE, census.CENSUS_FILE], financial_year(latest))


def use_of_force_ratio() -> pd.DataFrame:
    """The Black/White ratio of use of force (tactic uses) per resident in the newest year
    (_ratio_on_two_denominators), placed on chapter 5's funnel."""
    fitted = funnels.use_of_force_funnel()
    latest = int(fitted.table["year_ending"].max())
    ratios = funnels.use_of_force_ratios()
    return _ratio_on_two_denominators(
        "bw_uof_ratio", ratios[ratios["year_ending"] == latest].set_index("pfa_code"), "value_interpolated", "value",
        USES_TOO_FEW, fitted, funnels.use_of_force_data(latest), financial_year(latest))


def newest_searches() -> pd.DataFrame:
    """Searches per 1,000 residents (mid-2024) in 2024/25, from the Home Office's force totals, on the funnel around
    the median force."""
    searches = search_totals_2025.load().set_index("pfa_code")["searches"]
    pop = population.for_year(population.MYE_2024_YEAR)
    rate = 1000 * searches / pop.reindex(searches.index)
    total, residents = searches.sum(), pop[ENGLAND_AND_WALES]
    rate[ENGLAND_AND_WALES] = 1000 * total / residents
    fitted = funnels.newest_search_funnel()
    counts = pd.concat([searches, pd.Series({ENGLAND_AND_WALES: total})])
    return _rows("searches_per_1000", financial_year(search_totals_2025.YEAR_ENDING),
                 [search_totals_2025.TOTALS_FILE, population.MYE_2024_FILE], rate, basis="mid-2024 population",
                 events=searches, england_and_wales_excluding_met=per_resident.rate_without_met(counts, pop, 1000),
                 **_funnel_rows(fitted))


def counted_searches() -> pd.DataFrame:
    """Searches per 1,000 residents (each year's population) in the newest year of the open data, on its funnel
    around the median force, with the change since the year before (_changes: against no change, allowing for the
    forces' spread)."""
    totals = per_resident.per_1000_residents(ss.search_totals())
    latest = int(totals["year_ending"].max())
    now = totals[totals["year_ending"] == latest].set_index("pfa_code")
    before = totals[totals["year_ending"] == latest - 1].set_index("pfa_code").reindex(now.index)
    # The City of London's rate per resident says little; England and Wales is no force of the family.
    city = pd.Series(now.index.isin([forces.CITY_OF_LONDON, ENGLAND_AND_WALES]), index=now.index)
    moved = change.log_change_of_rates(now["searches"], now["population"], before["searches"], before["population"])
    moved.index = now.index
    verdict, how, corrected = _changes(moved.mask(city), "events", now["per_1000"], before["per_1000"])
    fitted = funnels.search_funnel(latest)
    rows = _rows("searches_per_1000", financial_year(latest), [ss.SEARCH_FILE, *population.BY_YEAR_FILES],
                 now["per_1000"], events=now["searches"], previous_period=financial_year(latest - 1),
                 previous_value=before["per_1000"], previous_events=before["searches"],
                 change=now["per_1000"] - before["per_1000"],
                 change_verdict=verdict, change_test=pd.Series(how, index=now.index).where(~city),
                 change_before_correction=corrected.where(~city),
                 england_and_wales_excluding_met=per_resident.rate_without_met(now["searches"], now["population"],
                                                                               1000),
                 **_funnel_rows(fitted))
    rows["test"] = FUNNEL_TEST + f"; change: {how}"
    return rows


def staff(newest_official: int) -> list[pd.DataFrame]:
    """Officers at 31 March 2026 (a third party's extract, mid-2024 residents), then officers and PCSOs at the newest
    31 March of the Home Office's workforce data: per 100,000 residents and as counts, each count with its change
    since the date before (a count of every member of staff: no test)."""
    ind = force_indicators.load().set_index("pfa_code")
    ew = force_indicators.national()
    rates = workforce.rates()
    city = pd.Series(CITY, index=ind.index).where(ind.index == forces.CITY_OF_LONDON)
    indicator_data = [force_indicators.INDICATORS_FILE, population.MYE_2024_FILE]
    workforce_data = [workforce.WORKFORCE_FILE, *workforce.POPULATION_FILES]
    officers_then = rates[(rates["role"] == "Police officers") & (rates["year"] == newest_official)].set_index(
        "pfa_code")["fte"]
    date = f"31 March {force_indicators.OFFICERS_YEAR}"
    frames = [
        _rows("officers_per_100k", date, indicator_data,
              pd.concat([ind["officers_per_100k_2024_pop"], pd.Series({ENGLAND_AND_WALES: ew["officers_per_100k"]})]),
              basis="mid-2024 population", reason=city,
              england_and_wales_excluding_met=per_resident.rate_without_met(
                  pd.concat([ind["officers_2026"], pd.Series({ENGLAND_AND_WALES: ew["officers_2026"]})]),
                  population.for_year(population.MYE_2024_YEAR), 100_000)),
        _rows("officers_fte", date, [force_indicators.INDICATORS_FILE, workforce.WORKFORCE_FILE],
              pd.concat([ind["officers_2026"], pd.Series({ENGLAND_AND_WALES: ew["officers_2026"]})]),
              previous_period=f"31 March {newest_official}", previous_value=officers_then,
              change=ind["officers_2026"] - officers_then.reindex(ind.index), change_verdict=NOT_TESTED,
              test=COUNT_TEST)]
    for role, rate_id, count_id in (("Police officers", "officers_per_100k", "officers_fte"),
                                    ("PCSOs", "pcsos_per_100k", "pcsos_fte")):
        mine = rates[rates["role"] == role]
        now = mine[mine["year"] == newest_official].set_index("pfa_code")
        then = mine[mine["year"] == newest_official - 1].set_index("pfa_code")["fte"].reindex(now.index)
        date = f"31 March {newest_official}"
        frames += [_rows(rate_id, date, workforce_data, now["per_100k"], reason=city, test=COUNT_TEST,
                         england_and_wales_excluding_met=per_resident.rate_without_met(
                             now["fte"], now["population"], 100_000)),
                   _rows(count_id, date, workforce_data, now["fte"],
                         previous_period=f"31 March {newest_official - 1}", previous_value=then,
                         change=now["fte"] - then, change_verdict=NOT_TESTED, test=COUNT_TEST)]
    return frames


def recorded_crime() -> pd.DataFrame:
    """Recorded crime per 1,000 residents in ONS's newest counts (year ending June 2025, mid-2024 residents) on the
    funnel around the median force that chapter 7 draws. The third party's year ending March 2026 rates are not a
    row: another source and population year, they would set a break beside the official series."""
    crime = funnels.recorded_crime_rates().set_index("pfa_code")
    fitted, period = funnels.recorded_crime_funnel()
    rows = _rows("recorded_crime_per_1000", period, funnels.CRIME_DATA, crime["per_1000"], basis="mid-2024 population",
                 events=crime["crimes"], **_funnel_rows(fitted))
    city = rows["force_code"] == forces.CITY_OF_LONDON
    rows.loc[city, ["funnel_place", "funnel_centre", "funnel_centre_value"]] = None
    rows.loc[city, "reason"] = CRIME_CITY
    return rows


def anti_social_behaviour() -> pd.DataFrame:
    """Adults who experienced or witnessed ASB, the newest CSEW year, with ONS's tests against England and Wales and
    the year before, and why there is no interval; London's two forces are given London's one figure, its verdicts
    on the Met's row (nearly all of London's residents), the City of London's row sharing it with no verdict of its
    own."""
    table = asb.asb_table()
    latest, earlier = max(asb.ASB_YEARS), min(asb.ASB_YEARS)
    now = table[table["year_ending"] == latest].set_index("area_code")
    then = table[table["year_ending"] == earlier].set_index("area_code")["asb_pct"]
    codes = sorted(forces.force_codes())
    area = pd.Series({c: asb.asb_area(c) for c in codes})
    by_force = pd.Series({c: now["asb_pct"].get(a) for c, a in area.items()} | {
        ENGLAND_AND_WALES: now.at[ENGLAND_AND_WALES, "asb_pct"]})
    against = area.map(now["against_england_and_wales"]).map({stats.HIGHER: HIGHER, stats.LOWER: LOWER,
                                                               stats.SIMILAR: NOT_DIFFERENT})
    moved = area.map(asb.asb_change_flags(latest)).map({asb.CHANGE_WORDS["↑"]: RISE, asb.CHANGE_WORDS["↓"]: FALL,
                                                       asb.CHANGE_WORDS[""]: NO_CHANGE})
    before = area.map(then)
    shared = area.index == forces.CITY_OF_LONDON
    own = pd.Series(~shared, index=area.index)
    ons = pd.Series(ONS_TEST, index=area.index).where(own)
    return _rows("asb_experience_pct", financial_year(latest), [pfa_tables.FILES[latest]], by_force,
                 vs_england_and_wales=against.where(own), test=ons,
                 previous_period=pd.Series(financial_year(earlier), index=area.index).where(own),
                 previous_value=before.where(own), change=(by_force.reindex(codes) - before).where(own),
                 change_verdict=moved.where(own), change_test=ons,
                 area=area.map(asb.asb_area_name).where(area != area.index),
                 reason=pd.Series(LONDON_SHARED, index=area.index).where(shared),
                 shared_with=pd.Series(forces.METROPOLITAN, index=area.index).where(shared),
                 interval_note=ASB_NO_INTERVAL, england_and_wales_previous=then.get(ENGLAND_AND_WALES))


def deaths() -> list[pd.DataFrame]:
    """Deaths during or following police contact: England and Wales in the newest year (a third party's extract; no
    figure by force), then each force's rate per million residents a year over the IOPC's by-force years, on the
    funnel around the median force."""
    national = iopc_extract.deaths_by_year().set_index("year")["deaths"]
    year = national.index[-1]
    nowhere = pd.Series(dtype=float)
    latest = _rows("deaths_england_and_wales", year, list(iopc_extract.DATASETS), nowhere,
                   national=float(national[year]), reason=NOT_BY_FORCE, previous_period=national.index[-2],
                   england_and_wales_previous=float(national.iloc[-2]))
    latest["median_force"] = np.nan
    by_force = per_resident.deaths_by_force().set_index("pfa_code")
    years = iopc.by_force()["year_ending"]
    span = f"{financial_year(int(years.min()))} to {financial_year(int(years.max()))}"
    rate = _rows("deaths_per_million", span, [iopc.DEATHS_FILE, *population.BY_YEAR_FILES], by_force["per_million"],
                 national=per_resident.national_death_rate(), ci_low=by_force["ci_low"], ci_high=by_force["ci_high"],
                 events=by_force["fatalities"], **_funnel_rows(funnels.deaths_funnel()))
    rate.loc[rate["force_code"] == forces.CITY_OF_LONDON, "reason"] = DEATHS_CITY
    return [latest, rate]


def outcome_test() -> pd.DataFrame:
    """The outcome test in the newest year of the search counts: the Black minus the White arrest rate after a search,
    in percentage points with its interval, against no difference once the forces' tests are controlled together
    (measures/arrests, which chapter 5 draws), each group's rate beside it; why a force is not compared where a
    group's arrest counts are too incomplete or too few. England and Wales's figure, where the Met's missing arrest
    counts leave it too incomplete, is missing; England and Wales excluding the Met is beside it."""
    year = arrests.newest_year()
    table = arrests.outcome_test(year).set_index("pfa_code")
    verdict = table["corrected"].map({stats.HIGHER: ABOVE_PARITY, stats.LOWER: BELOW_PARITY, stats.SIMILAR: AT_PARITY})
    reason = table["comparison"].map({disproportionality.TOO_INCOMPLETE: ARRESTS_INCOMPLETE,
                                      disproportionality.TOO_FEW: ARRESTS_TOO_FEW})
    return _rows("arrest_gap", financial_year(year), [ss.SEARCH_FILE], table["value"], ci_low=table["ci_low"],
                 ci_high=table["ci_high"], vs_parity=verdict, reason=reason, test=OUTCOME_TEST,
                 black_value=table["black_pct"], white_value=table["white_pct"],
                 england_and_wales_excluding_met=table.at[forces.EW_EXCLUDING_MET, "value"])


def iopc_reviews() -> pd.DataFrame:
    """IOPC reviews of complaint outcomes upheld (%), 2024/25, on the funnel around the median share of the forces with
    enough reviews that chapter 6 draws (measures/funnels.review_funnel); a force with fewer keeps its share, unplaced,
    and is left out of the median force. England and Wales: the 43 forces' reviews together."""
    fitted = funnels.review_funnel()
    table = fitted.table.set_index("pfa_code")
    placed = table["funnel"] != funnel.TOO_FEW_TO_PLACE
    rest = table.drop(index=forces.METROPOLITAN)
    return _rows("iopc_reviews_upheld_pct", iopc_extract.REVIEW_PERIOD, [iopc_extract.REVIEWS_FILE], table["value"],
                 national=float(100 * table["overturned"].sum() / table["reviews"].sum()),
                 england_and_wales_excluding_met=float(100 * rest["overturned"].sum() / rest["reviews"].sum()),
                 median_of=table["value"].where(placed), events=table["overturned"],
                 **_funnel_rows(fitted, too_few=REVIEWS_TOO_FEW))


def _primary(table: pd.DataFrame) -> pd.Series:
    """The dataset each row's figure is read from (the first it names): which series of its measure the row is."""
    return table["datasets"].str.split("; ").str[0]


def _changes(moved: pd.DataFrame, kind: str, now: pd.Series, then: pd.Series) -> tuple[pd.Series, str, pd.Series]:
    """Each force's change verdict from its change on the log scale and its standard error (`moved`; a force with
    none is not tested), tested against no change allowing for the forces' spread (methods/change), how it was
    tested in words (CHANGE_TESTS[kind] with the family's control), and, where the verdict rests on that control
    (significant before it, not after), the correction and the p-value before it; `now` and `then` give the
    direction."""
    tested, spread = change.overdispersed_changes(moved["log_change"], moved["se"])
    tested.index = moved.index
    verdict = pd.Series(np.select([tested["significant"] & (now > then), tested["significant"]], [RISE, FALL],
                                  WITHIN_SPREAD), index=moved.index).where(tested["p_value"].notna(), NOT_TESTED)
    rests = pd.Series(multiplicity.rests_on_correction(tested["p_value"], multiplicity.FDR), index=moved.index)
    family = int(tested["p_value"].notna().sum())
    after = pd.Series(multiplicity.adjusted(tested["p_value"], multiplicity.FDR), index=moved.index)
    before = pd.Series([multiplicity.before_correction(p, multiplicity.FDR, family, "forces", after=q)
                        for p, q in zip(tested["p_value"], after)], index=moved.index).where(rests)
    return verdict, f"{CHANGE_TESTS[kind].format(units=spread['units'])}, {ACROSS_FORCES}", before


def _log_changes(now: pd.DataFrame, then: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Each force's change between two periods on the log scale with its standard error, and what it rests on: the
    events behind the two rates where both periods give them (Poisson), else the two ratios' 95% intervals."""
    if now["events"].notna().any() and then["events"].notna().any():
        moved = change.log_change_of_rates(now["events"], now["events"] / now["value"], then["events"],
                                           then["events"] / then["value"])
        kind = "events"
    else:
        moved = change.log_change_of_ratios(now["value"], now["ci_low"], now["ci_high"], then["value"],
                                            then["ci_low"], then["ci_high"])
        kind = "interval"
    moved.index = now.index
    return moved, kind


def _series_changes(table: pd.DataFrame) -> pd.DataFrame:
    """Each measure's like-for-like series (measures.yml: the datasets whose periods share one definition and
    denominator): every row named with its series, and the newest period of each series given its change since the
    series' previous period where its builder gave none, tested force by force with the false discovery rate
    controlled across forces. Periods of two series are never compared; the City of London's rates per resident are
    not tested."""
    table = table.copy()
    primary = _primary(table)
    for measure_id, meta in MEASURES.items():
        for name, datasets in (meta.get("series") or {}).items():
            mine = (table["measure_id"] == measure_id) & primary.isin(datasets)
            table.loc[mine, "series"] = name
            ends = sorted(table.loc[mine, "period_end"].unique(), reverse=True)
            if len(ends) < 2:
                continue
            now = table[mine & (table["period_end"] == ends[0])]
            then = table[mine & (table["period_end"] == ends[1])].set_index("force_code").reindex(now["force_code"])
            then.index = now.index
            if now["previous_value"].notna().any():
                continue  # its builder gave the change
            moved, kind = _log_changes(now, then)
            untested = now["reason"].notna() | then["value"].isna()
            verdict, how, corrected = _changes(moved.mask(untested), kind, now["value"], then["value"])
            verdict = verdict.where(then["value"].notna())
            known = now["value"].notna() & then["value"].notna()
            table.loc[now.index, "previous_period"] = then["period"].where(known)
            table.loc[now.index, "previous_value"] = then["value"].where(known)
            table.loc[now.index, "previous_events"] = then["events"].where(known)
            table.loc[now.index, "change"] = (now["value"] - then["value"]).where(known)
            table.loc[now.index, "change_verdict"] = verdict.where(known)
            table.loc[now.index, "change_test"] = pd.Series(how, index=now.index).where(
                verdict.isin([RISE, FALL, NO_CHANGE, WITHIN_SPREAD]))
            table.loc[now.index, "change_before_correction"] = corrected.where(known)
    return table


def _build() -> pd.DataFrame:
    newest_official = int(workforce.rates()["year"].max())
    frames = [newest_ratio(), published_ratio(), counted_ratio(), newest_searches(), counted_searches(),
              *staff(newest_official), recorded_crime(), anti_social_behaviour(), *deaths(), outcome_test(),
              iopc_reviews(), use_of_force_ratio()]
    table = _series_changes(pd.concat(frames, ignore_index=True).assign(series=None))
    peers = {c: "; ".join(comparable.comparable_to(c)) for c in forces.force_codes()}
    table["comparable_forces"] = table["force_code"].map(peers)
    for column in COLUMNS + EXTRA:
        if column not in table:
            table[column] = None
    table = table[COLUMNS + EXTRA]
    for column in COLUMNS + EXTRA:
        if column in NUMBERS:
            table[column] = pd.to_numeric(table[column]).astype(float)
        else:  # text: missing is None, never NaN
            table[column] = table[column].astype(object).where(table[column].notna(), None)
    return SCHEMA.validate(table)


@cache.on_disk
def _table() -> pd.DataFrame:
    # Every force's measures, computed once per data version and shared by every kernel and edition.
    return _build()


@cache.in_memory
def all_forces() -> pd.DataFrame:
    """Every force's measures: a row per force, measure and period (COLUMNS, then EXTRA), in the order the dashboard
    shows them (each measure's periods newest first); callers never modify it."""
    return _table()


def stale(rows: pd.DataFrame) -> pd.Series:
    """Whether each of a force's rows is its measure's newest and config.STALE_YEARS or more behind the newest of
    them all (the page's newest): a figure flagged as old wherever it is shown."""
    ends = pd.to_datetime(rows["period_end"])
    return (ends == ends.groupby(rows["measure_id"]).transform("max")) & (
        (ends.max() - ends).dt.days / 365.25 >= config.STALE_YEARS)


def for_force(force: forces.Force) -> pd.DataFrame:
    """The rows of one force, in all_forces' order."""
    table = all_forces()
    return table[table["force_code"] == force.code].reset_index(drop=True)
