"""The force registry: 43 forces, one code each, and forgiving but strict name resolution."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import config
from analysis.sources import forces
from analysis.sources.forces import UnknownForceError


def test_registry_has_the_43_territorial_forces():
    reg = forces.registry()
    assert len(reg) == 43 and reg["pfa_code"].is_unique and reg["slug"].is_unique and reg["name"].is_unique
    assert (reg["country"] == "Wales").sum() == 4


def test_registry_agrees_with_the_shared_force_list():
    shared = pd.read_csv(config.DEFAULT_MIRROR / "police_forces" / "police_forces_england_wales.csv")
    merged = forces.registry().merge(shared, on="pfa_code", validate="one_to_one")
    assert len(merged) == 43
    assert (merged["name_ons"] == merged["pfa_name_ons"]).all()
    assert (merged["name_home_office"] == merged["force_name_home_office"]).all()
    assert (merged["region"] == merged["home_office_region"]).all()


@pytest.mark.parametrize("text, code", [
    ("E23000032", "E23000032"), ("kent", "E23000032"), ("Kent Police", "E23000032"), ("KENT", "E23000032"),
    ("Avon & Somerset", "E23000036"), ("avon-and-somerset", "E23000036"), ("Metropolitan", "E23000001"),
    ("London, City of", "E23000034"), ("city-of-london", "E23000034"), ("Dyfed-Powys", "W15000004"),
    ("w15000003", "W15000003"), ("Devon and Cornwall", "E23000035"), (" Gwent Police ", "W15000002"),
])
def test_resolve_accepts_codes_names_and_slugs(text, code):
    assert forces.resolve(text).code == code


def test_unknown_force_lists_nearest_valid_names():
    with pytest.raises(UnknownForceError) as err:
        forces.resolve("Kentt")
    assert "Kent Police (kent)" in str(err.value) and "closest valid names" in str(err.value)


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_empty_force_is_refused_with_an_example(bad):
    with pytest.raises(UnknownForceError, match="non-empty"):
        forces.resolve(bad)


def test_every_force_name_in_the_data_files_maps_to_a_code():
    raw = config.DEFAULT_MIRROR
    names = {
        "stop and search": pd.read_csv(raw / "stop_search_open_data/stop_search_by_force_ethnicity_2007_2019.csv.gz",
                                       usecols=["force_name"])["force_name"],
        "census": pd.read_csv(raw / "pfa_ethnicity_census2011/pfa_ethnic_group_census2011_police_categories.csv")["Police force"],
        "use of force": pd.read_csv(raw / "use_of_force_by_ethnicity/use_of_force_by_ethnicity_force_2018-19.csv")["Police Force"],
        "workforce": pd.read_csv(raw / "police_workforce_open_data/police_officers_fte_by_force_2007_2019.csv.gz")["force_name"],
    }
    for source, column in names.items():
        codes = {forces.code_for(n, source) for n in column.unique()}
        assert forces.force_codes() <= codes | {None} and len(codes - {None}) == 43, source


def test_code_for_refuses_an_unknown_force_name():
    with pytest.raises(UnknownForceError, match="toy.csv.*'Atlantis'"):
        forces.code_for("Atlantis", "toy.csv")
