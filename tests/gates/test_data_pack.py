"""A real edition's data pack: it validates as a Frictionless package, holds every at-a-glance measure and every
chart's data, its workbook opens, and the at-a-glance page and the landing page link what the site serves."""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pytest

from analysis.publish import datapack, landing

pytestmark = pytest.mark.gate


def test_the_edition_data_pack_validates_and_holds_every_measure_and_chart(edition):
    from frictionless import validate

    slug = next(p.name for p in edition.iterdir() if (p / "figures.json").exists())
    pack = edition / slug / datapack.folder_name(slug)
    report = validate(str(pack / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    html = edition / slug / "html"
    charts = datapack.chart_tables(html)
    sheets = pd.read_excel(pack / datapack.workbook_name(slug), sheet_name=None, engine="calamine")
    # The workbook: the force's own tables; the package: every chart's data.
    own = [c for c in charts if slug in c or c.startswith("pcp-glance-")]
    assert len(sheets) == len(own) + 3 and {"key-measures", "force-measures", "notes"} <= set(sheets)
    package = json.loads((pack / "datapackage.json").read_text())
    assert len(package["resources"]) == len(charts) + 3
    # The force's rows of the measures table, as numbers: every row of the key measures is among them.
    numbers = sheets["force-measures"]
    assert set(numbers["measure_id"]) >= set(sheets["key-measures"]["measure_id"].dropna())
    measures = sheets["key-measures"]
    page = (html / "book" / "at-a-glance.html").read_text(encoding="utf-8")
    key_rows = page[:page.index("Each comparable force")].count('<td data-label="Measure"')
    assert len(measures) == key_rows
    assert {"period", "grade", "source", "comparison"} <= set(measures.columns)
    assert "third-party extract" in set(measures["grade"])
    served = html / datapack.folder_name(slug)
    assert sorted(p.name for p in served.iterdir()) == [datapack.workbook_name(slug), datapack.zip_name(slug)]
    with zipfile.ZipFile(served / datapack.zip_name(slug)) as archive:
        assert f"{datapack.folder_name(slug)}/datapackage.json" in archive.namelist()
    for name in (datapack.workbook_name(slug), datapack.zip_name(slug)):
        assert f'href="../{datapack.folder_name(slug)}/{name}"' in page
    index = landing.landing_page([{"force": "Cumbria Constabulary", "code": "E23000002", "slug": slug,
                                   "built": "now", "data_version": "x"}], lambda s: f"{s}/", "", None)
    assert f'href="{slug}/{datapack.folder_name(slug)}/{datapack.workbook_name(slug)}"' in index
