"""The compare-forces page in Chromium, on a made-up table: three forces chosen by name and on the map show their
figures as the table has them; the address restores a choice; the map works from the keyboard and names its areas to a
screen reader; it fits at 1280 and 390 px, passes axe-core, works from file://, and hostile text stays text."""

from __future__ import annotations

import contextlib

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.present import precision
from analysis.publish import compare
from analysis.sources import forces
from tests.fixtures import force_measures_table as fixture
from tests.gates.accessibility import axe_violations
from tests.gates.browser import DESKTOP, PHONE, serve, visit

CHOSEN = ["kent", "essex", "surrey"]
# What a card shows of each row, read back from the page: the figure's exact value and its printed text.
CARDS = """() => [...document.querySelectorAll('section.measure')].map(s => ({
  measure: s.dataset.measure,
  forces: [...s.querySelectorAll('article.force')].map(a => ({
    code: a.dataset.code, name: a.querySelector('h3').textContent,
    value: a.querySelector('.num').dataset.value ?? null, shown: a.querySelector('.num').textContent,
    terms: Object.fromEntries([...a.querySelectorAll('dt')].map(dt => [dt.textContent,
                                                                    dt.nextElementSibling.textContent]))}))}))"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The page as `make site` places it (with the book's favicon beside it), built from the made-up table."""
    root = tmp_path_factory.mktemp("compare-site")
    (root / "_static").mkdir()
    shutil.copyfile(config.REPO_ROOT / "book" / "favicon.svg", root / "_static" / "favicon.svg")
    (root / "index.html").write_text('<!DOCTYPE html><html lang="en"><title>book</title></html>')
    compare.write(root / compare.PAGE, fixture.table(), fixture.MEASURES, [("index.html", "National book")],
                  "_static/")
    return root


def _shown(value: float, meta: dict) -> str:
    """A figure as the page prints it: to the measure's decimal places (else whole from 100, one decimal from 10, two
    below), thousands with commas."""
    digits = meta.get("decimals", 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2)
    text = f"{value:,.{digits}f}"
    return text + "%" if meta["unit"] == "percent" else text


def _expected(code: str, measure_id: str) -> pd.Series | None:
    table = precision.for_file(fixture.table())
    rows = table[(table["measure_id"] == measure_id)]
    rows = rows[(rows["period_end"] == rows["period_end"].max()) & (rows["force_code"] == code)]
    return None if rows.empty else rows.iloc[0]


@contextlib.contextmanager
def _opened(chrome, url: str, viewport: dict = DESKTOP):
    """The page at `url` and the script errors and dialogs it raises; closed after."""
    page = chrome.new_page()
    try:
        page.set_viewport_size(viewport)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
        page.goto(url, wait_until="networkidle")
        yield page, errors
    finally:
        page.close()


@pytest.mark.gate
def test_three_forces_chosen_by_name_and_map_show_their_figures_as_the_table_has_them(site, chrome):
    with serve(site) as base:
        with _opened(chrome, f"{base}/{compare.PAGE}") as (page, errors):
            page.fill("#force-input", "kent")
            page.press("#force-input", "Enter")                       # by a name typed and Enter
            page.fill("#force-input", "Essex Police")                 # by the whole name, as the list fills it in
            page.click(f'#force-map path[data-code="{fixture.CODES["surrey"]}"]')  # on the map
            assert page.evaluate("location.hash") == "#forces=" + ",".join(CHOSEN)
            assert page.inner_text("#summary") == ("Comparing 3 forces: Kent Police, Essex Police and Surrey Police, "
                                                   f"on {len(fixture.MEASURES)} measures.")
            assert sorted(page.eval_on_selector_all("#force-map path.chosen", "ps => ps.map(p => p.dataset.code)")) \
                == sorted(fixture.CODES[s] for s in CHOSEN)
            sections = page.evaluate(CARDS)
            assert [s["measure"] for s in sections] == list(fixture.MEASURES)
            for section in sections:
                meta = fixture.MEASURES[section["measure"]]
                assert [f["code"] for f in section["forces"]] == [fixture.CODES[s] for s in CHOSEN]
                for card in section["forces"]:
                    row = _expected(card["code"], section["measure"])
                    assert card["name"] == row["force"] and card["terms"]["Period"] == row["period"]
                    assert card["terms"]["Source grade"] == row["grade"]
                    if pd.isna(row["value"]):
                        assert card["value"] is None and card["shown"] == "no figure"
                    else:
                        assert float(card["value"]) == row["value"] and card["shown"] == _shown(row["value"], meta)
                    if pd.notna(row["ci_low"]):
                        assert card["terms"]["95% interval"] == \
                            f"{_shown(row['ci_low'], meta)} to {_shown(row['ci_high'], meta)}"
                    if pd.notna(row["vs_england_and_wales"]):
                        assert card["terms"]["Against England and Wales"] == row["vs_england_and_wales"]
                    assert card["terms"]["Funnel"].startswith(row["funnel_place"])
                    if pd.notna(row["change"]):
                        change = _shown(abs(row["change"]), {**meta, "unit": ""})
                        assert card["terms"][f"Change since {row['previous_period']}"] == (
                            f"{'+' if row['change'] > 0 else '−'}{change}"
                            f"{' percentage points' if meta['unit'] == 'percent' else ''}: {row['change_verdict']}")
            # One chart per measure, each naming the chosen forces.
            labels = page.eval_on_selector_all(".chart svg", "ss => ss.map(s => s.getAttribute('aria-label'))")
            assert len(labels) == len(fixture.MEASURES) and all("Surrey Police" in label for label in labels)
            page.click('button[aria-label="Remove Essex Police"]')
            assert page.evaluate("location.hash") == "#forces=kent,surrey"
            assert errors == []


@pytest.mark.gate
def test_the_address_restores_a_choice_served_and_from_file(site, chrome):
    with serve(site) as base:
        for url in (f"{base}/{compare.PAGE}", (site / compare.PAGE).as_uri()):
            with _opened(chrome, url + "#forces=surrey,city-of-london,nowhere,kent") as (page, errors):
                assert page.eval_on_selector_all("#chosen li span", "ss => ss.map(s => s.textContent)") == \
                    ["Surrey Police", "City of London Police", "Kent Police"]
                assert page.inner_text("#force-help") == "The address names no force called nowhere."
                assert page.evaluate("location.hash") == "#forces=surrey,city-of-london,kent"
                page.evaluate("location.hash = '#forces=dyfed-powys'")
                page.wait_for_function("document.querySelectorAll('#chosen li').length === 1")
                assert page.inner_text("#chosen li span") == "Dyfed-Powys Police"
                assert errors == []


@pytest.mark.gate
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_page_fits_passes_axe_and_fetches_nothing(site, chrome, viewport):
    with serve(site) as base:
        url = f"{base}/{compare.PAGE}#forces=" + ",".join(CHOSEN + ["city-of-london", "dyfed-powys"])
        report = visit(chrome, url, config.BUILD_DIR / "screenshots" / f"compare-{viewport['width']}.png", viewport,
                       audit=True)
        with _opened(chrome, url, viewport) as (page, _):
            widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            past = page.evaluate("""() => [...document.querySelectorAll('.chart svg, article.force, #force-map')]
              .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).length""")
    assert widths[0] <= widths[1], f"the page scrolls sideways at {viewport['width']} px: {widths}"
    assert past == 0
    assert not report.unexpected_errors() and not report.remote_requests()
    assert not report.axe, report.axe


@pytest.mark.gate
def test_hostile_text_is_shown_as_text_and_never_runs(site, chrome):
    with serve(site) as base:
        with _opened(chrome, f"{base}/{compare.PAGE}#forces=kent,cumbria") as (page, errors):
            headings = page.eval_on_selector_all("section.measure h2", "hs => hs.map(h => h.textContent)")
            assert fixture.MEASURES["confidence_pct"]["label"] in headings
            kent = page.locator(f'section[data-measure="bw_search_ratio"] article[data-code="{fixture.CODES["kent"]}"]')
            assert kent.locator("dd").all_text_contents()[-2] == fixture.HOSTILE  # its reason, before its grade
            cumbria = page.locator(f'section[data-measure="bw_search_ratio"] '
                                   f'article[data-code="{fixture.CODES["cumbria"]}"]')
            assert f"{fixture.FORMULA} too few events" in cumbria.locator("dd").all_text_contents()
            assert page.evaluate("document.scripts.length") == 2
            # No comment or script came out of the data: a comment node would hide what follows it.
            assert page.evaluate("""() => { const w = document.createTreeWalker(document.body, NodeFilter.SHOW_COMMENT);
                                     return w.nextNode() === null; }""")
            assert errors == []


@pytest.mark.gate
def test_a_keyboard_alone_adds_and_removes_a_force_and_the_change_is_announced(site, chrome):
    with serve(site) as base:
        with _opened(chrome, f"{base}/{compare.PAGE}") as (page, errors):
            for _ in range(10):  # through the header's links to the name box
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.id") == "force-input":
                    break
            assert page.evaluate("document.activeElement.id") == "force-input"
            assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
            page.keyboard.type("dyfed")
            page.keyboard.press("Enter")
            assert page.inner_text("#summary").startswith("Comparing 1 force: Dyfed-Powys Police")
            page.keyboard.type("police")
            page.keyboard.press("Enter")  # many forces match: say so, add none
            assert "matches" in page.inner_text("#force-help") and page.locator("#chosen li").count() == 1
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Remove Dyfed-Powys Police"
            page.keyboard.press("Enter")
            assert page.locator("#chosen li").count() == 0 and page.evaluate("location.hash") == ""
            assert page.evaluate("document.activeElement.id") == "force-input"
            assert errors == []


@pytest.mark.gate
def test_each_caption_names_only_the_lines_its_chart_draws(tmp_path, chrome):
    # Confidence without an England and Wales figure: its chart draws no dashed line, and its caption promises none.
    table = fixture.table()
    table.loc[table["measure_id"] == "confidence_pct", "england_and_wales"] = None
    compare.write(tmp_path / compare.PAGE, table, fixture.MEASURES, [], "")
    for chosen in ("", "#forces=kent,cumbria"):
        with _opened(chrome, (tmp_path / compare.PAGE).as_uri() + chosen) as (page, errors):
            charts = page.evaluate("""() => [...document.querySelectorAll('section.measure')].map(s => ({
              measure: s.dataset.measure, caption: s.querySelector('figcaption').textContent,
              ew: s.querySelectorAll('.chart line.ew').length, median: s.querySelectorAll('.chart line.median').length,
              whiskers: s.querySelectorAll('.chart line.whisker').length}))""")
            assert errors == []
        assert [c["measure"] for c in charts] == list(fixture.MEASURES)
        for c in charts:
            assert ("England and Wales" in c["caption"]) == (c["ew"] == 1), c
            assert ("median force" in c["caption"]) == (c["median"] == 1), c
            assert ("95% interval" in c["caption"]) == (c["whiskers"] > 0), c
        assert next(c for c in charts if c["measure"] == "confidence_pct")["ew"] == 0


@pytest.mark.gate
def test_a_shared_figure_is_one_dot_with_no_verdict_and_a_missing_interval_says_why(tmp_path, chrome):
    # Made up: the City of London given Kent's confidence figure (as it is given London's ASB), with no interval.
    table = fixture.table()
    mine = table["measure_id"] == "confidence_pct"
    kent, city = (mine & (table["force_code"] == fixture.CODES[s]) for s in ("kent", "city-of-london"))
    table.loc[city, ["value", "reason"]] = [table.loc[kent, "value"].iloc[0], "Kent's figure (shared with Kent)"]
    table.loc[mine, ["area", "shared_with", "interval_note"]] = [None, None, "no interval <b>given</b>"]
    table.loc[mine, ["ci_low", "ci_high"]] = None
    table.loc[kent | city, "area"] = "Kent and the City"
    table.loc[city, "shared_with"] = fixture.CODES["kent"]
    compare.write(tmp_path / compare.PAGE, table, fixture.MEASURES, [], "")
    with _opened(chrome, (tmp_path / compare.PAGE).as_uri() + "#forces=city-of-london,kent") as (page, errors):
        section = page.locator('section[data-measure="confidence_pct"]')
        cards = page.evaluate(CARDS)
        drawn = section.locator("circle.all").count()
        titles = section.locator("circle.all title").all_text_contents()
        picked = section.locator("circle.pick-dot").count()
        rows = section.locator(".chart svg > text").all_text_contents()
        assert errors == []
    city_card, kent_card = next(s for s in cards if s["measure"] == "confidence_pct")["forces"]
    assert city_card["shown"] == kent_card["shown"] and "Against England and Wales" not in city_card["terms"]
    assert city_card["terms"]["No verdict because"] == "Kent's figure (shared with Kent)"
    assert city_card["terms"]["Figure for"] == "Kent and the City"
    assert city_card["terms"]["95% interval"] == "none: no interval <b>given</b>"
    # Six forces have a figure, one of them shared: five dots, the shared one named for its area; one chosen dot.
    assert drawn == 5 and "Kent and the City: 47.1%" in titles and picked == 1
    assert "same dot as Kent" in rows


@pytest.mark.gate
def test_a_card_links_where_the_site_shows_its_figure(tmp_path, chrome):
    table = fixture.table()
    table["shown_at"] = [f"editions/{forces.get(c).slug}/book/at-a-glance.html#key-measures; "
                         "book/02-neighbourhood-policing.html#force-by-force; book/02-neighbourhood-policing.html#x; "
                         "javascript:alert(1)" for c in table["force_code"]]
    compare.write(tmp_path / compare.PAGE, table, fixture.MEASURES, [], "")
    with _opened(chrome, (tmp_path / compare.PAGE).as_uri() + "#forces=kent") as (page, errors):
        links = page.eval_on_selector_all('section[data-measure="officers_per_100k"] article.force dd a',
                                          "as => as.map(a => [a.textContent, a.getAttribute('href')])")
        assert errors == []
    assert links == [["the force’s edition", "editions/kent/book/at-a-glance.html#key-measures"],
                     ["chapter 2", "book/02-neighbourhood-policing.html#force-by-force"]]


@pytest.mark.gate
def test_a_headcount_chart_draws_the_forces_alone_and_states_england_and_wales_s_total(tmp_path, chrome):
    # A count of staff: England and Wales's figure is the forces' total, which would dwarf every force on its axis.
    table = fixture.table()
    counts = table[table["measure_id"] == "officers_per_100k"].assign(
        measure_id="officers_fte", measure="Police officers (FTE)", unit="FTE", england_and_wales=147_746.0,
        value=lambda t: t["value"] * 10)
    measures = fixture.MEASURES | {"officers_fte": {"label": "Police officers (FTE)", "unit": "FTE", "decimals": 0,
                                                    "definition": "Officers on 31 March.", "higher_is": "neither",
                                                    "method": "a count", "count": True}}
    compare.write(tmp_path / compare.PAGE, pd.concat([table, counts], ignore_index=True), measures, [], "")
    with _opened(chrome, (tmp_path / compare.PAGE).as_uri() + "#forces=kent,essex") as (page, errors):
        section = 'section[data-measure="officers_fte"]'
        assert page.locator(f"{section} .chart line.ew").count() == 0
        ticks = [float(t.replace(",", "")) for t in page.locator(f"{section} .chart svg > text").all_text_contents()
                 if t.replace(",", "").replace(".", "").isdigit()]
        assert ticks and max(ticks) < 147_746 / 10  # the axis spans the forces, not the national total
        caption = page.locator(f"{section} figcaption").text_content()
        assert "England and Wales\u2019s total (147,746) is not drawn" in caption
        assert "England and Wales (all forces together): 147,746" in page.locator(f"{section} .context").text_content()
        # A rate keeps England and Wales as its reference line.
        assert page.locator('section[data-measure="officers_per_100k"] .chart line.ew').count() == 1
        assert errors == []


# What Chromium tells a screen reader about the focused element: its role, name and state.
AX_TREE = "Accessibility.getFullAXTree"
IN_MAP = "document.activeElement.closest('#force-map') !== null"


def _focused(page) -> dict:
    """The accessibility tree's focused node (the page's own root also says focused while a child has the focus)."""
    nodes = page.context.new_cdp_session(page).send(AX_TREE)["nodes"]
    for node in nodes:
        state = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        if state.get("focused") and node["role"]["value"] != "RootWebArea":
            return {"role": node["role"]["value"], "name": node.get("name", {}).get("value"),
                    "selected": state.get("selected"), "description": node.get("description", {}).get("value")}
    return {}


def _tab_into_map(page) -> None:
    for _ in range(12):  # the header's links, the name box and its button, then the map
        page.keyboard.press("Tab")
        if page.evaluate(IN_MAP):
            return
    pytest.fail("Tab never reached the map")


def _luminance(css: str) -> float:
    channels = [int(c) / 255 for c in css[css.index("(") + 1:css.index(")")].split(",")[:3]]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.gate
def test_the_map_is_one_tab_stop_whose_keys_choose_a_force_as_a_click_does(site, chrome):
    names = sorted(forces.registry()["name"])
    with serve(site) as base:
        with _opened(chrome, f"{base}/{compare.PAGE}") as (page, errors):
            # Alphabetical in the document as for the keys, so a screen reader's "n of 43" agrees with them.
            assert page.eval_on_selector_all("#force-map path[data-code]", "ps => ps.map(p => p.textContent)") == names
            _tab_into_map(page)
            assert page.evaluate("""[...document.querySelectorAll('#force-map *')]
              .filter(e => e.tabIndex >= 0).length""") == 1
            assert _focused(page) == {"role": "option", "name": names[0], "selected": False, "description": None}
            for key, name in [("ArrowRight", names[1]), ("ArrowDown", names[2]), ("ArrowUp", names[1]),
                              ("End", names[-1]), ("ArrowRight", names[-1]), ("Home", names[0]),
                              ("ArrowLeft", names[0]), ("k", "Kent Police")]:
                page.keyboard.press(key)
                assert page.evaluate("document.activeElement.textContent") == name, key
            assert page.evaluate("""() => { const ring = document.querySelector('#force-map .focus-ring');
              return getComputedStyle(ring).display !== 'none'
                && ring.querySelector('path').getAttribute('d') === document.activeElement.getAttribute('d'); }""")
            page.keyboard.press("Enter")
            page.keyboard.type("sur")  # the start of a name, typed quickly
            assert page.evaluate("document.activeElement.textContent") == "Surrey Police"
            page.keyboard.press("Space")
            assert page.evaluate("location.hash") == "#forces=kent,surrey"
            assert _focused(page) == {"role": "option", "name": "Surrey Police", "selected": True, "description": None}
            assert page.inner_text("#summary").startswith("Comparing 2 forces: Kent Police and Surrey Police")
            by_keys = page.evaluate(CARDS)
            assert axe_violations(page, "#force-map", {"minor", "moderate", "serious", "critical"}) == []
            # Tab leaves the map and Shift+Tab comes back to the same area; Space again takes its force off.
            page.keyboard.press("Tab")
            assert not page.evaluate(IN_MAP)
            page.keyboard.press("Shift+Tab")
            assert page.evaluate("document.activeElement.textContent") == "Surrey Police"
            page.keyboard.press("Space")
            assert page.evaluate("location.hash") == "#forces=kent"
            assert page.get_attribute(f'#force-map path[data-code="{fixture.CODES["surrey"]}"]',
                                      "aria-selected") == "false"
            assert errors == []
        with _opened(chrome, f"{base}/{compare.PAGE}") as (page, errors):
            for slug in ("kent", "surrey"):
                page.click(f'#force-map path[data-code="{fixture.CODES[slug]}"]')
            assert page.evaluate("location.hash") == "#forces=kent,surrey" and page.evaluate(CARDS) == by_keys
            assert [s["code"] for s in by_keys[0]["forces"]] == [fixture.CODES["kent"], fixture.CODES["surrey"]]
            assert errors == []


@pytest.mark.gate
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_map_s_focus_ring_stands_out_from_every_fill_and_the_page(site, chrome, scheme):
    with serve(site) as base:
        with _opened(chrome, f"{base}/{compare.PAGE}#forces=kent") as (page, errors):
            page.emulate_media(color_scheme=scheme)
            _tab_into_map(page)
            colours = page.evaluate("""() => {
              const style = s => getComputedStyle(document.querySelector(s));
              return {ring: style('#force-map .focus-ring .outer').stroke,
                      page: style('body').backgroundColor === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)'
                            : style('body').backgroundColor,
                      area: style('#force-map path[data-code]:not(.chosen)').fill,
                      chosen: style('#force-map path.chosen').fill}; }""")
            # A button's and a link's keyboard focus, as the browser draws it.
            page.focus("button")
            colours["button_ring"] = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
            assert errors == []
    for against in ("page", "area", "chosen"):
        assert _contrast(colours["ring"], colours[against]) >= 3, (against, colours)
    # A chosen area stands out from the others by its fill (WCAG 1.4.11), not only by its thin border.
    assert _contrast(colours["chosen"], colours["area"]) >= 3, colours
    assert _contrast(colours["button_ring"], colours["page"]) >= 3, colours
