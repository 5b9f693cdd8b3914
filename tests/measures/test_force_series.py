"""The table of every force's measure series: its schema, a break wherever the basis changes and nowhere else, the
same figures as the measures table for the periods both hold, and the force sections drawing its rows."""

from __future__ import annotations

import pandas as pd
import pandera.errors
import pytest

from analysis.chapters import c02_neighbourhood_policing as c02
from analysis.chapters import c03_procedural_justice as c03
from analysis.chapters import c05_contact_with_suspects as c05
from analysis.chapters import c06_police_wrongdoing as c06
from analysis.chapters import c07_what_else_matters as c07
from analysis.measures import force_measures as fm
from analysis.measures import force_series as fs
from analysis.measures import search_ratios
from analysis.sources import forces

KENT = "E23000032"
EW = forces.ENGLAND_AND_WALES


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return fs.all_series()


def test_the_table_passes_its_schema_with_every_area_once_a_period(table):
    assert list(table.columns) == fs.COLUMNS + fs.EXTRA
    fs.SCHEMA.validate(table)
    assert set(table["force_code"]) == forces.force_codes() | {EW}
    sizes = table.groupby(["measure_id", "period"]).size()
    # Deaths have no England and Wales row: a death two forces shared is counted against each.
    assert (sizes.drop(index="deaths_count") == 44).all() and (sizes["deaths_count"] == 43).all()
    assert set(table["measure_id"]) <= set(fs.MEASURES) and set(fm.MEASURES) <= set(fs.MEASURES)
    # Missing is missing: Dyfed-Powys had too few searches of Black people in 2007/08, so no ratio, and why.
    dyfed = table[(table["force"] == "Dyfed-Powys Police") & (table["measure_id"] == "bw_search_ratio")
                  & (table["period"] == "2007/08")].iloc[0]
    assert pd.isna(dyfed["value"]) and dyfed["reason"] == c03.disproportionality.TOO_FEW


def test_the_schema_refuses_a_duplicated_row_a_made_up_reason_and_an_unknown_column(table):
    with pytest.raises(pandera.errors.SchemaError):
        fs.SCHEMA.validate(pd.concat([table, table.head(1)], ignore_index=True))
    bad = table.copy()
    bad.loc[bad["value"].isna().idxmax(), "reason"] = "it felt low"
    with pytest.raises(pandera.errors.SchemaError):
        fs.SCHEMA.validate(bad)
    with pytest.raises(pandera.errors.SchemaErrors):  # strict: a column beyond the table's is refused
        fs.SCHEMA.validate(table.assign(rank=1))


def test_a_break_is_marked_where_the_basis_changes_and_nowhere_else(table):
    ratios = table[table["measure_id"] == "bw_search_ratio"]
    # Every area's first period on Census 2021 (2022/23, from published rates) breaks with 2018/19 on interpolated
    # residents; the open data's years, one series, never break.
    assert ratios.loc[ratios["series_break"], "period"].unique().tolist() == ["2022/23"]
    assert ratios["series_break"].sum() == 44
    assert (ratios.loc[ratios["series_break"], "series"] == fs.CENSUS_2021).all()
    assert not table.loc[table["measure_id"] == "searches_per_1000", "series_break"].any()
    # Officers: the Home Office's counts on each year's residents, then a third party's 2026 figure on mid-2024's.
    officers = table[table["measure_id"] == "officers_per_100k"]
    assert officers.loc[officers["series_break"], "period"].unique().tolist() == ["31 March 2026"]
    assert (officers.loc[officers["series_break"], "grade"] == "third-party extract").all()
    # Every period carries the count it is of, the extract's too: the measures table's count of officers that date.
    assert officers["events"].notna().all()
    counts = fm.all_forces().query("measure_id == 'officers_fte' and period == '31 March 2026'").set_index(
        "force_code")["value"]
    newest = officers[officers["series_break"] & (officers["force_code"] != EW)].set_index("force_code")["events"]
    assert newest.to_dict() == pytest.approx(counts.reindex(newest.index).to_dict())
    assert not table.loc[table["measure_id"].isin(["pcsos_per_100k", "officers_and_pcsos_per_100k"]),
                         "series_break"].any()
    made = pd.DataFrame({"force_code": [KENT] * 3 + [EW], "measure_id": "m", "series": ["a", "a", "b", "b"],
                         "period_end": ["2020-03-31", "2021-03-31", "2022-03-31", "2020-03-31"]})
    assert fs.breaks(made.iloc[::-1]).tolist() == [False, True, False, False]  # an area's first period never breaks


def test_hollow_years_are_the_years_the_chapter_flags(table):
    ratios = table[(table["measure_id"] == "bw_search_ratio") & (table["series"] == fs.INTERPOLATED)]
    black = search_ratios.rate_ratio_table()
    black = black[(black["group"] == "Black") & black["pfa_code"].isin(forces.force_codes() | {EW})]
    expected = black.assign(hollow=search_ratios.hollow(black)).set_index(["pfa_code", "year_ending"])["hollow"]
    got = ratios.set_index(["force_code", "year_ending"])["hollow"]
    assert got.sort_index().equals(expected.sort_index().astype(bool))
    assert got.any() and not got.all()


def _shared(table: pd.DataFrame) -> list[tuple[str, str]]:
    """Every measure and period both the series and the measures table hold."""
    measures = fm.all_forces()
    return sorted(set(zip(table["measure_id"], table["period"])) & set(zip(measures["measure_id"], measures["period"])))


def test_the_series_holds_the_measures_table_s_newest_periods(table):
    shared = _shared(table)
    # Issue 35: the trend series run to the table's newest periods (2024/25 searches and Black/White ratio).
    for measure_id, period in [("bw_search_ratio", "2024/25"), ("searches_per_1000", "2024/25"),
                               ("bw_search_ratio", "2022/23"), ("bw_search_ratio", "2018/19"),
                               ("searches_per_1000", "2018/19"), ("officers_per_100k", "31 March 2026")]:
        assert (measure_id, period) in shared
    measures = fm.all_forces()
    for measure_id in set(table["measure_id"]) & set(measures["measure_id"]):
        newest = measures.loc[measures["measure_id"] == measure_id, "period_end"].max()
        assert table.loc[table["measure_id"] == measure_id, "period_end"].max() == newest, measure_id


def test_the_series_agrees_with_the_measures_table_for_every_force_and_shared_period(table):
    """Every force's figure in every measure and period both tables hold is the same number (missing where the table
    gives none), England and Wales's is the table's comparator, and grade and datasets are the table's."""
    measures = fm.all_forces().set_index(["measure_id", "period", "force_code"]).sort_index()
    compared = 0
    for measure_id, period in _shared(table):
        series = table[(table["measure_id"] == measure_id) & (table["period"] == period)].set_index("force_code")
        theirs = measures.loc[(measure_id, period)]
        mine = series.drop(index=EW).reindex(theirs.index)
        assert mine["value"].isna().equals(theirs["value"].isna()), (measure_id, period)
        assert mine["value"].to_numpy() == pytest.approx(theirs["value"].to_numpy(), rel=1e-12, nan_ok=True), (
            measure_id, period)
        national = theirs["england_and_wales"].iloc[0]
        assert series.at[EW, "value"] == pytest.approx(national, rel=1e-12, nan_ok=True), (measure_id, period)
        assert (mine["grade"] == theirs["grade"]).all() and (mine["datasets"] == theirs["datasets"]).all()
        compared += len(theirs)
    assert compared >= 43 * 8


def test_the_newest_periods_are_one_series_with_the_periods_before_and_say_why_a_figure_is_missing(table):
    ratios = table[(table["measure_id"] == "bw_search_ratio") & (table["period"] == "2024/25")].set_index("force_code")
    # On Census 2021 residents, as 2022/23: no break between them; a break before 2022/23 only.
    assert (ratios["series"] == fs.CENSUS_2021).all() and not ratios["series_break"].any()
    assert ratios["grade"].eq("third-party extract").all()
    city = ratios.loc[forces.CITY_OF_LONDON]
    assert pd.isna(city["value"]) and city["reason"] == fm.CITY
    kent = ratios.loc[KENT]
    assert kent["ci_low"] < kent["value"] < kent["ci_high"] and kent["black_events"] > 0
    # England and Wales: the 43 forces' counts, with its own interval around the table's figure.
    ew = ratios.loc[EW]
    assert ew["black_events"] == ratios.drop(index=EW)["black_events"].sum()
    assert ew["ci_low"] < ew["value"] < ew["ci_high"]
    searches = table[(table["measure_id"] == "searches_per_1000") & (table["period"] == "2024/25")].set_index(
        "force_code")
    # The same Home Office series as the open data's years (data/measures.yml): on the residents of each year.
    assert (searches["series"] == fs.EACH_YEAR).all() and not searches["series_break"].any()
    assert searches["value"].to_numpy() == pytest.approx(1000 * searches["events"] / searches["denominator"])
    assert searches.at[EW, "events"] == searches.drop(index=EW)["events"].sum()


def test_a_run_ends_at_a_break_and_at_a_missing_year_and_nowhere_else():
    made = pd.DataFrame({"force_code": [KENT] * 5 + [EW] * 2, "measure_id": "m",
                         "year_ending": [2017, 2018, 2019, 2023, 2024, 2018, 2019],
                         "series_break": [False, False, False, False, True, False, False]})
    made["period_end"] = made["year_ending"].astype(str) + "-03-31"
    got = fs.runs(made.iloc[::-1]).sort_index()
    assert got.tolist() == [f"{KENT}:0", f"{KENT}:0", f"{KENT}:0", f"{KENT}:1", f"{KENT}:2", f"{EW}:0", f"{EW}:0"]


def _drawn(chart) -> pd.DataFrame:
    """The data a force section's chart draws (its dataset naming areas)."""
    spec = chart.to_dict()
    return pd.DataFrame(next(d for d in spec["datasets"].values() if d and "pfa_code" in d[0]))


def _joined(drawn: pd.DataFrame, year: str) -> pd.Series:
    """Each segment's years, of a chart's drawn rows."""
    return drawn.groupby("segment")[year].apply(list)


def test_the_black_white_chart_and_table_are_the_series_rows(table):
    section = c03.force_section("kent")
    drawn = _drawn(section.chart).sort_values(["pfa_code", "year_ending"], kind="stable").reset_index(drop=True)
    rows = table[(table["measure_id"] == "bw_search_ratio") & table["force_code"].isin([KENT, EW])
                 & table["value"].notna()].reset_index(drop=True)
    # Every period with a ratio, to 2024/25, on both bases.
    assert drawn["pfa_code"].tolist() == rows["force_code"].tolist()
    assert drawn["year_ending"].tolist() == rows["year_ending"].tolist()
    assert drawn["year_ending"].max() == 2025
    assert drawn["value"].tolist() == pytest.approx(rows["value"].tolist())
    assert drawn["ci_low"].tolist() == pytest.approx(rows["ci_low"].tolist())
    assert drawn["flagged"].tolist() == rows["hollow"].tolist()
    # Never joined across the break, the missing years, or a hollow year; each segment one series, years in a row.
    series = rows.set_index(["force_code", "year_ending"])["series"]
    for (segment, years), code in zip(_joined(drawn, "year_ending").items(),
                                      drawn.groupby("segment")["pfa_code"].first()):
        assert len({series[(code, y)] for y in years}) == 1, segment
        assert years == list(range(years[0], years[0] + len(years))), segment
    for year in (2023, 2025):
        alone = drawn[(drawn["pfa_code"] == KENT) & (drawn["year_ending"] == year)]["segment"].iloc[0]
        assert (drawn["segment"] == alone).sum() == 1
    # The break is marked where the Census 2021 years begin.
    spec = section.chart.to_dict()
    marks = [d for d in spec["datasets"].values() if d and "label" in d[0]]
    assert marks and marks[0][0]["label"] == "Census 2021 from 2022/23" and 2019 < marks[0][0]["year_ending"] < 2023
    kent = table[(table["measure_id"] == "bw_search_ratio") & (table["force_code"] == KENT)]
    assert section.table.frame["Year"].tolist() == kent["period"].tolist()
    shown = section.table.frame.set_index("Year")
    assert shown.at["2024/25", "Built from"] == c03.BUILT_FROM[fs.force_indicators.INDICATORS_FILE]
    assert shown.at["2022/23", "Built from"] == c03.BUILT_FROM[c03.sr.DATASETS[0]]
    assert shown.at["2024/25", "Black/White ratio"] == f"{kent['value'].iloc[-1]:.1f}"
    assert shown.at["2024/25", "Searches of Black people"] == f"{kent['black_events'].iloc[-1]:,.0f}"


def test_the_search_rate_chart_is_the_series_rows(table):
    section = c05.force_section("kent")
    drawn = _drawn(section.chart).sort_values(["pfa_code", "year"], kind="stable")
    rows = table[(table["measure_id"] == "searches_per_1000") & table["force_code"].isin([KENT, EW])]
    assert drawn["pfa_code"].tolist() == rows["force_code"].tolist()
    assert drawn["year"].tolist() == rows["year_ending"].tolist()
    assert drawn["value"].tolist() == pytest.approx(rows["value"].tolist())
    # To 2024/25, a point of its own: one series, but no line across the years with no figure.
    assert drawn["year"].max() == 2025
    for years in _joined(drawn, "year"):
        assert years == list(range(years[0], years[0] + len(years)))
    assert _joined(drawn, "year").map(len).sort_values().tolist()[:2] == [1, 1]
    assert "no figures for 2019/20 to 2023/24" in " ".join(section.chart.to_dict()["title"]["subtitle"])


def test_the_workforce_chart_and_table_are_the_series_rows_and_the_comparable_forces_median(table):
    peers = c02.comparable.comparable_to(KENT)
    section = c02.force_section("kent")
    drawn = _drawn(section.chart)
    rows = table[table["measure_id"] == c02.STAFF_MEASURE]
    joint = drawn[(drawn["year"] <= rows["year_ending"].max()) & ~drawn["flagged"]]
    for code in (KENT, EW):
        mine = joint[joint["pfa_code"] == code].sort_values("year", kind="stable")
        theirs = rows[rows["force_code"] == code]
        assert mine["year"].tolist() == theirs["year_ending"].tolist()
        assert mine["value"].tolist() == pytest.approx(theirs["value"].tolist())
    # The comparable forces as their median each year, which no one unusual force drives (review 6, R9).
    median = joint[joint["series"] == c02.PEERS_MEDIAN].set_index("year")["value"]
    newest = rows[rows["force_code"].isin(peers) & (rows["year_ending"] == rows["year_ending"].max())]
    assert median[newest["year_ending"].iloc[0]] == pytest.approx(newest["value"].median())
    shown = section.table.frame.set_index("Area")
    latest = f"31 March {rows['year_ending'].max()}"
    assert shown.at["Kent Police", latest] == f"{rows.loc[rows['force_code'] == KENT, 'value'].iloc[-1]:.0f}"


@pytest.mark.parametrize("force", ["kent", "city-of-london"])
def test_the_workforce_chart_reaches_the_newest_officers_period_apart_from_the_earlier_run(table, force):
    """Review N10: after the last date the workforce data count PCSOs, officers alone at each newer date of the
    series (another source), drawn apart, the break marked with its grade, in the table, and said."""
    f = forces.resolve(force)
    section = c02.force_section(force)
    drawn = _drawn(section.chart)
    staff = table[table["measure_id"] == c02.STAFF_MEASURE]
    officers = table[table["measure_id"] == c02.OFFICERS_MEASURE]
    newer = officers[officers["period_end"] > staff["period_end"].max()]
    last_joint, newest = int(staff["year_ending"].max()), int(officers["year_ending"].max())
    assert len(newer) and newest > last_joint
    for code in (f.code, EW):
        mine = drawn[drawn["pfa_code"] == code]
        assert mine["year"].max() == newest
        late = mine[mine["year"] > last_joint].sort_values("year", kind="stable")
        theirs = newer[newer["force_code"] == code]
        assert late["year"].tolist() == theirs["year_ending"].tolist()
        assert late["value"].tolist() == pytest.approx(theirs["value"].tolist())
        # Apart: no segment joins a newer date to the run before the break.
        assert set(late["segment"]).isdisjoint(mine.loc[mine["year"] <= last_joint, "segment"])
    spec = section.chart.to_dict()
    # Each area named at its newest point, with its value: a name at the end of the earlier line would run over the
    # newer point, and a name alone there read as a legend (review 9, T2).
    labels = [d for d in spec["datasets"].values() if d and "label_y" in d[0]]
    names = [row for row in labels[0] if row["label"].startswith(row["series"] + " ")]
    assert names and {row["year"] for row in names} == {newest}
    # Officers alone hollow, at the workforce data's last date too, unlabelled there: the like for like (T2).
    then = officers[officers["period_end"] == staff["period_end"].max()].set_index("force_code")["value"]
    hollow = drawn[drawn["flagged"]]
    assert set(hollow["year"]) == {last_joint, *newer["year_ending"]} and last_joint not in {r["year"] for r in labels[0]}
    assert not drawn.loc[~drawn["flagged"], "year"].gt(last_joint).any()
    for code in (f.code, EW):
        assert hollow.loc[(hollow["pfa_code"] == code) & (hollow["year"] == last_joint), "value"].tolist() == \
            pytest.approx([then[code]])
    # The break is a rule between the runs, unlabelled (a label ran over the lines on a phone); the subtitle names
    # what follows it, with its grade.
    marks = [d for d in spec["datasets"].values() if d and d[0].get("label") == ""]
    grade = newer["grade"].iloc[0]
    assert marks and last_joint < marks[0][0]["year"] < newest
    assert f"police officers alone at {newer['period'].iloc[0]} ({grade})" in " ".join(spec["title"]["subtitle"])
    shown = section.table.frame.set_index("Area")
    column = f"Officers alone, {newer['period'].iloc[0]} ({grade})"
    mine = newer.set_index("force_code")["value"]
    assert shown.at[f.name, column] == f"{mine[f.code]:,.0f}"
    assert shown.at["England and Wales", column] == f"{mine[EW]:,.0f}"
    said = f"PCSOs have no figure after 31 March {last_joint} in this book's data"
    assert said in section.note and said in spec["description"]


def test_the_deaths_chart_is_the_series_rows_counts_with_exact_intervals(table):
    drawn = _drawn_rows(c06.force_section("kent").chart)
    rows = table[(table["measure_id"] == "deaths_count") & (table["force_code"] == KENT)]
    assert drawn["year"].tolist() == rows["year_ending"].tolist()
    assert drawn["value"].tolist() == rows["value"].tolist()
    # A year with no death is a zero the source gives (IOPC lists the forces with one), its interval 0 to 3.7.
    zero = table[(table["measure_id"] == "deaths_count") & (table["value"] == 0)].iloc[0]
    assert zero["ci_low"] == 0 and zero["ci_high"] == pytest.approx(3.689, abs=1e-3)


def _drawn_rows(chart) -> pd.DataFrame:
    """The largest dataset of a chart whose series are not areas (no pfa_code): its lines' points."""
    spec = chart.to_dict()
    return pd.DataFrame(max((d for d in spec["datasets"].values() if d and "value" in d[0]), key=len))


def test_the_crime_chart_is_the_series_rows_and_london_s_forces_share_london_s_asb(table):
    peers = c07.comparable.comparable_to(KENT)
    drawn = _drawn(c07.force_section("kent").chart).set_index("pfa_code")["value"]
    crime = table[table["measure_id"] == "recorded_crime_per_1000"].set_index("force_code")["value"]
    assert list(drawn.index) == [KENT, EW, *peers]
    assert drawn.tolist() == pytest.approx(crime[[KENT, EW, *peers]].tolist())
    asb = table[(table["measure_id"] == "asb_experience_pct") & (table["period"] == "2018/19")].set_index(
        "force_code")
    met, city = asb.loc[forces.METROPOLITAN], asb.loc[forces.CITY_OF_LONDON]
    assert met["value"] == city["value"] and met["area"] == city["area"] and met["area"].startswith("London")
    assert pd.isna(asb.at[KENT, "area"]) or asb.at[KENT, "area"] is None
    # The Met's verdict is the measures table's (London's), given to the City beside London's name.
    measures = fm.all_forces().set_index(["force_code", "measure_id", "period"])
    assert met["vs_england_and_wales"] == measures.at[(forces.METROPOLITAN, "asb_experience_pct", "2018/19"),
                                                      "vs_england_and_wales"]
