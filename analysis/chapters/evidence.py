"""The guide's messages, chapter by chapter, with the register rows behind each, and the register figures the
chapters' text quotes."""

from __future__ import annotations

import pandas as pd

from analysis.present import evidence_tables
from analysis.present.glue import Figure, Section
from analysis.sources.evidence import REGISTER_FILE, load_register

# The guide's messages for each chapter of the register, each with its findings: a finding is one
# register row, or a tuple of rows from one study that make one point (a gradient across groups, a
# treated and a control figure, a range, the trial's sample sizes), shown as one table row. A chapter's
# evidence then reads as a few short tables, one per message. Rows not listed fall under "Other evidence",
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
        unit = ((evidence_tables.estimate_unit(row) if column == "estimate" else None)
                or evidence_tables.sample_noun(row).strip() or "number")
        figures.append(Figure(key, float(value), unit, [REGISTER_FILE],
                              f"{{:,.{evidence_tables.published_decimals(value)}f}}", label))
    rows = register.loc[[row_id for row_id, _, _ in wanted.values()]].reset_index()
    return Section(rows, None, figures)


def table(chapter_prefix: str, ids: list[str] | None = None) -> pd.DataFrame:
    """A chapter's cited evidence, one row per finding under the guide's messages (register chapter number and any
    rows named from other chapters)."""
    return evidence_tables.table(load_register(), MESSAGES, chapter_prefix=chapter_prefix, ids=ids)


def section(chapter_prefix: str, ids: list[str] | None = None) -> Section:
    """A chapter's evidence as readers see it (one table per message), with the register figures its text quotes."""
    figures = quoted(chapter_prefix).figures if chapter_prefix in QUOTED else []
    return Section(evidence_tables.styled(table(chapter_prefix, ids)), None, figures)
