"""A force's own public attitude survey: the CSV format, its checks, 95% CIs, changes, groups and sub-areas.

The format (one row per period, area, measure and group; UTF-8, comma-separated; lines at the top
starting with ``#`` are comments):

``period``
    The period's name as the force uses it, e.g. ``2024/25 Q3`` or ``12 months to December 2024``.
``period_end``
    The last day of the period, ``YYYY-MM-DD`` (e.g. ``2024-12-31``). Changes are judged on it: the
    latest period is tested against the one ending a year earlier and against the first period.
``area``
    The force (e.g. ``Kent Police``) or a named sub-area (a borough, district or neighbourhood).
``measure``
    Free text, e.g. ``Confidence in local police``. The first measure in the file is the headline.
``group`` (optional)
    A group of respondents, e.g. ``Age: 16 to 24`` or ``Ethnic group: Black`` (the part before ``:``
    names the breakdown), or ``All`` (the default when empty).
``agree`` and ``base``
    Counts: respondents agreeing, and respondents answering. Or instead:
``estimate`` with ``standard_error`` or ``base``
    A proportion between 0 and 1 (0.72, not 72), with its standard error (also a proportion) or the
    number of respondents it rests on. An estimate with neither gets no interval, and the book says so.
``weighted``
    ``yes`` or ``no`` (``unknown`` where the publisher does not say): whether the estimates are weighted.
``design_effect`` (optional)
    The design effect of a weighted survey (1 or more, typically). Intervals and tests then use the
    effective sample size n / deff, and a standard error is multiplied by the square root of deff, so give
    the simple-random-sampling standard error (or leave design_effect empty if yours already allows for
    the design).

95% intervals: Wilson score intervals from counts or from an estimate and its (effective) base;
normal intervals from a standard error. Two periods are compared by a two-sample test on counts
(Newcombe interval, score test) or on estimates and standard errors; "higher" and "lower" are used
only when the difference is significant at the 95% level. An example file, invented for illustration,
is ``data/examples/INVENTED-example-local-survey.csv``.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from analysis import charts, forces, localfiles, met_pas, stats
from analysis.figures import Figure, Section
from analysis.localfiles import LocalDataError
from analysis.sources import locate

REQUIRED = ["period", "period_end", "area", "measure", "weighted"]
NUMBERS = ["agree", "base", "estimate", "standard_error", "design_effect"]
ALL = "All"
WEIGHTED = {"yes", "no", "unknown"}
EXPECTED = ("columns period, period_end, area, measure, weighted, and either agree and base (counts) or estimate "
            "with standard_error or base; optional: group, design_effect")
# Quarters ending on the same date a year apart can differ by a day (29 February, month ends).
YEAR_TOLERANCE = pd.Timedelta(days=16)
NO_INTERVAL = "no interval can be given"
PAS_WHY = ("MOPAC's published borough file gives proportions only, with no sample sizes or standard errors, so no "
           "change or difference can be tested either")
PAS_SOURCE = "MOPAC Public Attitude Survey dashboard (London Datastore), OGL"


def load(path) -> pd.DataFrame:
    """Read and check a local survey CSV (see the module docstring for the format)."""
    p = localfiles.existing(path, "a local survey CSV in the format of data/examples/INVENTED-example-local-survey.csv")
    lines = localfiles.read_text(p).splitlines(keepends=True)
    comments = 0
    while comments < len(lines) and lines[comments].lstrip().startswith("#"):
        comments += 1
    body = "".join(lines[comments:])
    if not body.strip():
        raise LocalDataError(f"{p}: the file has no header line; expected {EXPECTED}")
    try:
        raw = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False, na_values=[""],
                          skip_blank_lines=False)
    except pd.errors.ParserError as err:
        raise LocalDataError(f"{p}: not a comma-separated file ({err}); expected {EXPECTED}") from None
    df = validate(raw, str(p), first_line=comments + 2)
    df.attrs.update(localfiles.fingerprint(p))
    return df


def _lines(df: pd.DataFrame, mask) -> str:
    lines = df.loc[np.asarray(mask), "line"].tolist()
    shown = ", ".join(str(n) for n in lines[:8])
    return f"line{'s' if len(lines) > 1 else ''} {shown}{' and more' if len(lines) > 8 else ''}"


def validate(raw: pd.DataFrame, source: str, first_line: int = 2) -> pd.DataFrame:
    """Check a local survey table and return it typed; every error names the file, line(s) or column."""
    df = raw.rename(columns=lambda c: str(c).strip().lower())
    df["line"] = np.arange(len(df)) + first_line
    df = df[df.drop(columns="line").notna().any(axis=1)].copy()  # blank lines
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise LocalDataError(f"{source}: missing column{'s' if len(missing) > 1 else ''} {missing}; expected "
                             f"{EXPECTED}; found {[c for c in df.columns if c != 'line']}")
    if "estimate" not in df.columns and not {"agree", "base"} <= set(df.columns):
        raise LocalDataError(f"{source}: neither an 'estimate' column nor both 'agree' and 'base'; expected {EXPECTED}")
    for col in NUMBERS + ["group"]:  # optional columns: absent means empty
        if col not in df.columns:
            df[col] = pd.Series(np.nan, index=df.index, dtype="str")
    for col in ["period", "area", "measure", "group", "weighted"]:
        df[col] = df[col].str.strip()
    for col in ["period", "area", "measure", "weighted"]:
        if df[col].isna().any():
            raise LocalDataError(f"{source}, {_lines(df, df[col].isna())}: column '{col}' is empty; expected a value")
    df["group"] = df["group"].fillna(ALL)
    for col in NUMBERS:
        text = df[col]
        df[col] = pd.to_numeric(text, errors="coerce")
        bad = text.notna() & df[col].isna()
        if bad.any():
            first = text[bad].iloc[0]
            raise LocalDataError(f"{source}, {_lines(df, bad)}: column '{col}' has {first!r}; expected a number")
    ends = pd.to_datetime(df["period_end"], format="%Y-%m-%d", errors="coerce")
    if ends.isna().any():
        bad = ends.isna()
        raise LocalDataError(f"{source}, {_lines(df, bad)}: column 'period_end' has "
                             f"{df.loc[bad, 'period_end'].iloc[0]!r};"
                             " expected the period's last day as YYYY-MM-DD, e.g. 2024-12-31")
    df["period_end"] = ends
    per_period = df.groupby("period")["period_end"].nunique()
    if (per_period > 1).any():
        name = per_period[per_period > 1].index[0]
        raise LocalDataError(f"{source}, {_lines(df, df['period'] == name)}: period {name!r} has more than one "
                             "period_end; expected one end date per period")
    df["weighted"] = df["weighted"].str.lower()
    bad = ~df["weighted"].isin(WEIGHTED)
    if bad.any():
        raise LocalDataError(f"{source}, {_lines(df, bad)}: column 'weighted' has {df.loc[bad, 'weighted'].iloc[0]!r};"
                             " expected yes, no or unknown")
    counts = df["agree"].notna() & df["base"].notna()
    neither = ~counts & df["estimate"].isna()
    if neither.any():
        raise LocalDataError(f"{source}, {_lines(df, neither)}: no agree and base (counts) and no estimate; expected "
                             "either agree and base, or estimate (with standard_error or base)")
    both = counts & df["estimate"].notna()
    if both.any():
        raise LocalDataError(f"{source}, {_lines(df, both)}: both counts (agree, base) and an estimate; expected one "
                             "or the other, so the interval has one source")
    for col in ["agree", "base"]:
        bad = (df[col] < 0) | (df[col].notna() & (df[col] != df[col].round()))
        if bad.any():
            raise LocalDataError(f"{source}, {_lines(df, bad)}: column '{col}' has {df.loc[bad, col].iloc[0]!r}; "
                                 "expected a whole number of respondents, 0 or more")
    bad = df["base"] == 0
    if bad.any():
        raise LocalDataError(f"{source}, {_lines(df, bad)}: base is 0; expected at least one respondent")
    over = df["agree"] > df["base"]
    if over.any():
        r = df[over].iloc[0]
        raise LocalDataError(f"{source}, {_lines(df, over)}: agree ({r['agree']:.0f}) is more than base "
                             f"({r['base']:.0f}); expected agree to be at most base")
    for col in ["estimate", "standard_error"]:
        pct = df[col] > 1
        if pct.any():
            r = df[pct].iloc[0]
            hint = (f" ({r[col]:g} looks like a percentage: {r[col]:g}% is {r[col] / 100:g})"
                    if (df.loc[pct, col] <= 100).all() else "")
            raise LocalDataError(f"{source}, {_lines(df, pct)}: column '{col}' is over 1; expected a proportion "
                                 f"between 0 and 1{hint}")
        if (df[col] < 0).any():
            raise LocalDataError(f"{source}, {_lines(df, df[col] < 0)}: column '{col}' is negative; expected a "
                                 "proportion between 0 and 1")
    bad = df["design_effect"] <= 0
    if bad.any():
        raise LocalDataError(f"{source}, {_lines(df, bad)}: design_effect is {df.loc[bad, 'design_effect'].iloc[0]:g};"
                             " expected a positive number (1 for a simple random sample)")
    key = ["period", "area", "measure", "group"]
    dup = df.duplicated(key, keep=False)
    if dup.any():
        raise LocalDataError(f"{source}, {_lines(df, dup)}: the same period, area, measure and group twice; expected "
                             "one row each")
    df = df[["line", "period", "period_end", "area", "measure", "group", "agree", "base", "estimate",
             "standard_error", "weighted", "design_effect"]].reset_index(drop=True)
    df.attrs["source"] = source
    return df


def with_intervals(df: pd.DataFrame, level: float = stats.config.CONFIDENCE_LEVEL) -> pd.DataFrame:
    """Add share, its standard error, the 95% interval (all 0-1), the effective base and the interval's source."""
    out = df.copy()
    deff = out["design_effect"].fillna(1.0)
    counts = out["agree"].notna()
    out["share"] = np.where(counts, out["agree"] / out["base"], out["estimate"])
    out["n_effective"] = out["base"] / deff
    with np.errstate(divide="ignore", invalid="ignore"):
        binomial_se = np.sqrt(out["share"] * (1 - out["share"]) / out["n_effective"])
    from_se = out["standard_error"].notna() & ~counts
    out["se"] = np.where(from_se, out["standard_error"] * np.sqrt(deff), binomial_se)
    low, high = np.full(len(out), np.nan), np.full(len(out), np.nan)
    has_n = out["n_effective"].notna() & ~from_se
    if has_n.any():
        lo, hi = stats.wilson_ci(out.loc[has_n, "share"] * out.loc[has_n, "n_effective"], out.loc[has_n, "n_effective"],
                                 level)
        low[has_n.to_numpy()], high[has_n.to_numpy()] = lo, hi
    if from_se.any():
        lo, hi = stats.survey_ci(out.loc[from_se, "share"], out.loc[from_se, "se"], level)
        low[from_se.to_numpy()], high[from_se.to_numpy()] = np.clip(lo, 0, 1), np.clip(hi, 0, 1)
    out["ci_low"], out["ci_high"] = low, high
    out["interval_from"] = np.select(
        [counts, from_se, has_n], ["counts (Wilson)", "standard error", "estimate and base (Wilson)"], NO_INTERVAL)
    return out


def _test(a: pd.Series, b: pd.Series) -> tuple[str, float]:
    """Compare two rows with intervals: (higher/lower/similar, p-value), or ('', nan) when either has none."""
    if a["interval_from"] == NO_INTERVAL or b["interval_from"] == NO_INTERVAL:
        return "", np.nan
    if pd.notna(a["agree"]) and pd.notna(b["agree"]):
        d1, d2 = a["design_effect"] if pd.notna(a["design_effect"]) else 1, (
            b["design_effect"] if pd.notna(b["design_effect"]) else 1)
        row = stats.compare_proportions(a["agree"] / d1, a["base"] / d1, b["agree"] / d2, b["base"] / d2).iloc[0]
    else:
        row = stats.compare_estimates([a["share"]], [a["se"]], [b["share"]], [b["se"]]).iloc[0]
    return row["comparison"], float(row["p_value"])


def changes(df: pd.DataFrame) -> pd.DataFrame:
    """For each area, measure and group: the latest period against the one a year earlier and against the first."""
    iv = with_intervals(df)
    rows = []
    for (area, measure, group), s in iv.groupby(["area", "measure", "group"], sort=False):
        s = s.sort_values("period_end")
        latest = s.iloc[-1]
        near = s[(s["period_end"] - (latest["period_end"] - pd.DateOffset(years=1))).abs() <= YEAR_TOLERANCE]
        for against, other in (("a year earlier", near.iloc[0] if len(near) else None),
                               ("the first period", s.iloc[0] if len(s) > 1 else None)):
            row = {"area": area, "measure": measure, "group": group, "against": against,
                   "latest_period": latest["period"], "latest_pct": 100 * latest["share"]}
            if other is None:
                what = "no period ending a year earlier" if against == "a year earlier" else "only one period"
                rows.append(row | {"other_period": "", "other_pct": np.nan, "comparison": "", "p_value": np.nan,
                                   "wording": f"{what} in the file, so no comparison"})
                continue
            label, p = _test(latest, other)
            subject = f"{measure} in {latest['period']} ({100 * latest['share']:.0f}%)"
            reference = f"{other['period']} ({100 * other['share']:.0f}%)"
            wording = (stats.describe_difference(label, subject, reference) if label else
                       f"{subject} against {reference}: {NO_INTERVAL}, so whether it changed cannot be tested")
            rows.append(row | {"other_period": other["period"], "other_pct": 100 * other["share"],
                               "comparison": label, "p_value": p, "wording": wording})
    return pd.DataFrame(rows)


def _pct(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(pct=100 * df["share"], ci_low_pct=100 * df["ci_low"], ci_high_pct=100 * df["ci_high"])


def latest(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of each area and measure's latest period, with intervals."""
    iv = with_intervals(df)
    last = iv.groupby(["area", "measure"])["period_end"].transform("max")
    return iv[iv["period_end"] == last]


def groups(df: pd.DataFrame, area: str) -> pd.DataFrame:
    """Each group against the area's total ('All') in the latest period, as the CSEW section does (conservative)."""
    now = _pct(latest(df))
    now = now[now["area"] == area]
    total = now[now["group"] == ALL].set_index("measure")
    parts = now[(now["group"] != ALL) & now["measure"].isin(total.index)].copy()
    if parts.empty:
        return parts.assign(breakdown=[], comparison=[], ref_pct=[])
    ref = total.loc[parts["measure"]]
    tested = stats.compare_estimates(parts["share"], parts["se"], ref["share"], ref["se"])
    no_interval = (parts["interval_from"] == NO_INTERVAL).to_numpy() | (ref["interval_from"] == NO_INTERVAL).to_numpy()
    parts["comparison"] = np.where(no_interval, "", tested["comparison"].to_numpy())
    parts["ref_pct"] = ref["pct"].to_numpy()
    split = parts["group"].str.split(":", n=1)
    parts["breakdown"] = split.map(lambda s: s[0].strip() if len(s) == 2 else "Group")
    parts["group"] = split.map(lambda s: s[-1].strip())
    return parts


def areas(df: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Every area's latest figure for one measure (all respondents), highest first, with its interval."""
    now = _pct(latest(df))
    now = now[(now["measure"] == measure) & (now["group"] == ALL)]
    return now.sort_values("share", ascending=False).reset_index(drop=True)


def total_area(df: pd.DataFrame, force: str) -> str | None:
    """The area that is the whole force: the one naming the force, or the only area; None if neither."""
    f = forces.resolve(force)
    others = []
    for area in df["area"].unique():
        try:
            found = forces.resolve(area)
        except forces.UnknownForceError:
            continue
        if found.code == f.code:
            return area
        others.append(found.name)
    if others:
        raise LocalDataError(f"{df.attrs.get('source', 'local survey')}: the file's areas name {others[0]}; expected "
                             f"{f.name}'s own survey (an area named for the force, and its sub-areas)")
    names = df["area"].unique()
    return names[0] if len(names) == 1 else None


def survey_section(df: pd.DataFrame, force: str) -> Section:
    """The force's own survey: the headline measure over time with 95% CIs, its change, groups and sub-areas."""
    f = forces.resolve(force)
    datasets = df.attrs.get("datasets") or [f"local file {df.attrs.get('name', df.attrs.get('source', ''))}"]
    survey_name = df.attrs.get("survey_name") or f"{f.name}'s own survey"
    source = (df.attrs.get("source_label")
              or f"{f.name}'s own survey, file {df.attrs.get('name', '')} (supplied locally)")
    measure = df["measure"].iloc[0]
    area = total_area(df, f.code) or areas(df, measure)["area"].iloc[0]
    iv = with_intervals(df)
    series = _pct(iv[(iv["area"] == area) & (iv["measure"] == measure) & (iv["group"] == ALL)])
    series = series.sort_values("period_end")
    if series.empty:
        raise LocalDataError(f"{df.attrs.get('source', 'local survey')}: no '{ALL}' row for {area!r} and {measure!r}; "
                             f"expected the headline measure for all respondents")
    last = series.iloc[-1]
    change = changes(df)
    change = change[(change["area"] == area) & (change["measure"] == measure) & (change["group"] == ALL)]
    year, first = (change[change["against"] == w].iloc[0] for w in ("a year earlier", "the first period"))
    no_interval = (iv["interval_from"] == NO_INTERVAL)
    why = df.attrs.get("why_no_interval", "the file gives these estimates without a base or a standard error")
    interval_note = ("" if not no_interval.any() else
                     f"For {no_interval.sum():,} of {len(iv):,} rows {NO_INTERVAL}: {why}.")
    span = f"{series.iloc[0]['period']} to {last['period']}"
    figures = [Figure("ls_force", f.name, "force", datasets), Figure("ls_measure", measure, "measure", datasets),
               Figure("ls_area", area, "area", datasets),
               Figure("ls_latest_period", last["period"], "period", datasets),
               Figure("ls_latest", last["pct"], "%", datasets),
               Figure("ls_change_year", year["wording"], "comparison", datasets),
               Figure("ls_change_first", first["wording"], "comparison", datasets)]
    if pd.notna(last["ci_low"]):
        figures += [Figure("ls_latest_low", last["ci_low_pct"], "%", datasets),
                    Figure("ls_latest_high", last["ci_high_pct"], "%", datasets)]
    if "sha256" in df.attrs:
        figures.append(Figure("ls_file_sha256", df.attrs["sha256"], "sha256", datasets))
    latest_text = (f"{last['pct']:.0f}% (95% CI {last['ci_low_pct']:.0f}% to {last['ci_high_pct']:.0f}%)"
                   if pd.notna(last["ci_low"]) else f"{last['pct']:.0f}% ({NO_INTERVAL})")
    note = "\n\n".join(filter(None, [
        f"**{measure}**, {area}, {last['period']}: {latest_text}. "
        f"Against a year earlier: {year['wording']}. Against the first period: {first['wording']}.",
        interval_note,
        f"Source: {source}" + (f", sha256 `{df.attrs['sha256']}`." if "sha256" in df.attrs else ".")]))
    band = " with its 95% confidence interval shaded" if series["ci_low"].notna().any() else f"; {NO_INTERVAL}"
    trend = charts.dated_lines_with_ci(
        series.assign(date=series["period_end"], series=f"{area}: {measure}", value=series["pct"],
                      ci_low=series["ci_low_pct"], ci_high=series["ci_high_pct"])[
            ["date", "period", "series", "value", "ci_low", "ci_high"]],
        name=f"local-survey-trend-{f.slug}", source=source, y_title="% agreeing",
        title=f"{measure}: {area}, {span}", subtitle=f"{survey_name}{band}",
        description=(f"Line chart of '{measure}' in {area} from {span}, {len(series)} periods{band}. "
                     f"Latest, {last['period']}: {latest_text}. {year['wording']}."))
    more = []
    ranked = areas(df, measure)
    if len(ranked) > 1:
        has_ci = ranked["ci_low"].notna().any()
        periods = ranked["period"].unique()
        when = periods[0] if len(periods) == 1 else "each area's latest period"
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        more.append(charts.ranked_intervals(
            ranked.assign(label=ranked["area"], value=ranked["pct"], ci_low=ranked["ci_low_pct"],
                          ci_high=ranked["ci_high_pct"], highlight=ranked["area"] == area)[
                ["label", "value", "ci_low", "ci_high", "highlight"]],
            name=f"local-survey-areas-{f.slug}", source=source, x_title="% agreeing", log=False, value_title="%",
            title=f"{measure} by area, {when}", subtitle=(
                "Whiskers: 95% confidence intervals; diamond: the whole force" if has_ci
                else ["Diamond: the whole force", f"{NO_INTERVAL[0].upper()}{NO_INTERVAL[1:]}: {why}"]),
            description=(f"Ranked dot chart of '{measure}' in {len(ranked)} areas, {when}, from {top['area']} "
                         f"({top['pct']:.0f}%) to {bottom['area']} ({bottom['pct']:.0f}%)"
                         + (", each with a 95% confidence interval." if has_ci else f"; {NO_INTERVAL}."))))
    by_group = groups(df, area)
    by_group = by_group[by_group["comparison"] != ""]
    if len(by_group):
        lower = by_group.loc[by_group["comparison"] == "lower", "group"].tolist()
        more.append(charts.estimates_with_ci(
            by_group[["measure", "breakdown", "group", "pct", "ci_low_pct", "ci_high_pct", "comparison", "ref_pct"]],
            name=f"local-survey-groups-{f.slug}", source=source, reference_label=f"all respondents in {area}",
            title=f"Groups against all respondents, {area}, {last['period']}", x_title="% agreeing",
            subtitle="Dots are survey estimates, whiskers 95% confidence intervals; dashed line: all respondents",
            description=(f"Dot-and-whisker chart of {len(by_group)} groups in {area} against all respondents, each "
                         f"with a 95% confidence interval. Significantly lower: {', '.join(lower) or 'none'}.")))
    table = _pct(latest(df))[["area", "measure", "group", "period", "pct", "ci_low_pct", "ci_high_pct", "base",
                              "interval_from"]].rename(columns={
        "pct": "%", "ci_low_pct": "95% CI from", "ci_high_pct": "95% CI to", "interval_from": "interval from"})
    return Section(table.round(1).reset_index(drop=True), trend, figures, more, note)


def met_pas_as_local_survey() -> pd.DataFrame:
    """The MOPAC PAS borough file in the local survey format: boroughs, and the Met as a whole, without intervals."""
    boroughs = met_pas.load_boroughs()
    order = [met_pas.GOOD_JOB] + [m for m in boroughs["measure"].unique() if m != met_pas.GOOD_JOB]
    force = forces.get("E23000001").short_name
    whole = boroughs.drop_duplicates(["date", "measure"]).assign(borough=force, proportion=lambda d: d["london"])
    both = pd.concat([whole, boroughs], ignore_index=True)
    both["measure"] = pd.Categorical(both["measure"], order)
    both = both.sort_values(["measure", "date"], kind="stable")
    frame = pd.DataFrame({
        "period": both["date"].dt.strftime("quarter ending %B %Y"), "period_end": both["date"].dt.strftime("%Y-%m-%d"),
        "area": both["borough"], "measure": both["measure"].astype(str), "group": ALL,
        "estimate": both["proportion"].map(repr), "weighted": "unknown"})
    df = validate(frame.astype(str), str(locate(met_pas.BOROUGH_FILE)))
    df.attrs.update({"datasets": [met_pas.BOROUGH_FILE], "why_no_interval": PAS_WHY, "source_label": PAS_SOURCE,
                     "survey_name": "MOPAC Public Attitude Survey",
                     "name": "MOPAC PAS borough file"})
    return df


def for_edition(force: str, path=None) -> pd.DataFrame | None:
    """The survey an edition shows: the given file, else the PAS for the Met, else None."""
    if path:
        return load(path)
    if forces.resolve(force).code == "E23000001":
        return met_pas_as_local_survey()
    return None


def not_supplied(force: str) -> str:
    """What an edition says when the force has no survey of its own in it."""
    f = forces.resolve(force)
    return (f"No survey of {f.name}'s own was supplied for this edition, and no confidence figure by force is "
            "published in any data this book uses. A force's analysts can add its public attitude survey results here "
            "by rebuilding this edition with the survey file (the format and the command are in the README, under "
            "'Bring your own data').")
