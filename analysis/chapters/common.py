"""What several chapters share: a force's place in words, the CSEW headline figures, and the police.uk sections'
provenance, notes and monthly chart."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.measures import force_measures
from analysis.methods import funnel, policeuk_measures, ranking
from analysis.present import funnels, lines, source_lines
from analysis.present.glue import Figure, Section
from analysis.present.numbers import fmt_compared, fmt_number, is_zero
from analysis.sources import csew, forces, localfiles, policeuk
from analysis.sources.files import locate

# A CSEW value that only the third party's extract gives: its grade, where the book used to say "provisional".
PROVISIONAL = "third-party extract only"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def median_sentence(name: str, value: float, median: float, *, what: str, decimals: int = 0) -> str:
    """"Kent Police: 216 police officers per 100,000 residents on 31 March 2023, against 200 in the median force (16
    above)": a force beside the median force, never its rank (a place among forces reads noise as performance); the
    difference is the one a reader subtracts from the two printed figures."""
    if pd.isna(value):
        return f"{name} has no published figure for {what}"
    mine, typical, gap = fmt_compared(value, median, decimals)
    side = "about the same" if is_zero(gap) else f"{gap} {'above' if value > median else 'below'}"
    return f"{name}: {mine} {what}, against {typical} in the median force ({side})"


def median_figures(key: str, values: pd.Series, highlight: str | None, *, what: str, datasets: list[str],
                   decimals: int = 0) -> list[Figure]:
    """The glued sentence under a national chart in a force's edition: the force's figure in `values` (by pfa_code)
    against the median of the forces' (ranking.median_force), or for the City of London its figure and why it is not
    compared; nothing in the national book."""
    if not highlight:
        return []
    f = forces.resolve(highlight)
    if f.code == forces.CITY_OF_LONDON and pd.notna(values.get(f.code)):
        # Its figure, never a gap to the median force, which per resident would say little (as on every funnel).
        sentence = f"{f.name}: {fmt_number(values[f.code], decimals)} {what}, {funnel.CITY_NOT_COMPARED}"
    else:
        sentence = median_sentence(f.name, values.get(f.code), ranking.median_force(values), what=what,
                                   decimals=decimals)
    return [Figure(key, sentence, "sentence", datasets, label=f"{f.name} against the median force: {what}")]


def measure_row(highlight: str, measure_id: str, period: str) -> pd.Series:
    """The force's row of the measures table (measures/force_measures) for one measure and period: what a chapter's
    sentence about the force says, so it agrees with the dashboard, key points, briefing and data pack."""
    table = force_measures.all_forces()
    code = forces.resolve(highlight).code
    found = table[(table["force_code"] == code) & (table["measure_id"] == measure_id) & (table["period"] == period)]
    if len(found) != 1:
        raise LookupError(f"measures table: {len(found)} rows for {code}, {measure_id}, {period}")
    return found.iloc[0]


def _placed(name: str, figure: str, what: str, verdict: str) -> str:
    return f"{name}: {figure} {what}, {verdict}"


def row_sentence(row: pd.Series, what: str) -> str:
    """"Kent Police: 3.4 for searches per 1,000 residents in 2018/19, within the 95% limits around the median force"
    from the force's row of the measures table: its figure to the measure's places (a share reads "18.6% of `what`"),
    where it falls on the funnel around the centre the row names, with the caveat a wide funnel needs, or why it is
    not placed; never a rank."""
    meta = force_measures.MEASURES[row["measure_id"]]
    if pd.isna(row["value"]):
        return f"{row['force']} has no figure for {what}; {row['reason']}"
    percent = meta["unit"] == "percent"
    figure = fmt_number(row["value"], meta["decimals"]) + ("% of" if percent else " for")
    if pd.isna(row["funnel_place"]) and row["interval_note"] == force_measures.DENOMINATORS:
        verdict = denominator_range(row["official_value"], row["value"])
    elif pd.isna(row["funnel_place"]):
        verdict = force_measures.UNPLACED_WORDS.get(row["reason"], row["reason"])
    else:
        verdict = (f"{force_measures.FUNNEL_WORDS[row['funnel_place']]} around {row['funnel_centre']}"
                   + (f" ({row['funnel_caveat']})" if pd.notna(row["funnel_caveat"]) else ""))
    return _placed(row["force"], figure, what, verdict)


def denominator_range(official: float, interpolated: float) -> str:
    """A funnel verdict replaced by the range from the two denominators (methods/disproportionality
    .ratios_on_both_denominators): where they differ by more than the interval, no verdict from it stands."""
    return (f"not compared: {official:.1f} on the 2011 Census and {interpolated:.1f} on interpolated residents, "
            "further apart in proportion than its 95% interval is wide")


def row_figures(key: str, measure_id: str, period: str, highlight: str | None, *, what: str,
                notes: dict[str, str] | None = None) -> list[Figure]:
    """The glued sentence under a chart of a measure in a force's edition, from the force's row of the measures table
    (row_sentence), with the note `notes` gives the force (by code) if any, on the row's datasets; nothing in the
    national book."""
    if not highlight:
        return []
    row = measure_row(highlight, measure_id, period)
    note = (notes or {}).get(row["force_code"])
    return [Figure(key, row_sentence(row, what) + (f"; {note}" if note else ""), "sentence",
                   row["datasets"].split("; "), label=f"Where {row['force']} falls on the funnel of {what}")]


def funnel_count_figures(prefix: str, fitted: funnel.Funnel, datasets: list[str], *, what: str) -> list[Figure]:
    """How many forces fall where on a funnel, and the overdispersion the limits allow for; `what` names the funnel
    in the labels ("the Black/White search rate ratio, 2018/19"), as a chapter with two funnels must."""
    verdicts = fitted.table["funnel"]
    spread = fitted.spread
    on = f" on the funnel of {what}"
    around = f" around {fitted.centre_name}{on}"
    return [
        Figure(f"{prefix}_within", int((verdicts == funnel.WITHIN).sum()), "forces", datasets,
               label=f"Forces within the 95% limits{around}"),
        Figure(f"{prefix}_above_95", int(verdicts.isin([funnel.ABOVE_95, funnel.ABOVE_998]).sum()), "forces", datasets,
               label=f"Forces above the 95% limit{around} (including those above the 99.8% limit)"),
        Figure(f"{prefix}_above_998", int((verdicts == funnel.ABOVE_998).sum()), "forces", datasets,
               label=f"Forces above the 99.8% limit{around}"),
        Figure(f"{prefix}_below_95", int(verdicts.isin([funnel.BELOW_95, funnel.BELOW_998]).sum()), "forces", datasets,
               label=f"Forces below the 95% limit{around} (including those below the 99.8% limit)"),
        Figure(f"{prefix}_below_998", int((verdicts == funnel.BELOW_998).sum()), "forces", datasets,
               label=f"Forces below the 99.8% limit{around}"),
        Figure(f"{prefix}_phi", spread["phi"], "overdispersion factor", datasets, "{:,.1f}",
               label=f"Overdispersion factor{on}: how many times more the forces vary than chance alone would make "
                     "them (1 is chance alone)"),
        Figure(f"{prefix}_spread", funnel.describe_spread(spread), "method", datasets,
               label=f"How the limits{on} allow for the forces varying more than chance"),
    ]


def met_share_figures(key: str, charted: funnel.Funnel, data: list[str], *, events: str, period: str,
                      residents: str) -> list[Figure]:
    """Why a funnel of rates per resident is centred on the median force, not on England and Wales's pooled rate: the
    Metropolitan Police's share of the compared forces' `events` in `period` (each force's rate times its size) and of
    their residents (its size; `residents` names the population estimate, "mid-2018"), which say which way and how
    far it pulls the pooled rate. A chapter with two such funnels tells their shares apart by the period."""
    table = charted.table.set_index("pfa_code")
    counted = table["value"] * table["size"]
    met = forces.METROPOLITAN
    compared = "of the forces compared (the City of London left out)"
    return [Figure(f"{key}_met_share", 100 * counted[met] / counted.sum(), "%", data,
                   label=f"Metropolitan Police's share of the {events} {compared}, {period}"),
            Figure(f"{key}_met_residents", 100 * table.at[met, "size"] / table["size"].sum(), "%", data,
                   label=f"Metropolitan Police's share of the residents {compared}, {residents} (the population the "
                         f"{period} {events} are set against)")]


def resident_funnel(fitted: funnel.Funnel, key: str, highlight: str | None, *, data: list[str], what: str,
                    unit: str, described: str, events: str, residents: str, measure: tuple[str, str],
                    **chart) -> tuple[list[Figure], object]:
    """A funnel of forces' rates per resident around the median force (the City of London, with its few residents,
    neither drawn nor counted): how many forces fall where, the median force (the centre), the Met's shares of the
    `events` and residents (`residents`, the population estimate) that pull the pooled rate in the measure's period,
    the force's own place in an edition (its row of the measures table for `measure`, its id and period), and the plot (`chart`: funnel_plot's name, titles and subtitle;
    `described`, what the screen-reader description calls it)."""
    charted = fitted.without([forces.CITY_OF_LONDON])
    figures = [*funnel_count_figures(f"{key}_funnel", charted, data, what=what),
               Figure(f"{key}_median_force", fitted.centre, unit, data, "{:.1f}",
                      label=f"The median force's figure, the centre of the funnel of {what}"),
               *met_share_figures(key, charted, data, events=events, period=measure[1], residents=residents),
               *row_figures(f"{key}_force_funnel", *measure, highlight, what=what)]
    plot = funnels.funnel_plot(
        charted, highlight=highlight, source=source_lines.line(data), **chart,
        description=(f"Funnel plot of {described} for {len(charted.table)} forces against their resident "
                     f"populations, with 95% and 99.8% limits around {fitted.centre_name} "
                     f"({fmt_number(fitted.centre, 1)}). "
                     f"{int((charted.table['funnel'] == funnel.WITHIN).sum())} forces are within the 95% limits."))
    return figures, plot


WHICH = {"first": "first year of the series", "peak": "peak year", "latest": "latest year"}


def csew_cited(row: pd.Series, datasets: list[str]) -> list[str]:
    """The datasets a CSEW value cites: a value no transcribed figure confirms rests on the extract alone, so its grade
    is the extract's, not the transcribed headlines' (issue 35: one grade, from the dataset the figure comes from)."""
    if bool(row.get("provisional", False)):
        return [d for d in datasets if d not in csew.HEADLINE_FILES]
    return datasets


def point_figures(trend: pd.DataFrame, measure: str, short: str, datasets: list[str],
                  what: str | None = None) -> list[Figure]:
    """Glued figures for the first, peak and latest value of one measure in a `trend_frame` built with headlines.

    A value the cross-check disputes is given as the range of the two sources ("about 78 to 79"), so no headline
    rests on one of them; a value only the third party's extract gives (no ONS figure confirms it) has its year
    marked with its grade, as every such figure is (PROVISIONAL).
    """
    figures = []
    for which in ("first", "peak", "latest"):
        row = csew.point(trend, measure, which)
        value = row["value_pct"]
        if pd.notna(row.get("value_transcribed")):
            low, high = sorted([row["value_pct"], row["value_transcribed"]])
            value = f"about {fmt_number(low)} to {fmt_number(high)}"
        provisional = bool(row.get("provisional", False))
        year = row["csew_year"] + (f" ({PROVISIONAL})" if provisional else "")
        what = what or csew.SERIES_LABELS.get(measure, measure)
        cited = csew_cited(row, datasets)
        figures += [Figure(f"{short}_{which}", value, "%", cited, label=f"{what}, {WHICH[which]} ({year})"),
                    Figure(f"{short}_{which}_year", year, "CSEW year", cited, label=f"{what}: the {WHICH[which]}")]
    return figures


def join(names) -> str:
    """Names as a reader lists them: "a, b and c" ("none" for no names)."""
    names = list(names)
    if not names:
        return "none"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def policeuk_provenance(records: pd.DataFrame, kind: str, key: str) -> tuple[list[str], list[Figure]]:
    """The dataset ids a police.uk section's figures cite, and (for a local file or folder) a figure with its sha256.

    The sample is cited by its manifest id; a force's own download by its folder or file name.
    """
    if records.attrs.get("source") == str(locate(policeuk.SAMPLE[kind])):
        return [policeuk.SAMPLE[kind]], []
    local = localfiles.fingerprint(records.attrs["source"])
    datasets = [f"local police.uk download {local['name']}"]
    return datasets, [Figure(f"{key}_sha256", local["sha256"], "sha256", datasets,
                             label=f"Checksum (SHA-256) of {local['name']}, the force's own police.uk download "
                                   f"its {kind.replace('-', ' ')} records were read from: it identifies the exact "
                                   "data used")]


def policeuk_not_supplied(force: str, what: str) -> str:
    """What an edition says where the force's own police.uk download was not given."""
    f = forces.get(forces.resolve(force).code)
    # Said where the force's own section stands: "above" would point at the force's own Home Office figures.
    return (f"The police.uk {what} in this chapter's national part come from a sample month of Bedfordshire Police's "
            f"data, not {f.name}'s. {f.name}'s own police.uk download (any "
            "number of months, from data.police.uk/data) can be shown here: the force's analysts can rebuild this "
            "edition with it, as the data-and-methods appendix explains under 'Adding a force's own data'.")


def own_policeuk_section(force: str, folder: str | None, what: str, build) -> Section:
    """A force's own police.uk section (`build()`, when a download folder was given), or a note saying that the
    figures above are the sample's and where the force's own would go."""
    return build() if folder else Section(None, note=policeuk_not_supplied(force, what))


def policeuk_gap_note(records: pd.DataFrame) -> str:
    """A sentence naming the months with no file between the first and the last ('' when there are none)."""
    missing = records.attrs.get("missing_months", [])
    if not missing:
        return ""
    names = ", ".join(policeuk.month_name(m) for m in missing)
    return (f"The download has no file for {names}: {'that month is' if len(missing) == 1 else 'those months are'} "
            "missing here, not zero, and the monthly lines break there.")


def as_dated(monthly: pd.DataFrame, series: str, ci: bool = True) -> pd.DataFrame:
    """A monthly table in the shape of lines.dated_lines_with_ci; a new segment after each missing month."""
    months = pd.PeriodIndex(monthly["Month"], freq="M")
    ordinal_months = np.asarray(months.year * 12 + months.month)
    return pd.DataFrame({"date": months.to_timestamp(how="start"), "period": monthly["Month"].map(policeuk.month_name),
                         "series": series, "value": monthly["share_pct"],
                         "ci_low": monthly["ci_low_pct"] if ci else np.nan,
                         "ci_high": monthly["ci_high_pct"] if ci else np.nan,
                         "segment": np.cumsum(np.r_[0, np.diff(ordinal_months) != 1]).astype(str)})


def monthly_share_chart(records: pd.DataFrame, column: str, category: str, *, label: str, name: str, source: str,
                        y_title: str, title: str, subtitle: str, subject: str):
    """A line chart of the monthly share of `category` in `column`, with Wilson intervals (several months only)."""
    monthly = policeuk_measures.monthly_share(records, column, category)
    return lines.dated_lines_with_ci(
        as_dated(monthly, label), name=name, source=source, y_title=y_title, title=title, subtitle=subtitle,
        description=(f"Line chart of the monthly share of {subject}, {policeuk.span(records)}: from "
                     f"{monthly['share_pct'].min():.0f}% to {monthly['share_pct'].max():.0f}%, each with a 95% "
                     "confidence interval."))
