"""The guide's messages, chapter by chapter, with the register rows behind each, their caveats, the register figures
the chapters' text quotes, the force-level survey estimates an edition shows, and what the book leaves out."""

from __future__ import annotations

import re

import pandas as pd
import yaml

from analysis.methods import evidence_strength
from analysis.present import evidence_map, evidence_tables
from analysis.present.glue import Figure, Section, national_by_key
from analysis.sources import cache, forces
from analysis.sources.evidence import REGISTER_FILE, load_register
from analysis.sources.files import locate


# The guide's messages, the parts with no readable study and the evidence-and-gap map's rows, as data.
GUIDE_FILE = "evidence_register/guide_messages"


def _finding(item) -> str | tuple[str, ...]:
    """A finding as the file writes it: one row, a list of rows, or a run "E005-E009" (each a tuple of rows)."""
    if isinstance(item, list):
        return tuple(i for part in item for i in _as_tuple(_finding(part)))
    first, _, last = item.partition("-")
    return tuple(f"E{i:03d}" for i in range(int(first[1:]), int(last[1:]) + 1)) if last else item


def _as_tuple(finding) -> tuple[str, ...]:
    return (finding,) if isinstance(finding, str) else tuple(finding)


def _load_guide() -> dict:
    """guide_messages.yml, read once."""
    with open(locate(GUIDE_FILE), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


_GUIDE = _load_guide()
# Register chapter -> ((message, findings), ...); a finding is a row id or a tuple of rows from one study.
MESSAGES = {chapter: tuple((m["message"], [_finding(f) for f in m["findings"]]) for m in messages)
            for chapter, messages in _GUIDE["messages"].items()}
# Published force-level survey estimates, as forces and their reports quote them (wide intervals, most similar groups).
FORCE_LEVEL = next((m["message"], [_finding(f) for f in m["findings"]])
                   for messages in _GUIDE["messages"].values() for m in messages if m.get("force_level"))
# The evidence-and-gap map's rows: (action, register chapter, findings), in the guide's order.
MAP_ROWS = tuple((r["action"], r["chapter"], [_finding(f) for f in r["findings"]]) for r in _GUIDE["map"])
# Rows whose effect ran against what the action aims at (the map colours them "negative").
AGAINST = frozenset(_GUIDE["against"])
# What readers must know beside a figure, by register row (shown with any finding holding the row).
_OLD_BASE = ("Base: the population estimates current in 2022 (a PA analysis), not Census 2021; the Home Office "
             "re-issued rates on Census 2021 in March 2023, so current official rates may differ.")
_PEAK = ("For 2013/14, ONS's own 2015 report gives 74% of incidents; the 2025 reporting gives 75%. The gap may be a "
         "revision or a different base; both are shown.")
CAVEATS = {
    **dict.fromkeys(_finding("E080-E085"), _OLD_BASE),
    **dict.fromkeys(("E020", "E099", "E100"), _PEAK),
    **dict.fromkeys(("E103", "E104"), "The number of officers rated is not stated in the source, so no test or "
                    "interval is computed."),
    **dict.fromkeys(_finding("E063-E066"), "ITT (intention to treat) is the effect of being offered a visit, ATT "
                    "the effect on those actually visited; a t statistic says how clearly an effect differs from zero, "
                    "not how large it is."),
    "E086": "'Nearly seven times' is a blogger's rounding of the Home Office figures, not the published ratio.",
    **dict.fromkeys(("E106", "E107"), "547,003 counts all searches and 542,723 those under section 1 PACE and "
                    "associated powers: different bases."),
    **dict.fromkeys(("E139", "E140"), "Year not stated in the source; 'peak average' for the most similar group is "
                    "the news report's wording."),
    **dict.fromkeys(("E201", "E202"), "Intervals from the stated ±2 and ±1 points."),
    **dict.fromkeys(("E203", "E204"), "No year or interval given."),
    # The register's own claim wording: the rise that peaked in 2019/20, not the series' peak (chapter 5).
    **dict.fromkeys(_finding("E113-E116"), "'Peaked around 2019/20' is the register's wording for the recent rise; "
                    "the Home Office series itself peaked a decade earlier, as chapter 5 shows."),
}
# The book chapter (notebook) that shows each register chapter's evidence.
CHAPTER_PAGES = {"0": "01-trust-and-confidence", "1": "02-neighbourhood-policing", "2": "03-procedural-justice",
                 "3": "04-contact-with-victims", "4": "05-contact-with-suspects", "5": "06-police-wrongdoing",
                 "6": "07-what-else-matters"}
# Register rows no chapter shows, with the reason (the appendix lists them).
NOT_USED = {
    **dict.fromkeys(("E144", "E145"), "Essex's own survey on stop and search: the source contradicts itself on the "
                    "direction of change (it reports a fall, but writes 75% for 2017/18 against 83% for 2018/19), so "
                    "neither year's figure can be relied on."),
}
# Parts of the guide's messages for which this book found no readable study: register chapter -> the part. Each
# chapter says so in its text, in these words, and the appendix lists them.
NO_STUDY = "this book found no readable study for this message"
NO_EVIDENCE = dict(_GUIDE["no_study"])
# Figures the chapters quote from the register, by register chapter: key -> (row, column, label).
# The column is "estimate" (or its interval's "ci_low", "ci_high"), or "n" where the text quotes a study's size.
QUOTED = {
    "0": {"ev_glos": ("E139", "estimate", "Confidence in the police, Gloucestershire, CSEW force-level estimate (year "
                                          "not stated), as reported"),
          "ev_glos_low": ("E139", "ci_low", "Lower end of the 95% interval of the Gloucestershire estimate (year not "
                                            "stated)"),
          "ev_glos_high": ("E139", "ci_high", "Upper end of the 95% interval of the Gloucestershire estimate (year "
                                              "not stated)"),
          "ev_glos_msg": ("E140", "estimate", "Confidence in the police, Gloucestershire's most similar group "
                                              "average, CSEW (year not stated), as reported"),
          "ev_glos_msg_low": ("E140", "ci_low", "Lower end of the 95% interval of Gloucestershire's most similar "
                                                "group average (year not stated)"),
          "ev_glos_msg_high": ("E140", "ci_high", "Upper end of the 95% interval of Gloucestershire's most similar "
                                                 "group average (year not stated)"),
          "ev_met_2004": ("E201", "estimate", "Metropolitan Police rated good or excellent, BCS 2003/04"),
          "ev_met_2004_margin_low": ("E201", "ci_low", "Lower end of the stated ±2 points around the Met's 2003/04 "
                                                       "rating"),
          "ev_met_2004_margin_high": ("E201", "ci_high", "Upper end of the stated ±2 points around the Met's 2003/04 "
                                                         "rating"),
          "ev_met_msg_2004": ("E202", "estimate", "Met's most similar forces rated good or excellent, BCS 2003/04"),
          "ev_essex_own": ("E141", "estimate", "Essex Police rated good or excellent in its own survey, 2018/19"),
          "ev_essex_csew": ("E142", "estimate", "Essex Police rated good or excellent by Essex respondents to the CSEW "
                                                "(as the force reported it, 2019)")},
    "1": {"ev_pop_reduction": ("E146", "estimate", "Relative reduction in crime and disorder with problem-oriented "
                               "policing, against control areas or groups (Hinkle et al. 2020, as summarised by the "
                               "College of Policing, 2020)"),
          "ev_pop_uk": ("E148", "estimate", "Studies from the UK in the 2020 review of problem-oriented policing"),
          "ev_pop_first_review": ("E150", "n", "Rigorous evaluations found by the first Campbell review of "
                                  "problem-oriented policing (2008)"),
          "ev_pas_interviews": ("E198", "n", "Interviews a year in MOPAC's Public Attitude Survey across London"),
          "ev_pas_borough": ("E199", "n", "Interviews per London borough in any rolling 12 months of the Public "
                                          "Attitude Survey")},
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
                               "conditional out-of-court disposal (Turning Point trial, 2014)"),
          "ev_sat_peak_ons": ("E020", "estimate", "Incidents where the victim was satisfied with the police, 2013/14, "
                                                  "in ONS's 2015 report"),
          "ev_sat_peak_2025": ("E100", "estimate", "Victim satisfaction in 2013/14 as given in the 2025 reporting")},
    "4": {"ev_nfa_2020": ("E116", "estimate", "Searches ending with no further action, year ending March 2020"),
          "ev_qcet_operations": ("E175", "n", "Random breath-test operations randomised in the Queensland Community "
                                              "Engagement Trial"),
          "ev_qcet_ratio": ("E176", "estimate", "Likelihood of drivers saying the stop changed their views on drink "
                                                "driving, scripted against usual stops (QCET)"),
          "ev_qcet_stops": ("E177", "n", "Breath-test stops covered by the trial's operations (approximate)"),
          "ev_bwv_cameras": ("E178", "n", "Metropolitan Police officers in teams given body-worn cameras (2015 trial)"),
          "ev_bwv_control": ("E179", "n", "Metropolitan Police officers in teams not given cameras (2015 trial)"),
          "ev_bwv_accountability": ("E180", "estimate", "Londoners asked who agreed cameras improve police "
                                                        "accountability (2015)")},
    "5": {"reg_e117": ("E117", "estimate", "Complaint cases logged by police forces, 2023/24"),
          "reg_e118": ("E118", "estimate", "Allegations logged by police forces, 2023/24"),
          "reg_e121": ("E121", "estimate", "Allegations about the delivery of duties and service, 2023/24"),
          "reg_e128": ("E128", "estimate", "Met staff and officers with protected characteristics who had experienced "
                                           "bullying (Casey review, 2023)"),
          "reg_e130": ("E130", "estimate", "Excess likelihood of a misconduct case, Black against White Met officers "
                                           "and staff (Casey review, 2022)"),
          "ev_misconduct_2024": ("E181", "estimate", "Officers and staff referred to formal misconduct proceedings, "
                                                     "cases finalised in the year ending March 2024"),
          "ev_misconduct_2023": ("E184", "estimate", "Officers and staff referred to formal misconduct proceedings, "
                                                     "cases finalised in the year ending March 2023"),
          "ev_misconduct_rise": ("E183", "estimate", "Rise in referrals to misconduct proceedings, year ending March "
                                                     "2024 against 2023"),
          "ev_gross_proven": ("E185", "estimate", "Officers referred to a misconduct hearing with gross misconduct "
                                                  "found proven, year ending March 2023"),
          "ev_complaints_2025": ("E186", "estimate", "Complaint cases logged by police forces, 2024/25"),
          "ev_complaints_2021": ("E187", "estimate", "Complaint cases logged by police forces, 2020/21"),
          "ev_schedule3": ("E188", "estimate", "Complaints formally recorded under Schedule 3, 2024/25"),
          "ev_schedule3_days": ("E189", "estimate", "Average days to finalise a complaint under Schedule 3, 2024/25"),
          "ev_good_job_before": ("E190", "estimate", "Britons saying the police are doing a good job, 1 March 2021 "
                                                     "(YouGov)"),
          "ev_good_job_after": ("E191", "estimate", "Britons saying the police are doing a good job, 16-17 March "
                                                    "2021 (YouGov)"),
          "ev_local_before": ("E192", "estimate", "Confidence in the police to deal with crime locally, late "
                                                  "February to early March 2021 (YouGov)"),
          "ev_local_after": ("E193", "estimate", "Confidence in the police to deal with crime locally, October 2021 "
                                                 "(YouGov)"),
          "ev_trust_met": ("E194", "estimate", "British adults who trust the Metropolitan Police, October 2021 "
                                               "(YouGov)"),
          "ev_trust_police": ("E195", "estimate", "British adults who trust the police in general, October 2021 "
                                                  "(YouGov)"),
          "ev_event_studies": ("E196", "n", "Natural-experiment studies in Nägel and Nivette's review (2023)")},
    "6": {"ev_bcs_sweeps": ("E200", "n", "British Crime Survey sweeps combined by Jackson and colleagues (2009)")},
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
        unit = ((evidence_tables.estimate_unit(row) if column != "n" else None)
                or evidence_tables.sample_noun(row).strip() or "number")
        figures.append(Figure(key, float(value), unit, [REGISTER_FILE],
                              f"{{:,.{evidence_tables.published_decimals(value)}f}}", label))
    rows = register.loc[[row_id for row_id, _, _ in wanted.values()]].reset_index()
    return Section(rows, None, figures)


def _listed(messages) -> list[str]:
    """Every register row named in (message, findings) pairs."""
    return [i for _, findings in messages for f in findings for i in _as_tuple(f)]


@cache.in_memory
def table(chapter_prefix: str, caveats: tuple[tuple[str, str], ...] = ()) -> pd.DataFrame:
    """A chapter's cited evidence, one row per finding under the guide's messages: the register chapter's rows and
    any rows its messages name from other chapters, less those not used; `caveats` ((row id, text) pairs, hashable
    for the cache) add to CAVEATS."""
    register = load_register()
    register = register[~register["id"].isin(NOT_USED)]
    return evidence_tables.table(register, MESSAGES, chapter_prefix=chapter_prefix,
                                 ids=_listed(MESSAGES.get(chapter_prefix, ())), caveats={**CAVEATS, **dict(caveats)})


def section(chapter_prefix: str, caveats: tuple[tuple[str, str], ...] = ()) -> Section:
    """A chapter's evidence as readers see it (one table per message), with the register figures its text quotes;
    `caveats` are notes the chapter computes (a review it re-pools, say) beside a finding's figures."""
    figures = quoted(chapter_prefix).figures if chapter_prefix in QUOTED else []
    return Section(evidence_tables.styled(table(chapter_prefix, caveats)), None, figures)


def _names(force: forces.Force) -> re.Pattern:
    """The force's short name and aliases as whole words ("North Wales", "Met")."""
    aliases = forces.registry().set_index("pfa_code").at[force.code, "aliases"]
    names = [force.short_name, *filter(None, aliases.split(";"))]
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")


def force_rows(force: str) -> Section:
    """The published force-level survey estimates the register holds for one force (a finding whose measures name
    it), as one evidence table, or a note that it holds none."""
    f = forces.resolve(force)
    register = load_register().set_index("id", drop=False)
    named = _names(f)
    mine = [g for g in FORCE_LEVEL[1] if any(named.search(str(register.at[i, "measure"])) for i in _as_tuple(g))]
    if not mine:
        return Section(None, note=f"The evidence register holds no published force-level survey estimate for "
                                  f"{f.name}.")
    messages = {"": ((f"Published force-level survey estimates for {f.name}", mine),)}
    tab = evidence_tables.table(register, messages, ids=_listed(messages[""]), caveats=CAVEATS)
    return Section(evidence_tables.styled(tab), None, [], note=(
        f"Estimates for {f.name} as the force or a report quoted them, not recomputed: a survey's force-level "
        "sample is small, so its interval is wide where one is given."))


def _place(countries: pd.Series) -> str:
    """A map mark's place: the UK, elsewhere, or not stated where the register gives no country for the study."""
    if (countries == "UK").all():
        return "UK"
    return "Country not stated" if (countries == "not stated").all() else "Elsewhere"


def map_frame() -> pd.DataFrame:
    """One row per study (finding) and outcome on the evidence-and-gap map, with its grade, direction and place."""
    register = load_register().set_index("id", drop=False)
    out = []
    for action, chapter, findings in MAP_ROWS:
        for finding in findings:
            rows = register.loc[list(_as_tuple(finding))]
            rows = rows[rows["outcome_domain"].isin(evidence_map.OUTCOMES)]
            for domain, cell in rows.groupby("outcome_domain", sort=False):
                # The cell's direction is that of the finding's headline row on this outcome (its first).
                head = cell.iloc[0]
                way = evidence_strength.direction(head["significant"], head["id"] in AGAINST)
                out.append({"action": action, "chapter": chapter, "outcome": evidence_map.OUTCOMES[domain],
                            "study": evidence_tables.short_citation(cell["study"].iloc[0]),
                            "grade": evidence_strength.grade(cell["design_class"].iloc[0]), "direction": way,
                            "place": _place(cell["country"]), "row": head["id"]})
    frame = pd.DataFrame(out)
    frame["offset"] = frame.groupby(["action", "outcome"], sort=False).cumcount()
    return frame


def _unmapped(actions: list[str]) -> dict[str, list[str]]:
    """Each action's studies that are not drawn because their figures cover several outcomes together (outcome
    "other"), so a gap line does not read as if no study had looked."""
    register = load_register().set_index("id", drop=False)
    found = {}
    for action, _, findings in MAP_ROWS:
        if action in actions:
            rows = [register.loc[list(_as_tuple(f))] for f in findings]
            found[action] = [evidence_tables.short_citation(r["study"].iloc[0]) for r in rows
                             if (r["outcome_domain"] == "other").any()]
    return found


@national_by_key
def map_section(chapter_prefix: str | None = None) -> Section:
    """The evidence-and-gap map (the guide's actions in one chapter, or all of them), with its gaps in words."""
    frame = map_frame()
    actions = [a for a, c, _ in MAP_ROWS if chapter_prefix in (None, c)]
    frame = frame[frame["action"].isin(actions)]
    part = "the guide's actions" if chapter_prefix is None else "this chapter's actions"
    lines = evidence_map.gaps(frame, actions, _unmapped(actions))
    if frame.empty:  # an empty grid says nothing the gaps do not: they are given in words alone
        return Section(None, None, [], note="No study this book could read on these actions measured any of the "
                                            "map's outcomes, so no map is drawn:\n\n"
                                            + "\n".join(f"- {x}" for x in lines))
    chart = evidence_map.chart(frame, actions, name=f"evidence-map-{chapter_prefix or 'all'}",
                               title=f"What has been tested for {part}, and what it found",
                               source="This book's evidence register (v4); grades from each study's design, outcome and "
                                      "significance")
    note = ("Each mark is one study (a review counts once) and one outcome: larger for a stronger design; green "
            "where a significant effect ran the way the action intends, grey where there was no significant effect, "
            "vermilion where a significant effect ran against it, light blue where the source gives a direction "
            "(either way) but no test of it; squares are UK studies, triangles those whose country is not given in "
            "what this book could read. Empty cells are gaps:\n\n" + "\n".join(f"- {x}" for x in lines))
    return Section(None, chart, [], note=note)
