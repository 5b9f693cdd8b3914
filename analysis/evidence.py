"""The evidence register: the studies and figures the guide rests on, as cited tables with a strength label."""

from __future__ import annotations

import html
import re

import pandas as pd

from analysis import tables
from analysis.figures import Figure, Section
from analysis.numbers import fmt_number
from analysis.schemas import Column, Schema, validate
from analysis.sources import locate

# The register is a project file listed in the manifest; figures quoted from it name this id.
REGISTER_FILE = "evidence_register/register"

SCHEMA = Schema(
    "evidence register",
    (
        Column("id", "str"), Column("chapter", "str"), Column("claim", "str"), Column("study", "str"),
        Column("design", "str"), Column("measure", "str", nullable=True), Column("estimate", "float", nullable=True),
        Column("ci_low", "float", nullable=True), Column("ci_high", "float", nullable=True),
        Column("n", "float", nullable=True, min=0), Column("unit", "str", nullable=True),
        # source_url is where the text was read (sometimes a copy on a sharing site): never shown to readers.
        Column("source_url", "str", nullable=True), Column("citation_url", "str", nullable=True),
    ),
    unique=("id",),
)

# Strength-of-evidence labels, defined once (the appendix prints this table). The first rule
# with a phrase found in the study design (as whole words) wins, so the order matters: a summary
# of a review is labelled as a summary; a "systematic review of randomised trials" is a review; a
# "quasi-randomised experiment" is not a randomised trial; a thesis, an inquiry or a policy
# document is labelled by the design it reports.
STRENGTH_RULES = (
    (("narrative review", "evidence summary", "rapid evidence assessment", "literature review"), "Review",
     "A narrative review or summary of other studies: as strong as the studies it draws on, which it does not pool"),
    (("systematic review", "meta-analysis"), "Strong",
     "A systematic review or meta-analysis that pools several studies"),
    (("quasi-experiment", "quasi-experimental", "quasi-randomised", "matched"), "Moderate",
     "A quasi-experiment: treated areas or groups compared with similar ones not chosen at random"),
    (("rct", "randomised", "randomized"), "Good",
     "A randomised trial (in a journal or, where the study says so, a thesis)"),
    (("survey", "statistics", "administrative", "count", "poll", "regression"), "Descriptive",
     "Survey or administrative figures: they show levels and associations, not effects"),
)
UNRATED = ("Unrated", "A statement, inquiry evidence or secondary report whose design gives no basis for a label")

# The guide's messages for each chapter of the register, each with its findings: a finding is one
# register row, or a tuple of rows from one study that make one point (a gradient across groups, a
# treated and a control figure, a range, the trial's sample sizes), shown as one table row. A chapter's
# evidence then reads as a few short tables, one per message. Rows not listed fall under OTHER,
# grouped by study and claim.
MESSAGES = {
    "1": (
        ("A visible, targeted presence", [
            ("E044", "E045", "E046"), ("E047", "E048"), "E051", ("E054", "E055"), "E056", ("E057", "E058"),
            ("E070", "E071", "E072", "E073"), ("E074", "E075")]),
        ("Engaging communities", [
            ("E049", "E050"), ("E052", "E053"), ("E059", "E060", "E061", "E062"),
            ("E063", "E064", "E065", "E066", "E067", "E068", "E069"), "E076"]),
        ("Solving problems with partners", [("E146", "E148"), "E149", "E147", "E150"]),
    ),
    "2": (
        ("Procedural justice: how people are treated", ["E077", ("E078", "E079"), ("E103", "E104", "E105")]),
        ("Over-policing: who is stopped and searched", [("E080", "E081", "E082"), ("E083", "E084", "E085"),
                                                        "E086", "E160"]),
        ("Under-protection and the confidence gap", [
            "E151", ("E152", "E153"), "E154", ("E158", "E159"), ("E155", "E156"), "E157", "E161", "E162"]),
    ),
    "3": (
        ("What goes with victim satisfaction", [
            ("E087", "E088", "E089", "E090"), ("E091", "E092", "E093", "E094"), ("E095", "E096"), ("E097", "E098"),
            ("E099", "E100"), ("E101", "E102")]),
        ("Keeping victims informed and supported", ["E171", "E172", "E173", "E174"]),
        ("What works in contact with victims: trials and reviews", [
            ("E103", "E104", "E105"), ("E163", "E164"), "E165", "E166", ("E167", "E168"), "E169", "E170"]),
    ),
}
OTHER = "Other evidence"

# Units that describe the estimate (as shown to readers). Any other unit in the register is the
# noun of its sample size (studies, victims, households) and is shown with n.
ESTIMATE_UNITS = {
    "percent": "%", "percent of incidents": "% of incidents", "percent (approximate)": "% (approximate)",
    "percent more likely": "% more likely", "percentage points": "percentage points", "ratio": "times",
    "ratio (approximate, 'nearly')": "times (approximate, 'nearly')", "ratio (as stated)": "times (as stated)",
    "t statistic": "(t statistic)", "Cohen's d": "(Cohen's d)", "searches per 1,000 population": "per 1,000 people",
    "working days": "working days",
}
# Where the register gives no unit, the measure's own words say what the number is.
MEASURE_UNITS = ((re.compile(r"^percent\b", re.I), "%"), (re.compile(r"percentage points", re.I), "percentage points"),
                 (re.compile(r"per million population", re.I), "per million people"),
                 (re.compile(r"rate ratio", re.I), "times"), (re.compile(r"^(overall )?relative reduction", re.I), "%"))
# A range published as two rows, "(lower end of stated range)" / "(range upper)": its two ends.
RANGE_END = re.compile(r"\s*\((?:range\s+)?(lower|upper)\b[^)]*\)", re.I)

NOT_RETRIEVED = "not retrieved"


def _phrase_in(phrase: str, text: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text) is not None


def strength(design: str) -> str:
    """The strength label for a study design (the first rule that fits)."""
    text = design.lower()
    for words, label, _ in STRENGTH_RULES:
        if any(_phrase_in(w, text) for w in words):
            return label
    return UNRATED[0]


def strength_definitions() -> pd.DataFrame:
    rows = [(label, meaning, ", ".join(words)) for words, label, meaning in STRENGTH_RULES]
    rows.append((*UNRATED, "anything else"))
    return pd.DataFrame(rows, columns=["label", "meaning", "design words"])


def strength_table() -> tables.Table:
    """The strength labels as the appendix shows them."""
    return tables.format_table(strength_definitions(), kind="strength",
                               headers={"design words": "Design words that give the label (first rule wins)"})


def load_register() -> pd.DataFrame:
    path = locate(REGISTER_FILE)
    df = pd.read_csv(path)
    return validate(df, SCHEMA, str(path))


def _decimals(value: float) -> int:
    """The decimals a figure was published with (as stored: 33.8 -> 1, 200966.0 -> 0)."""
    text = repr(float(value))
    return 0 if text.endswith(".0") or "." not in text else len(text.split(".")[1])


def published(value: float) -> str:
    """A published figure with the decimals it was published with (never rounded further)."""
    return fmt_number(value, _decimals(value))


def estimate_unit(row) -> str | None:
    """What the row's estimate is measured in, for readers; None where neither unit nor measure says."""
    unit = row["unit"]
    if not pd.isna(unit) and unit in ESTIMATE_UNITS:
        return ESTIMATE_UNITS[unit]
    if not pd.isna(unit) and pd.isna(row["n"]):
        return unit  # a count with no sample size: the unit is the thing counted (cases, teams)
    measure = "" if pd.isna(row["measure"]) else row["measure"]
    return next((text for pattern, text in MEASURE_UNITS if pattern.search(measure)), None)


def _with_unit(text: str, unit: str | None) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def _measure(row) -> str:
    return "" if pd.isna(row["measure"]) else RANGE_END.sub("", row["measure"]).strip()


def _range_end(row) -> str | None:
    match = None if pd.isna(row["measure"]) else RANGE_END.search(row["measure"])
    return match.group(1).lower() if match else None


def _noun(row) -> str:
    unit = row["unit"]
    return "" if pd.isna(unit) or unit in ESTIMATE_UNITS else f" {unit}"


def _citations(rows: pd.DataFrame) -> str:
    """Each distinct study of a finding, linked to its DOI or official page where the register has one."""
    cited = []
    for (study, url), _ in rows.groupby(["study", rows["citation_url"].fillna("")], sort=False):
        text = html.escape(study)
        cited.append(f'<a href="{html.escape(url)}">{text}</a>' if url.strip() else text)
    return "<br>".join(cited)


def _finding(rows: pd.DataFrame) -> dict:
    """One table row from the register rows that make one finding: the first row's claim and study, each
    figure beside what it measures (a published range as "5 to 10"), and the sample sizes."""
    first = rows.iloc[0]
    figures, samples, sized = [], [], []
    pending = None  # the lower end of a range, waiting for its upper end
    for _, row in rows.iterrows():
        measure = _measure(row)
        if pd.isna(row["estimate"]):
            if pd.isna(row["n"]):
                figures.append(f"{measure}: {NOT_RETRIEVED}")
            else:
                samples.append(f"{measure}: {fmt_number(row['n'], 0)}{_noun(row)}")
            continue
        end = _range_end(row)
        if end == "lower":
            pending = row
            continue
        if end == "upper" and pending is not None:
            value = _with_unit(f"{published(pending['estimate'])} to {published(row['estimate'])}", estimate_unit(row))
            pending = None
        else:
            value = _with_unit(published(row["estimate"]), estimate_unit(row))
            if not (pd.isna(row["ci_low"]) or pd.isna(row["ci_high"])):
                places = max(_decimals(row[c]) for c in ("estimate", "ci_low", "ci_high"))
                value += f" (95% CI {fmt_number(row['ci_low'], places)} to {fmt_number(row['ci_high'], places)})"
        figures.append(f"{measure}: {value}" if measure else value)
        if not pd.isna(row["n"]):
            sized.append((measure, row["n"], _noun(row)))
    # A trial's or review's size, once when every figure rests on the same n, else beside each figure.
    if len({n for _, n, _ in sized}) == 1:
        samples.insert(0, f"{fmt_number(sized[0][1], 0)}{next((x for _, _, x in sized if x), '')}")
    else:
        samples[:0] = [f"{m}: {'' if x else 'n = '}{fmt_number(n, 0)}{x}" for m, n, x in sized]
    if pending is not None:  # a lower end with no upper end is shown as it stands
        figures.append(f"{_measure(pending)}: {_with_unit(published(pending['estimate']), estimate_unit(pending))}")
    return {
        "finding": RANGE_END.sub("", first["claim"]).strip(),
        "figures": "<br>".join(html.escape(f) for f in figures) or None,
        "sample_size": "<br>".join(html.escape(x) for x in dict.fromkeys(samples)) or None,
        "study": _citations(rows),
        "strength": strength(first["design"]), "design": first["design"], "ids": ", ".join(rows["id"]),
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


def table(register: pd.DataFrame, *, chapter_prefix: str | None = None, ids: list[str] | None = None) -> pd.DataFrame:
    """A chapter's cited evidence (by register chapter number and/or named rows), one row per finding,
    under the guide's messages."""
    keep = pd.Series(False, index=register.index)
    if chapter_prefix is not None:
        keep |= register["chapter"].str.startswith(chapter_prefix)
    if ids:
        keep |= register["id"].isin(ids)
    rows = register[keep].set_index("id", drop=False)
    if rows.empty:
        raise ValueError(f"no evidence rows for chapter {chapter_prefix!r} / ids {ids}")
    out = []
    messages = MESSAGES.get(chapter_prefix or "", ())
    listed: set[str] = set()
    for message, findings in messages:
        mine = {i for f in findings for i in ([f] if isinstance(f, str) else f)}
        listed |= mine
        out += [{"message": message, **_finding(rows.loc[g])} for g in _groups(rows[rows["id"].isin(mine)], findings)]
    rest = rows[~rows["id"].isin(listed)]
    out += [{"message": OTHER, **_finding(rows.loc[g])} for g in _groups(rest, [])]
    return pd.DataFrame(out)


HEADERS = {"finding": "Finding", "figures": "What was measured (group, period): figure", "strength": "Strength",
           "study": "Study (linked to its DOI or official page), design and sample"}


class EvidenceTables:
    """A chapter's evidence: one captioned table per message, for display in a chapter."""

    def __init__(self, parts: list[tables.Table]):
        self.parts = parts

    def _repr_html_(self) -> str:
        return "\n".join(p.html for p in self.parts)

    def __repr__(self) -> str:
        return "\n\n".join(repr(p) for p in self.parts)


def _study_cell(row) -> str:
    """The citation, then the design and sample, then the register rows in small type (for reviewers)."""
    lines = [row["study"], f"Design: {html.escape(row['design'])}"]
    if isinstance(row["sample_size"], str):
        lines.append(f"Sample: {row['sample_size']}")
    lines.append(f"<small>Register: {html.escape(row['ids'])}</small>")
    return "<br>".join(lines)


def styled(tab: pd.DataFrame) -> EvidenceTables:
    """The evidence as readers see it: a captioned table per message, each study linked to its DOI or
    official page, each capped in height (long ones scroll)."""
    parts = []
    for message, rows in tab.groupby("message", sort=False):
        shown = rows.assign(study=rows.apply(_study_cell, axis=1))[["finding", "figures", "strength", "study"]]
        parts.append(tables.format_table(
            shown, headers=HEADERS, kind="evidence", html_columns=("figures", "study"),
            missing={"figures": NOT_RETRIEVED},
            caption=message if message != OTHER or tab["message"].nunique() > 1 else "Cited evidence", tall=True))
    return EvidenceTables(parts)


# Figures the chapters quote from the register, by register chapter: key -> (row, column, label).
# The column is "estimate", or "n" where the text quotes a study's size.
QUOTED = {
    "1": {"ev_pop_reduction": ("E146", "estimate", "Relative reduction in crime and disorder with problem-oriented "
                               "policing, against control areas or groups (Hinkle et al. 2020, as summarised by the "
                               "College of Policing, 2020)"),
          "ev_pop_uk": ("E148", "estimate", "Studies from the UK in the 2020 review of problem-oriented policing"),
          "ev_pop_first_review": ("E150", "n", "Rigorous evaluations found by the first Campbell review of "
                                  "problem-oriented policing (2008)")},
    "2": {"ev_homicide_black": ("E152", "estimate", "Homicide victims per million people, Black ethnic group, three "
                                "years to March 2022"),
          "ev_homicide_white": ("E153", "estimate", "Homicide victims per million people, White ethnic group, three "
                                "years to March 2022"),
          "ev_unprotected_black": ("E158", "estimate", "Black adults saying they do not get the service or "
                                   "protection they need from the police (Crest Advisory poll, 2022)"),
          "ev_trust_black": ("E159", "estimate", "Black adults saying they trust the police (Crest Advisory poll, "
                             "2022)"),
          "ev_victim_gap_national": ("E161", "estimate", "Victim satisfaction, White minus BME victims, England and "
                                     "Wales, data to September 2009")},
    "3": {"ev_not_informed": ("E171", "estimate", "Victims saying the police did not keep them well informed, latest "
                              "year of the Victims' Commissioner's CSEW analysis (2020)"),
          "ev_services": ("E173", "estimate", "Police-known incidents where the victim had contact with victims' "
                          "services, 2018/19"),
          "ev_rj_offered": ("E174", "estimate", "Victims offered a meeting with the offender, 2018/19"),
          "ev_turning_point": ("E170", "estimate", "Victims satisfied with their case when it was diverted to a "
                               "conditional out-of-court disposal (Turning Point trial, 2014)")},
}


def quoted(chapter_prefix: str) -> Section:
    """The register figures a chapter's text quotes, glued with their published precision."""
    register = load_register().set_index("id")
    wanted = QUOTED[chapter_prefix]
    figures = []
    for key, (row_id, column, label) in wanted.items():
        if row_id not in register.index:
            raise KeyError(f"{REGISTER_FILE}: no row {row_id}, which {key!r} quotes")
        row = register.loc[row_id]
        value = row[column]
        if pd.isna(value):
            raise ValueError(f"{REGISTER_FILE}: row {row_id} has no {column}, but {key!r} quotes it")
        # A count of the same things as the study's n ("5 of 34 studies") takes n's noun.
        unit = (estimate_unit(row) if column == "estimate" else None) or _noun(row).strip() or "number"
        figures.append(Figure(key, float(value), unit, [REGISTER_FILE], f"{{:,.{_decimals(value)}f}}", label))
    rows = register.loc[[row_id for row_id, _, _ in wanted.values()]].reset_index()
    return Section(rows, None, figures)
