"""Disproportionality by ethnic group: search and use of force rates per resident and their ratios with score
intervals (2011 Census), ratios of published rates with their rounding range (Census 2021), and the outcome test."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import config
from analysis.methods import denominators, stats
from analysis.sources import census, forces, search_rates, stop_search, use_of_force
from analysis.sources.forces import add_england_and_wales
from analysis.sources.schemas import Column, Schema, validate
from analysis.sources.stop_search import GROUPS, UNSTATED

ENGLAND_AND_WALES = forces.ENGLAND_AND_WALES
TOO_FEW = "too few to say"
TOO_INCOMPLETE = "too incomplete to compare"
# The broad groups of the stop and search tables, White first.
SEARCH_GROUPS = list(GROUPS.values())
# Published rates are rounded to one decimal place: the true rate lies within half a unit of the last digit.
ROUNDING = 0.05
NOT_PUBLISHED = "no published rate"
APPROXIMATE = "approximate: counts rebuilt from rates rounded to 0.1 per 1,000"


def rates(searches: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Searches per 1,000 residents by force (and England and Wales, with and without the Met), year and stated group.

    `population` is one census (pfa_code, group) or a population for each year (with year_ending). Also returns,
    per force-year, the share of searches with no stated ethnicity (`unstated_share`), which the rates cannot include.
    """
    s = add_england_and_wales(searches, ["year_ending", "group"], ["searches", "searches_arrest_known", "arrests"],
                              without_met=True)
    keys = ["pfa_code", "group", *(["year_ending"] if "year_ending" in population else [])]
    p = add_england_and_wales(population, keys[1:], ["population"], without_met=True)
    total = s.groupby(["pfa_code", "year_ending"])["searches"].transform("sum")
    unstated = s[s["group"].isin(UNSTATED)].groupby(["pfa_code", "year_ending"])["searches"].sum()
    stated = s[~s["group"].isin(UNSTATED)].assign(all_searches=total)
    out = stated.merge(p, on=keys, how="left", validate="many_to_one")
    out["rate_per_1000"] = 1000 * out["searches"] / out["population"]
    out["unstated_share"] = (out.set_index(["pfa_code", "year_ending"]).index.map(unstated).fillna(0).to_numpy()
                             / out["all_searches"].where(out["all_searches"] > 0))
    return out.drop(columns="all_searches").sort_values(["pfa_code", "year_ending", "group"], ignore_index=True,
                                                        kind="stable")


def search_rates_by_group() -> pd.DataFrame:
    """`rates` of the published searches on the 2011 Census (the Home Office's method): every force and year, and
    England and Wales."""
    return rates(stop_search.load_searches(), census.census2011_by_ethnicity())


def search_rates_interpolated() -> pd.DataFrame:
    """`rates` of the published searches on residents interpolated between Census 2011 and Census 2021."""
    searches = stop_search.load_searches()
    population = denominators.interpolated(census.census2011_by_ethnicity(), census.census2021_by_ethnicity(),
                                           sorted(searches["year_ending"].unique()))
    return rates(searches, population)


OFFICIAL, INTERPOLATED = "", "_interpolated"
DENOMINATOR_UNCERTAIN = ("uncertain: the ratios on the two denominators are further apart in proportion than the 95% "
                         "interval is wide")


def ratios_on_both_denominators(official: pd.DataFrame, interpolated: pd.DataFrame,
                                keys=("pfa_code", "year_ending", "group"), ratio: str = "rate_ratio") -> pd.DataFrame:
    """Ratios on the 2011 Census (the official figure: `rate_ratios` or `use_of_force_ratios`) beside the same on
    interpolated residents (its ratio, interval, p-value, label and rates ending `_interpolated`), with
    `denominator_low` and `_high` (the range from the two denominators) and `denominator_uncertain`: True where the
    two ratios are further apart, on the log scale, than the interpolated ratio's 95% interval is wide, so no verdict
    from that interval stands."""
    shared = [c for c in (ratio, "ci_low", "ci_high", "p_value", "label", "black_per_1000", "white_per_1000")
              if c in interpolated]
    out = official.merge(interpolated[[*keys, *shared]], on=list(keys), suffixes=(OFFICIAL, INTERPOLATED),
                         validate="one_to_one")
    pair = out[[ratio, f"{ratio}_interpolated"]]
    out["denominator_low"], out["denominator_high"] = pair.min(axis=1), pair.max(axis=1)
    gap = np.log(out["denominator_high"] / out["denominator_low"])
    width = np.log(out["ci_high_interpolated"] / out["ci_low_interpolated"])
    out["denominator_uncertain"] = (gap > width).fillna(False)
    return out


def unstated_bounds(searches: pd.DataFrame, population: pd.DataFrame, code: str, year: int,
                    group: str = "Black", reference: str = "White") -> dict:
    """How far searches with no stated ethnicity could move one area's ratio: the ratio if every 'Not stated'
    search were of the reference group (the lowest it could be) or of `group` (the highest). Shared in
    proportion to the stated groups, they would leave it unchanged. 'Vehicle only' searches had no person."""
    s = add_england_and_wales(searches, ["year_ending", "group"], ["searches"], without_met=True)
    p = add_england_and_wales(population, ["group"], ["population"], without_met=True)
    s = s[(s["pfa_code"] == code) & (s["year_ending"] == year)].groupby("group")["searches"].sum()
    p = p[p["pfa_code"] == code].set_index("group")["population"]
    g, r, unstated = s.get(group, 0), s.get(reference, 0), s.get("Not stated", 0)
    ratio = (g / p[group]) / (r / p[reference])
    return {"ratio": ratio, "not_stated": int(unstated),
            "low": (g / p[group]) / ((r + unstated) / p[reference]),
            "high": ((g + unstated) / p[group]) / (r / p[reference])}


def far_from_census(year_ending: pd.Series) -> pd.Series:
    """True for years whose 2011 Census denominator is more than about two years old or young (see config)."""
    low, high = config.CENSUS_2011_FITS
    return ~year_ending.between(low, high)


def rate_ratios(rate_table: pd.DataFrame, groups=("Black", "Asian", "Mixed"), reference: str = "White",
                min_searches: int = config.MIN_EVENTS_FOR_RATIO) -> pd.DataFrame:
    """Each group's search rate over the reference group's, with a 95% score interval.

    Where either group has fewer than `min_searches` searches the ratio, interval and
    p-value are left empty and `label` says 'too few to say'.
    """
    ref = rate_table[rate_table["group"] == reference][["pfa_code", "year_ending", "searches", "population"]]
    cmp = rate_table[rate_table["group"].isin(groups)]
    pairs = cmp.merge(ref, on=["pfa_code", "year_ending"], suffixes=("", "_ref"))
    enough = (pairs["searches"] >= min_searches) & (pairs["searches_ref"] >= min_searches)
    result = stats.poisson_rate_ratio(
        pairs["searches"].where(enough, 0), pairs["population"], pairs["searches_ref"].where(enough, 0),
        pairs["population_ref"])
    out = pd.concat([pairs[["pfa_code", "year_ending", "group", "searches", "searches_ref"]].reset_index(drop=True),
                     result], axis=1)
    out["comparison"] = out["group"] + "/" + reference
    out["label"] = np.where(enough.to_numpy(), out["rate_ratio"].map(lambda r: f"{r:.1f}"), TOO_FEW)
    return out


def black_white_ratios(rates: pd.DataFrame) -> pd.DataFrame:
    """Black over White published rate, per area, with the range of ratios the rounding allows.

    Columns: pfa_code, force, black_rate, white_rate, ratio, rounding_low, rounding_high, note.
    rounding_low = (b - 0.05)/(w + 0.05) and rounding_high = (b + 0.05)/(w - 0.05): every pair of true
    rates that rounds to the published pair gives a ratio in this range. Areas without both rates are
    missing, with note 'no published rate'; a White rate that rounds to 0.0 leaves the upper end unbounded.
    """
    wide = rates.pivot(index="pfa_code", columns="group", values="rate")
    b, w = wide["Black"], wide["White"]
    out = pd.DataFrame({"pfa_code": wide.index, "black_rate": b.to_numpy(), "white_rate": w.to_numpy()})
    out["ratio"] = (b / w.where(w > 0)).to_numpy()
    out["rounding_low"] = ((b - ROUNDING).clip(lower=0) / (w + ROUNDING)).to_numpy()
    out["rounding_high"] = ((b + ROUNDING) / (w - ROUNDING)).where(w > ROUNDING, np.inf).to_numpy()
    missing = out[["black_rate", "white_rate"]].isna().any(axis=1)
    out.loc[missing, ["ratio", "rounding_low", "rounding_high"]] = np.nan
    out["note"] = np.where(missing, NOT_PUBLISHED, "")
    out.insert(1, "force", forces.area_names(out["pfa_code"]))
    return out.reset_index(drop=True)


POPULATION_SCHEMA = Schema(
    "Census 2021 residents by area and ethnic group (for approximate counts)",
    (Column("pfa_code", "str"), Column("group", "str"), Column("population", "number", min=1)),
    unique=("pfa_code", "group"),
)


def approximate_intervals(ratios: pd.DataFrame, populations: pd.DataFrame,
                          min_searches: int = config.MIN_EVENTS_FOR_RATIO) -> pd.DataFrame:
    """Add an approximate 95% score interval to each Black/White ratio, from rebuilt counts.

    `ratios` is black_white_ratios(); `populations` has pfa_code, group ('Black', 'White'), population
    (Census 2021, the denominators the rates were published on). Counts are rebuilt as rate x population
    / 1,000 and rounded; because the rates were rounded to 0.1 these are approximate, and `interval`
    says so, for England and Wales too (its published counts include British Transport Police, its rates
    do not). Adds columns black_searches, white_searches,
    ratio_from_counts, ci_low, ci_high, interval; forces with fewer than `min_searches` rebuilt
    searches in either group get no interval and 'too few to say'.
    """
    validate(populations, POPULATION_SCHEMA, "populations passed to disproportionality.approximate_intervals")
    pop = populations[populations["group"].isin(["Black", "White"])].pivot(
        index="pfa_code", columns="group", values="population")
    out = ratios.copy()
    for group in ("Black", "White"):
        out[f"{group.lower()}_population"] = out["pfa_code"].map(pop[group]) if group in pop else np.nan
        out[f"{group.lower()}_searches"] = (out[f"{group.lower()}_rate"] * out[f"{group.lower()}_population"]
                                           / 1000).round()
    out["interval"] = APPROXIMATE
    enough = (out["black_searches"] >= min_searches) & (out["white_searches"] >= min_searches)
    result = stats.poisson_rate_ratio(out["black_searches"].where(enough), out["black_population"],
                                      out["white_searches"].where(enough), out["white_population"])
    out["ratio_from_counts"] = result["rate_ratio"].to_numpy()
    out["ci_low"] = result["ci_low"].to_numpy()
    out["ci_high"] = result["ci_high"].to_numpy()
    no_pop = out[["black_population", "white_population"]].isna().any(axis=1)
    out.loc[~enough & ~no_pop & out["ratio"].notna(), "interval"] = TOO_FEW
    out.loc[no_pop, "interval"] = "no population given"
    out.loc[out["ratio"].isna() & (out["pfa_code"] != ENGLAND_AND_WALES), "interval"] = NOT_PUBLISHED
    return out


def published_ratios() -> pd.DataFrame:
    """Black/White ratios of the rates published for 2022/23 (Census 2021), with their rounding range and approximate
    intervals (England and Wales is the 43 territorial forces, British Transport Police left out)."""
    return approximate_intervals(black_white_ratios(search_rates.load_rates()), census.census2021_by_ethnicity())


def arrest_rate_table(searches: pd.DataFrame) -> pd.DataFrame:
    """Share of searches followed by an arrest, by area, year and stated group, with 95% Wilson intervals.

    The rate is arrests over the searches that have a usable arrest count (`searches_arrest_known`); the
    share of searches without one is `unknown_share`, reported beside every rate. Where it is a quarter or
    more, or there are no counted searches, `quotable` is False and no rate is given.
    """
    s = searches[searches["group"].isin(SEARCH_GROUPS)].reset_index(drop=True)
    s["unknown_share"] = (1 - s["searches_arrest_known"] / s["searches"].where(s["searches"] > 0))
    s["quotable"] = (s["searches_arrest_known"] > 0) & (s["unknown_share"] < config.MAX_UNKNOWN_ARREST_SHARE)
    trials = s["searches_arrest_known"].where(s["quotable"], 1)
    low, high = stats.wilson_ci(s["arrests"].where(s["quotable"], 0), trials)
    s["arrest_pct"] = (100 * s["arrests"] / trials).where(s["quotable"])
    s["ci_low"] = pd.Series(100 * low).where(s["quotable"])
    s["ci_high"] = pd.Series(100 * high).where(s["quotable"])
    return s.assign(force=forces.area_names(s["pfa_code"])).reset_index(drop=True)


def compare_arrest_rates(rates: pd.DataFrame) -> pd.DataFrame:
    """Black against White arrest rates per area in one year (rows of `arrest_rate_table`): the difference with a
    Newcombe interval and score test, or why no comparison is made (too incomplete, too few searches)."""
    black = rates[rates["group"] == "Black"].set_index("pfa_code")
    white = rates[rates["group"] == "White"].set_index("pfa_code")
    both = black.merge(white, left_index=True, right_index=True, suffixes=("_black", "_white"))
    incomplete = ~(both["quotable_black"] & both["quotable_white"])
    few = ((both["searches_arrest_known_black"] < config.MIN_EVENTS_FOR_RATIO)
           | (both["searches_arrest_known_white"] < config.MIN_EVENTS_FOR_RATIO))
    test = stats.compare_proportions(both["arrests_black"], both["searches_arrest_known_black"],
                                     both["arrests_white"], both["searches_arrest_known_white"]).set_index(both.index)
    verdict = test["comparison"].where(~few, TOO_FEW).where(~incomplete, TOO_INCOMPLETE)
    shown = verdict.isin([stats.HIGHER, stats.LOWER, stats.SIMILAR])
    table = pd.DataFrame({"force": forces.area_names(both.index.to_series()),
                          "black_pct": both["arrest_pct_black"].where(shown),
                          "white_pct": both["arrest_pct_white"].where(shown),
                          "black_unknown_pct": 100 * both["unknown_share_black"],
                          "white_unknown_pct": 100 * both["unknown_share_white"],
                          "value": (100 * test["difference"]).where(shown), "ci_low": (100 * test["ci_low"]).where(shown),
                          "ci_high": (100 * test["ci_high"]).where(shown), "p_value": test["p_value"].where(shown),
                          "comparison": verdict}).reset_index()
    return table


def use_of_force_ratios(interpolate: bool = False) -> pd.DataFrame:
    """Tactic uses per 1,000 residents by perceived ethnicity, and the Black/White ratio with a 95% score interval:
    on the 2011 Census, or with `interpolate` on residents interpolated between the censuses."""
    years = list(use_of_force.FILES)
    pop = (denominators.interpolated(census.census2011_by_ethnicity(), census.census2021_by_ethnicity(), years)
           if interpolate else census.census2011_by_ethnicity().merge(pd.DataFrame({"year_ending": years}),
                                                                       how="cross"))
    pop = add_england_and_wales(pop, ["group", "year_ending"], ["population"])
    frames = []
    for year in years:
        uses = add_england_and_wales(use_of_force.load(year), ["group"], ["uses"])
        rates = uses.merge(pop[pop["year_ending"] == year].drop(columns="year_ending"), on=["pfa_code", "group"],
                           validate="one_to_one")
        black = rates[rates["group"] == "Black"].set_index("pfa_code")
        white = rates[rates["group"] == "White"].set_index("pfa_code").loc[black.index]
        enough = (black["uses"] >= config.MIN_EVENTS_FOR_RATIO) & (white["uses"] >= config.MIN_EVENTS_FOR_RATIO)
        ratio = stats.poisson_rate_ratio(black["uses"].where(enough, 0), black["population"],
                                         white["uses"].where(enough, 0), white["population"])
        ratio.index = black.index
        frames.append(pd.DataFrame({
            "year_ending": year, "black_uses": black["uses"], "white_uses": white["uses"],
            "black_per_1000": 1000 * black["uses"] / black["population"],
            "white_per_1000": 1000 * white["uses"] / white["population"],
            "value": ratio["rate_ratio"], "ci_low": ratio["ci_low"], "ci_high": ratio["ci_high"],
            "label": np.where(enough, ratio["rate_ratio"].map(lambda r: f"{r:.1f}"), TOO_FEW)}).reset_index())
    out = pd.concat(frames, ignore_index=True)
    return out.assign(force=forces.area_names(out["pfa_code"]))
