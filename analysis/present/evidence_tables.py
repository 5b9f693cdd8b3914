"""The evidence register as readers see it: one table per message of the guide, each finding with its figures,
strength, study (the primary citation, linked to citation_url only) and sample."""

from __future__ import annotations

import html
import re

import pandas as pd

from analysis.methods import evidence_strength
from analysis.methods.evidence_strength import finding_label, strength_definitions
from analysis.present import tables
from analysis.present.numbers import fmt_number
from analysis.sources.evidence import OUTCOME_DOMAINS, load_display

OTHER = "Other evidence"

# Units that describe the estimate (as shown to readers). Any other unit in the register is the
# noun of its sample size (studies, victims, households) and is shown with n.
ESTIMATE_UNITS = {
    "percent": "%", "percent of incidents": "% of incidents", "percent (approximate)": "% (approximate)",
    "percent more likely": "% more likely", "percentage points": "percentage points", "ratio": "times",
    "ratio (approximate, 'nearly')": "times (approximate, 'nearly')", "ratio (as stated)": "times (as stated)",
    "t statistic": "(t statistic)", "working days": "working days",
}
# Where the register gives no unit, the measure's own words say what the number is.
MEASURE_UNITS = (
    (re.compile(r"^(percent|share of)\b", re.I), "%"), (re.compile(r"^t-statistic", re.I), "(t statistic)"),
    (re.compile(r"cohen's d|^equivalent d\b", re.I), "(Cohen's d)"),
    (re.compile(r"rate per 1,000\b", re.I), "per 1,000 people"), (re.compile(r"crime reduction", re.I), "%"),
    (re.compile(r"percentage points", re.I), "percentage points"),
    (re.compile(r"per million population", re.I), "per million people"),
    (re.compile(r"rate ratio|^ratio of", re.I), "times"), (re.compile(r"^average days\b", re.I), "days"),
    (re.compile(r"^(overall )?relative reduction|\(\d[\d,]* of \d[\d,]*\)", re.I), "%"),
)
# A range published as two rows, "(lower end of stated range)" / "(range upper)": its two ends.
RANGE_END = re.compile(r"\s*\((?:range\s+)?(lower|upper)\b[^)]*\)", re.I)

NOT_STATED = "not stated in the source"
# The register's metric named beside a figure whose unit alone does not say it, so two metrics are never set side by
# side unflagged (README.md's vocabulary; the others read plainly from their unit).
METRIC_NOTES = {
    "percent change": "relative change, as the source states it",
    "percent reduction (from log RIRR)": "from the log of the relative incident rate ratio, a count-based measure",
    "percent reduction (converted from Cohen's d)": "converted by the authors from Cohen's d",
    "percent change in odds": "change in the odds",
    "percent more likely": "relative likelihood",
    "Cohen's d": "Cohen's d, a standardised difference",
    "Hedges' g": "Hedges' g, a standardised difference",
    "odds ratio": "odds ratio",
    "correlation r": "correlation r",
    "t statistic": "t statistic: the effect divided by its standard error, not a size",
}
# What the register's compilers could not read is, for readers, what the source read does not state.
UNREAD = ((re.compile(r"\bno (pooled )?estimate captured\b"), r"no \1estimate stated in the source"),
          (re.compile(r"\b(?:not|NOT) (?:retrieved|captured|read)(?: here| in this pass)?\b"), NOT_STATED))
# A citation's note that the figure was read in a report about the primary, not in the primary itself.
AS_REPORTED = re.compile(r"\bas reported\b|\breproduced\b")


# Beside a figure read in a secondary summary (display.yml's `secondary`), and beside the grade of a finding it heads.
SECONDARY = "figure from a secondary summary, not the study itself"


def plain(text: str) -> str:
    """Register text for readers: a citation the register gives without authors or year in the form display.yml
    sets; the notes on how a figure was read removed or put plainly (display.yml); what was not read is "not stated
    in the source"."""
    display = load_display()
    text = display["citations"].get(text, text)
    for phrase, replacement in display["reading_notes"].items():
        text = text.replace(phrase, replacement)
    for pattern, replacement in UNREAD:
        text = pattern.sub(replacement, text)
    return text


def split_citation(study: str) -> tuple[str, list[str]]:
    """The primary citation, and its "(figure as reported by ...)" notes (brackets nest, as in a blog's title)."""
    spans, depth, start = [], 0, 0
    for i, char in enumerate(study):
        if char == "(":
            start = i if depth == 0 else start
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0 and AS_REPORTED.search(study[start:i]):
                spans.append((start, i + 1))
    text = study
    for begin, end in reversed(spans):
        text = text[:begin].rstrip() + text[end:]
    return re.sub(r"\s+([.,;])", r"\1", text).strip(), [study[b:e] for b, e in spans]


# The first bracket of a citation that holds a year, "(2014)" or "(27 Oct 2022)", and one author's initials ("C.W.").
YEAR_BRACKET = re.compile(r"\((?P<inside>[^()]*?\b(?P<year>(?:19|20)\d{2})\b[^()]*)\)")
INITIALS = re.compile(r"(?:[A-Z][a-z]?\.-?)+")


def short_citation(study: str) -> str:
    """The author-year form of a register citation for a compact table: "Gill et al. (2014)", "Braga and Weisburd
    (2020)", "Home Office (2022)"; a citation with no year in brackets is given whole."""
    primary, _ = split_citation(plain(study))
    found = YEAR_BRACKET.search(primary)
    authors = re.sub(r"\s*\([^()]*\)", "", primary[:found.start()]).strip().rstrip(".") if found else ""
    if not authors:
        return primary
    tokens = re.split(r"\s+and\s+|,\s+", authors)
    initials = [bool(INITIALS.fullmatch(t) or INITIALS.fullmatch(t + ".")) for t in tokens]
    # People are "Surname, I."; an organisation has no initials and is named up to its title.
    names = [t for t, i in zip(tokens, initials) if not i] if any(initials) else [authors.split(". ")[0]]
    who = names[0] if len(names) == 1 else " and ".join(names) if len(names) == 2 else f"{names[0]} et al."
    return f"{who} ({found['year']})"


def published_decimals(value: float) -> int:
    """The decimals a figure was published with (as stored: 33.8 -> 1, 200966.0 -> 0)."""
    text = repr(float(value))
    return 0 if text.endswith(".0") or "." not in text else len(text.split(".")[1])


def published(value: float) -> str:
    """A published figure with the decimals it was published with (never rounded further)."""
    return fmt_number(value, published_decimals(value))


def estimate_unit(row) -> str | None:
    """What the row's estimate is measured in, for readers; None where neither unit nor measure says."""
    unit = row["unit"]
    if not pd.isna(unit) and unit in ESTIMATE_UNITS:
        return ESTIMATE_UNITS[unit]
    measure = "" if pd.isna(row["measure"]) else row["measure"]
    from_measure = next((text for pattern, text in MEASURE_UNITS if pattern.search(measure)), None)
    if from_measure is None and not pd.isna(unit) and pd.isna(row["n"]):
        return unit  # a count with no sample size: the unit is the thing counted (cases, teams)
    if from_measure is None and str(row.get("metric", "")).startswith("percent"):
        return "%"  # the register's metric says what neither unit nor measure does
    return from_measure


def _with_unit(text: str, unit: str | None) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def _measure(row) -> str:
    return "" if pd.isna(row["measure"]) else plain(RANGE_END.sub("", row["measure"]).strip())


def _range_end(row) -> str | None:
    match = None if pd.isna(row["measure"]) else RANGE_END.search(row["measure"])
    return match.group(1).lower() if match else None


def sample_noun(row) -> str:
    unit = row["unit"]
    return "" if pd.isna(unit) or unit in ESTIMATE_UNITS else f" {plain(unit)}"


def _citations(rows: pd.DataFrame) -> str:
    """Each distinct study of a finding: the primary citation, linked to citation_url where the register has one,
    with any "as reported by" note beside it in small type (the figure was not read in the primary)."""
    cited = []
    for (study, url), _ in rows.groupby(["study", rows["citation_url"].fillna("")], sort=False):
        primary, notes = split_citation(plain(study))
        text = html.escape(primary)
        text = f'<a href="{html.escape(url)}">{text}</a>' if url.strip() else text
        cited.append(" ".join([text, *(f"<small>{html.escape(n)}</small>" for n in notes)]))
    return "<br>".join(cited)


def _percent(row) -> str:
    """The "%" on the lower end of a range too ("5%–15%", never "5 to 15%" that reads as 5 of something)."""
    return "%" if (estimate_unit(row) or "").startswith("%") else ""


def _metric_note(row, values: tuple) -> str:
    """The metric beside a figure where its unit does not name it; a change in odds also as Cohen's d, converted by
    the logistic method, and said so."""
    note = METRIC_NOTES.get(row["metric"])
    if note is None:
        return ""
    if row["metric"] in (estimate_unit(row) or ""):  # "(t statistic)" already names it: keep only what it means
        note = note.partition(": ")[2] or note.partition(", ")[2]
        if not note:
            return ""
    if row["metric"] == "percent change in odds":
        ds = [fmt_number(evidence_strength.odds_ratio_to_d(1 + v / 100), 2) for v in values]
        note += f"; about d = {' to '.join(ds)}, converted by this book by the logistic method"
    return f" ({note})"


# Designs that test nothing, and figures that are levels or counts rather than effects: no significance to state.
DESCRIBES = ("descriptive", "statement or secondary report")
LEVELS = ("percent", "count", "n only", "mean", "rate per 1,000 population", "rate per million population")


def _significance(row) -> str:
    """Whether the source found the row's figure significant; descriptive figures test nothing, so say nothing."""
    if row["significant"] == "not stated" and (row["design_class"] in DESCRIBES or row["metric"] in LEVELS):
        return ""
    return f"; {evidence_strength.SIGNIFICANCE[row['significant']]}"


def _measured(rows: pd.DataFrame) -> str:
    """What the finding's figures measure, where and when: its outcomes, countries and the study's year."""
    outcomes = "; ".join(dict.fromkeys(OUTCOME_DOMAINS[d] for d in rows["outcome_domain"]))
    places = ", ".join(dict.fromkeys(COUNTRY.get(c, c) for c in rows["country"]))
    years = ", ".join(dict.fromkeys(m["year"] for s in rows["study"] if (m := YEAR_BRACKET.search(s))))
    return f"{outcomes.capitalize()}<br>{html.escape(places)}{', ' + years if years else ''}"


COUNTRY = {"multi": "several countries", "not stated": "country not stated"}


def _finding(rows: pd.DataFrame, caveats: dict) -> dict:
    """One table row from the register rows that make one finding: the first row's claim and study, each
    figure beside what it measures (a published range as "5 to 10"), the sample sizes and any caveat on its rows."""
    first = rows.iloc[0]
    figures, samples, sized = [], [], []
    pending = None  # the lower end of a range, waiting for its upper end
    secondary = set(load_display()["secondary"])
    for _, row in rows.iterrows():
        measure = _measure(row) + (f" ({SECONDARY})" if row["id"] in secondary else "")
        if pd.isna(row["estimate"]):
            if row["metric"] == "direction only":
                figures.append(f"{measure}: direction only, no figure stated{_significance(row)}")
            elif pd.isna(row["n"]):  # a measure that already says so needs no second "not stated"
                figures.append(measure if "stated in the source" in measure else f"{measure}: {NOT_STATED}")
            else:
                samples.append(f"{measure}: {fmt_number(row['n'], 0)}{sample_noun(row)}")
            continue
        end = _range_end(row)
        if end == "lower":
            pending = row
            continue
        if end == "upper" and pending is not None:
            value = _with_unit(f"{published(pending['estimate'])}{_percent(row)} to {published(row['estimate'])}",
                               estimate_unit(row))
            value += _metric_note(row, (pending["estimate"], row["estimate"]))
            pending = None
        else:
            value = _with_unit(published(row["estimate"]), estimate_unit(row))
            if not (pd.isna(row["ci_low"]) or pd.isna(row["ci_high"])):
                places = max(published_decimals(row[c]) for c in ("estimate", "ci_low", "ci_high"))
                value += f" (95% CI {fmt_number(row['ci_low'], places)} to {fmt_number(row['ci_high'], places)})"
            value += _metric_note(row, (row["estimate"],))
        value += _significance(row)
        figures.append(f"{measure}: {value}" if measure else value)
        if not pd.isna(row["n"]):
            sized.append((measure, row["n"], sample_noun(row)))
    # A trial's or review's size, once when every figure rests on the same n, else beside each figure.
    if len({n for _, n, _ in sized}) == 1:
        samples.insert(0, f"{fmt_number(sized[0][1], 0)}{next((x for _, _, x in sized if x), '')}")
    else:
        samples[:0] = [f"{m}: {'' if x else 'n = '}{fmt_number(n, 0)}{x}" for m, n, x in sized]
    if pending is not None:  # a lower end with no upper end is shown as it stands
        figures.append(f"{_measure(pending)}: {_with_unit(published(pending['estimate']), estimate_unit(pending))}")
    notes = [f"<small>{html.escape(c)}</small>" for c in dict.fromkeys(caveats[i] for i in rows["id"] if i in caveats)]
    strength = finding_label(rows)
    if secondary & set(rows["id"]):  # the study's design vouches for the study, not for a summary of it
        which = SECONDARY if first["id"] in secondary else "some figures" + SECONDARY.removeprefix("figure")
        strength = f"{strength[:-1]}; {which})" if strength.endswith(")") else f"{strength} ({which})"
    return {
        "finding": plain(RANGE_END.sub("", first["claim"]).strip()),
        "figures": "<br>".join([html.escape(f) for f in figures] + notes) or None,
        "sample_size": "<br>".join(html.escape(x) for x in dict.fromkeys(samples)) or None,
        "study": _citations(rows),
        "strength": strength, "design": plain(first["design"]), "measured": _measured(rows),
        "pooled": None if pd.isna(first["studies_pooled"]) else plain(first["studies_pooled"]),
        "ids": ", ".join(rows["id"]),
    }


def _groups(rows: pd.DataFrame, listed: list) -> list[list[str]]:
    """The register rows of each finding, in order: the listed findings first, then any other rows grouped
    by study and claim, a study's rows that give only a sample size joining its first finding."""
    groups = [[f] if isinstance(f, str) else list(f) for f in listed]
    groups = [[i for i in g if i in set(rows["id"])] for g in groups]
    taken = {i for g in groups for i in g}
    by_key: dict[tuple, list[str]] = {}
    first_of_study: dict[str, list[str]] = {}
    last_of_study: dict[str, list[str]] = {}
    for _, row in rows[~rows["id"].isin(taken)].iterrows():
        study_group = first_of_study.get(row["study"])
        if study_group is not None and pd.isna(row["estimate"]) and not pd.isna(row["n"]):
            study_group.append(row["id"])
            continue
        if _range_end(row) == "upper" and last_of_study.get(row["study"]) is not None \
                and _range_end(rows.loc[last_of_study[row["study"]][-1]]) == "lower":
            last_of_study[row["study"]].append(row["id"])
            continue
        group = by_key.setdefault((row["study"], row["claim"]), [])
        if not group:
            groups.append(group)
        group.append(row["id"])
        first_of_study.setdefault(row["study"], group)
        last_of_study[row["study"]] = group
    return [g for g in groups if g]


def table(register: pd.DataFrame, messages: dict, *, chapter_prefix: str | None = None,
          ids: list[str] | None = None, caveats: dict | None = None) -> pd.DataFrame:
    """A chapter's cited evidence (by register chapter number and/or named rows), one row per finding, under the
    guide's messages (`messages`: register chapter -> (message, findings) pairs; unlisted rows fall under OTHER),
    with `caveats` (row id -> text) beside the figures of any finding holding that row."""
    caveats = caveats or {}
    keep = pd.Series(False, index=register.index)
    if chapter_prefix is not None:
        keep |= register["chapter"].str.startswith(chapter_prefix)
    if ids:
        keep |= register["id"].isin(ids)
    rows = register[keep].set_index("id", drop=False)
    if rows.empty:
        raise ValueError(f"no evidence rows for chapter {chapter_prefix!r} / ids {ids}")
    out = []
    listed: set[str] = set()
    for message, findings in messages.get(chapter_prefix or "", ()):
        mine = {i for f in findings for i in ([f] if isinstance(f, str) else f)}
        listed |= mine
        out += [{"message": message, **_finding(rows.loc[g], caveats)}
                for g in _groups(rows[rows["id"].isin(mine)], findings)]
    rest = rows[~rows["id"].isin(listed)]
    out += [{"message": OTHER, **_finding(rows.loc[g], caveats)} for g in _groups(rest, [])]
    return pd.DataFrame(out)


HEADERS = {"finding": "Finding", "figures": "What was measured (group, period): figure, metric, significance",
           "measured": "Outcome; where and when",
           "strength": "Strength as evidence of an effect on confidence", "study": "Study (linked to its DOI or "
           "official page), design and sample"}


class EvidenceTables:
    """A chapter's evidence: one captioned table per message, for display in a chapter."""

    def __init__(self, parts: list[tables.Table]):
        self.parts = parts

    def _repr_html_(self) -> str:
        return "\n".join(p.html for p in self.parts)

    def __repr__(self) -> str:
        return "\n\n".join(repr(p) for p in self.parts)


def _study_cell(row) -> str:
    """The citation, then the design, what a review pooled and the sample, then the register rows in small type."""
    lines = [row["study"], f"Design: {html.escape(row['design'])}"]
    if isinstance(row["pooled"], str):
        lines.append(f"Pooled: {html.escape(row['pooled'])}")
    if isinstance(row["sample_size"], str):
        lines.append(f"Sample: {row['sample_size']}")
    lines.append(f"<small>Register: {html.escape(row['ids'])}</small>")
    return "<br>".join(lines)


def styled(tab: pd.DataFrame) -> EvidenceTables:
    """The evidence as readers see it: a captioned table per message, each study linked to its DOI or
    official page, each capped in height (long ones scroll)."""
    parts = []
    for message, rows in tab.groupby("message", sort=False):
        shown = rows.assign(study=rows.apply(_study_cell, axis=1))[["finding", "figures", "measured", "strength",
                                                                     "study"]]
        parts.append(tables.format_table(
            shown, headers=HEADERS, kind="evidence", html_columns=("figures", "measured", "study"),
            missing={"figures": NOT_STATED},
            caption=message if message != OTHER or tab["message"].nunique() > 1 else "Cited evidence", tall=True))
    return EvidenceTables(parts)


def strength_table() -> tables.Table:
    """The strength grades as the appendix shows them, strongest first."""
    return tables.format_table(strength_definitions(), kind="strength",
                               headers={"label": "Grade", "meaning": "What puts a study there"})
