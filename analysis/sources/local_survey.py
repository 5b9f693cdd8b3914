"""A force's own public attitude survey: the CSV format and its checks, and the MOPAC PAS in the same format.

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

The intervals and tests are in methods/survey.py. An example file, invented for illustration, is
``data/examples/INVENTED-example-local-survey.csv``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.sources import cache, evidence, forces, localfiles, met_pas
from analysis.sources.files import locate
from analysis.sources.localfiles import LocalDataError

REQUIRED = ["period", "period_end", "area", "measure", "weighted"]
NUMBERS = ["agree", "base", "estimate", "standard_error", "design_effect"]
ALL = "All"
WEIGHTED = {"yes", "no", "unknown"}
EXPECTED = ("columns period, period_end, area, measure, weighted, and either agree and base (counts) or estimate "
            "with standard_error or base; optional: group, design_effect")
# Free-text columns: a label longer than this would overrun the briefing's tables (a measure's wording is well under).
LABELS = ["period", "area", "measure", "group"]
LABEL_MAX = 200
# A design effect well under 1 is implausible (stratification rarely gains more than a little); a tiny one would
# inflate the effective sample size beyond the respondents.
DESIGN_EFFECT_MIN = 0.1
PAS_WHY = ("MOPAC's published borough file gives proportions only, with no sample sizes or standard errors, so no "
           "borough's change or difference can be tested; London-wide, the interviews a year MOPAC publishes give an "
           "approximate interval")


def load(path) -> pd.DataFrame:
    """Read and check a local survey CSV (see the module docstring for the format), once per process while the file
    is unchanged: every notebook of an edition shares the read."""
    p = localfiles.existing(path, "a local survey CSV in the format of data/examples/INVENTED-example-local-survey.csv")
    max_bytes, max_rows = config.local_survey_limits()
    size = p.stat().st_size
    if size > max_bytes:
        raise LocalDataError(f"{p}: {size / 1e6:,.1f} MB, over the {max_bytes / 1e6:,.0f} MB limit for a local survey "
                             "file; expected a summary table (one row per period, area, measure and group), not "
                             "respondent-level data. To read a larger file, set PCP_LOCAL_SURVEY_MAX_MB.")
    return _load(str(p), size, p.stat().st_mtime_ns, max_rows)


@cache.in_memory
def _load(path: str, size: int, mtime_ns: int, max_rows: int) -> pd.DataFrame:
    """The checked survey at `path`; size and modification time are in the key so a changed file is read again."""
    p = Path(path)
    lines = localfiles.read_text(p).splitlines(keepends=True)
    if len(lines) > max_rows + 1:
        raise LocalDataError(f"{p}: {len(lines) - 1:,} lines, over the {max_rows:,}-row limit for a local survey "
                             "file; expected a summary table (one row per period, area, measure and group). To read "
                             "a larger file, set PCP_LOCAL_SURVEY_MAX_ROWS.")
    comments = 0
    while comments < len(lines) and lines[comments].lstrip().startswith("#"):
        comments += 1
    body = "".join(lines[comments:])
    if not body.strip():
        raise LocalDataError(f"{p}: the file has no header line; expected {EXPECTED}")
    names = Counter(c.strip().lower() for c in next(csv.reader(io.StringIO(body))))
    twice = sorted(c for c, n in names.items() if n > 1)
    if twice:  # pandas would rename the second 'area' to 'area.1' and read the first
        raise LocalDataError(f"{p}, line {comments + 1}: column {localfiles.shown(twice[0])} appears "
                             f"{names[twice[0]]} times (column names ignore case); expected each column once")
    _require(list(names), str(p))  # before pandas spends minutes on a header of 300,000 columns
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


def _require(found: list[str], source: str) -> None:
    """Refuse a header without the required columns, quoting only a short, cut excerpt of it: a header could be
    megabytes long, or hold someone's secrets."""
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        shown = ", ".join(localfiles.shown(c, 30) for c in found[:6]) + (f" and {len(found) - 6:,} more"
                                                                         if len(found) > 6 else "")
        raise LocalDataError(f"{source}: missing column{'s' if len(missing) > 1 else ''} {missing}; expected "
                             f"{EXPECTED}; found {shown}")


def validate(raw: pd.DataFrame, source: str, first_line: int = 2) -> pd.DataFrame:
    """Check a local survey table and return it typed; every error names the file, line(s) or column."""
    df = raw.rename(columns=lambda c: str(c).strip().lower())
    df["line"] = np.arange(len(df)) + first_line
    df = df[df.drop(columns="line").notna().any(axis=1)].copy()  # blank lines
    _require([c for c in df.columns if c != "line"], source)
    if df.empty:
        raise LocalDataError(f"{source}: a header and no rows; expected one row per period, area, measure and group")
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
    for col in LABELS:
        bad = df[col].str.contains(localfiles.UNPRINTABLE, regex=True)
        if bad.any():
            char = re.search(localfiles.UNPRINTABLE, df.loc[bad, col].iloc[0]).group()
            raise LocalDataError(f"{source}, {_lines(df, bad)}: column '{col}' holds the character U+{ord(char):04X} "
                                 "(a control or text-direction character); expected printable text")
        long = df[col].str.len() > LABEL_MAX
        if long.any():
            length = df.loc[long, col].str.len().max()
            raise LocalDataError(f"{source}, {_lines(df, long)}: column '{col}' is {length:,} characters long; "
                                 f"expected at most {LABEL_MAX}")
    for col in NUMBERS:
        text = df[col]
        df[col] = pd.to_numeric(text, errors="coerce")
        bad = text.notna() & df[col].isna()
        if bad.any():
            first = text[bad].iloc[0]
            raise LocalDataError(f"{source}, {_lines(df, bad)}: column '{col}' has {localfiles.shown(first)}; "
                                 "expected a number")
        bad = df[col].notna() & ~np.isfinite(df[col].to_numpy(dtype="float64", na_value=np.nan))
        if bad.any():  # 1e309 reads as infinity
            shown = localfiles.shown(text[bad].iloc[0])
            raise LocalDataError(f"{source}, {_lines(df, bad)}: column '{col}' has {shown}, which is not a finite "
                                 "number; expected a number")
    ends = pd.to_datetime(df["period_end"], format="%Y-%m-%d", errors="coerce")
    if ends.isna().any():
        bad = ends.isna()
        raise LocalDataError(f"{source}, {_lines(df, bad)}: column 'period_end' has "
                             f"{df.loc[bad, 'period_end'].iloc[0]!r};"
                             " expected the period's last day as YYYY-MM-DD, e.g. 2024-12-31")
    df["period_end"] = ends
    per_end = df.groupby("period_end")["period"].nunique()
    if (per_end > 1).any():  # two periods ending the same day would give two headline rows for one date
        end = per_end[per_end > 1].index[0]
        raise LocalDataError(f"{source}, {_lines(df, df['period_end'] == end)}: two periods end on "
                             f"{end:%Y-%m-%d}; expected one period per end date")
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
    bad = df["standard_error"] == 0
    if bad.any():
        raise LocalDataError(f"{source}, {_lines(df, bad)}: standard_error is 0, which would give an interval of no "
                             "width; expected a positive proportion, or an empty cell")
    bad = df["design_effect"] < DESIGN_EFFECT_MIN
    if bad.any():
        raise LocalDataError(f"{source}, {_lines(df, bad)}: design_effect is {df.loc[bad, 'design_effect'].iloc[0]:g};"
                             f" expected {DESIGN_EFFECT_MIN} or more (1 for a simple random sample)")
    key = ["period", "area", "measure", "group"]
    dup = df.duplicated(key, keep=False)
    if dup.any():
        raise LocalDataError(f"{source}, {_lines(df, dup)}: the same period, area, measure and group twice; expected "
                             "one row each")
    df = df[["line", "period", "period_end", "area", "measure", "group", "agree", "base", "estimate",
             "standard_error", "weighted", "design_effect"]].reset_index(drop=True)
    df.attrs["source"] = source
    return df


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


def met_pas_as_local_survey() -> pd.DataFrame:
    """The MOPAC PAS borough file in the local survey format: boroughs without intervals, and the Met as a whole as a
    share of the interviews a year MOPAC publishes (an approximate interval, as chapter 1 gives the PAS's fall)."""
    boroughs = met_pas.load_boroughs()
    order = [met_pas.GOOD_JOB] + [m for m in boroughs["measure"].unique() if m != met_pas.GOOD_JOB]
    force = forces.get(forces.METROPOLITAN).short_name
    whole = boroughs.drop_duplicates(["date", "measure"]).assign(borough=force, proportion=lambda d: d["london"])
    both = pd.concat([whole, boroughs], ignore_index=True)
    both["measure"] = pd.Categorical(both["measure"], order)
    both = both.sort_values(["measure", "date"], kind="stable")
    frame = pd.DataFrame({
        "period": both["date"].dt.strftime("quarter ending %B %Y"), "period_end": both["date"].dt.strftime("%Y-%m-%d"),
        "area": both["borough"], "measure": both["measure"].astype(str), "group": ALL,
        "estimate": both["proportion"].map(repr), "weighted": "unknown"}).astype(str)
    # London-wide, tested as chapter 1 tests the PAS's fall: the rounded share of the interviews a year MOPAC
    # publishes, with an assumed design effect (MOPAC publishes none).
    interviews = int(evidence.load_register().set_index("id").at[met_pas.INTERVIEWS_ROW, "n"])
    whole_met = (both["borough"] == force).to_numpy()
    frame["base"] = pd.Series(str(interviews), index=frame.index).where(whole_met, None)
    frame["design_effect"] = pd.Series(repr(config.ASSUMED_DESIGN_EFFECT), index=frame.index).where(whole_met, None)
    df = validate(frame, str(locate(met_pas.BOROUGH_FILE)))
    df.attrs.update({"datasets": [met_pas.BOROUGH_FILE, evidence.REGISTER_FILE], "why_no_interval": PAS_WHY,
                     "survey_name": "MOPAC Public Attitude Survey", "name": "MOPAC PAS borough file",
                     "rounded_to": met_pas.ROUNDED_TO, "assumed_design_effect": config.ASSUMED_DESIGN_EFFECT})
    return df


def for_edition(force: str, path=None) -> pd.DataFrame | None:
    """The survey an edition shows: the given file, else the PAS for the Met, else None."""
    if path:
        return load(path)
    if forces.resolve(force).code == forces.METROPOLITAN:
        return met_pas_as_local_survey()
    return None
