"""Questions to put to a force's chief officer: one per guide area, by the written rules of data/guide_questions.yml,
each resting on a figure named with its period; addressed by whoever oversees the force."""

from __future__ import annotations

import pytest
import yaml

from analysis import config
from analysis.chapters import key_points, questions
from analysis.chapters import guide_and_force as guide
from analysis.measures import force_measures as fm
from analysis.methods import funnel
from analysis.present.numbers import fmt_interval, fmt_number
from analysis.sources import forces


@pytest.mark.parametrize("force", ["kent", "metropolitan-police", "city-of-london", "south-wales", "lancashire",
                                   "north-yorkshire"])
def test_each_area_asks_one_question_resting_on_a_figure_with_its_period(force):
    f = forces.resolve(force)
    asked = questions.questions(f)
    assert list(asked["area"]) == [a[0] for a in guide.AREAS]
    for _, row in asked.iterrows():
        assert row["question"].endswith("?")
        if row["figure"]:
            assert any(p in row["figure"] for p in (" in 20", " at 31 March ")), row["figure"]
        else:
            assert "no figure by force" in row["question"].lower() or "not in any data" in row["question"]


def test_kent_s_pcso_fall_is_put_beside_the_guide_s_advice_on_visible_presence():
    asked = questions.questions(forces.resolve("kent")).set_index("area").loc["Neighbourhood policing"]
    assert asked["figure"] == (f"PCSOs (full-time equivalent): 136 at 31 March 2023 ({key_points.OLD}), down from 287 at "
                               "31 March 2022")
    assert asked["question"] == "How is visible presence in hot spots and places with low trust being kept up?"
    assert asked["advice"].startswith("A visible presence")


def test_deaths_above_the_limit_ask_what_was_learned_and_within_it_how_it_is_told():
    # Around the median force (issue 35), Greater Manchester's deaths are above the 95% limit; South Wales's, above
    # it around England and Wales's pooled rate, are within it (at 4.3 per million a year, on its edge).
    asked = questions.questions(forces.resolve("greater-manchester")).set_index("area").loc["Tackling wrongdoing"]
    assert "above the 95% (not the 99.8%) limit around the median force" in asked["figure"]
    assert asked["question"].startswith("What has")
    asked = questions.questions(forces.resolve("south-wales")).set_index("area").loc["Tackling wrongdoing"]
    assert "limit" not in asked["figure"] and asked["question"].startswith("How does the force tell")


@pytest.mark.parametrize("force, who, chief", [
    ("metropolitan-police", "the Mayor's Office for Policing and Crime (MOPAC)", "Commissioner"),
    ("city-of-london", "the City of London Police Authority Board", "Commissioner"),
    ("kent", "the Police and Crime Commissioner", "chief constable")])
def test_the_questions_are_put_by_whoever_oversees_the_force(force, who, chief):
    f = forces.resolve(force)
    intro = questions.section(f).figures[0].value
    assert intro.startswith(f"Questions {who} could put to {f.name}'s {chief}:")
    assert ("Police and Crime Commissioner" in intro) == (force == "kent")


def test_a_rule_file_that_does_not_say_what_the_rules_need_is_refused_naming_area_and_rule(tmp_path, monkeypatch):
    spec = yaml.safe_load(config.QUESTIONS_PATH.read_text(encoding="utf-8"))
    spec["areas"]["Contact with suspects"]["rules"][0]["change"] = "sideways"
    bad = tmp_path / "guide_questions.yml"
    bad.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(config, "QUESTIONS_PATH", bad)
    with pytest.raises(questions.QuestionsError, match=r"area 'Contact with suspects', rule 1"):
        questions._load()


def test_a_question_on_a_figure_with_no_verdict_says_why_and_wrongdoing_rests_on_the_newest_reviews():
    """The City's 1 of 3 IOPC reviews is too few to place: its question says so; the reviews (2024/25), not the
    deaths (to 2019/20), carry the wrongdoing question where neither is beyond its limits."""
    city = questions.questions(forces.resolve("city-of-london")).set_index("area").loc["Tackling wrongdoing"]
    assert city["figure"].startswith("IOPC reviews of complaint outcomes upheld") and "too few to place" in city["figure"]
    kent = questions.questions(forces.resolve("kent")).set_index("area").loc["Tackling wrongdoing"]
    assert kent["figure"].startswith("IOPC reviews of complaint outcomes upheld: 18.6% in 2024/25")


def test_a_count_of_every_search_that_moved_a_long_way_asks_about_the_move_the_city_s_by_its_counts():
    """Review 4: Kent's searches more than doubled (not significant once the forces' spread is allowed for, but a move
    of a count of every search) and ask what drove the rise; the City's contact-with-suspects question rests on its
    searches read by their counts (its rate per resident says little), as its key point does, never "no figure by
    force bears on this area"."""
    kent = questions.questions(forces.resolve("kent")).set_index("area").loc["Contact with suspects"]
    assert kent["figure"].startswith("Stop and searches per 1,000 residents: 8.0 in 2024/25")
    assert "up from 3.4 in 2018/19" in kent["figure"] and kent["question"].startswith("What drove the rise")
    city = questions.questions(forces.resolve("city-of-london")).set_index("area").loc["Contact with suspects"]
    assert city["figure"].startswith("Searches (a count of every one): 2,348 in 2024/25")
    assert "up from 1,538 in 2018/19" in city["figure"] and key_points.BY_COUNT[fm.CITY] in city["figure"]
    assert city["question"].startswith("What drove the rise") and "per 1,000" not in city["figure"]


@pytest.mark.parametrize("force", ["metropolitan-police", "lancashire", "kent", "north-yorkshire", "south-wales"])
def test_every_question_that_names_a_ratio_gives_its_interval_the_same_way(force):
    """Review 5 (N9): the Met's Black/White question rests on its rise (2.9 to 3.6), Lancashire's and Kent's on parity:
    each gives the newest ratio's 95% interval right after the figure, whichever rule fired."""
    f = forces.resolve(force)
    asked = questions.questions(f).set_index("area").loc["Procedural and distributive justice"]
    row = fm.for_force(f).query("measure_id == 'bw_search_ratio'").iloc[0]
    shown = (f"Black/White stop and search rate ratio: {fmt_number(row['value'], 1)} "
             f"(95% CI {fmt_interval(row['ci_low'], row['ci_high'], 1)}) in {row['period']}")
    assert asked["figure"].startswith(shown), asked["figure"]


def test_a_place_beyond_a_search_funnel_limit_asks_what_explains_it_on_either_side():
    """Review 5 (N9): a funnel shows a rate is unusual, not that the force does too much: the Met's question asks what
    explains a rate above the upper limit; North Yorkshire's row (within the limits, no large move) placed below the lower limit asks the
    mirror question."""
    met = questions.questions(forces.resolve("metropolitan-police")).set_index("area").loc["Contact with suspects"]
    assert "above the 95% (not the 99.8%) limit" in met["figure"]
    assert met["question"].startswith("What explains a search rate above the funnel's upper limit")
    rules = questions.RULES["Contact with suspects"]["rules"]
    asks = {r["funnel"]: r["ask"] for r in rules if r.get("funnel") and r["measure"] == "searches_per_1000"}
    assert set(asks) == {"above", "below"} and asks["below"].startswith("What explains a search rate below")
    assert not any(word in ask for ask in asks.values() for word in ("Why does", "more than", "less than"))
    row = fm.for_force(forces.resolve("north-yorkshire")).query("measure_id == 'searches_per_1000'").iloc[0].copy()
    row["funnel_place"] = fm.FUNNEL_PLACES[funnel.BELOW_95]
    fired = next(r for r in rules if questions._fires(r, row))
    assert fired["ask"] == asks["below"]
