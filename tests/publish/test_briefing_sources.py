"""The briefing cites the sources of the figures it carries, found by the register keys the page marks them with
(each glued figure's span, each key point, each dashboard row), never by searching their text: rewording every
sentence of the dashboard leaves the sources cited, and the parts carried, the same (issue 34)."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from analysis.present.tables import FIGURE_KEY, ROW_KEYS
from analysis.publish import briefing

MARK = " \u2063REWORDED\u2063"
REGISTER = [
    {"key": "g_conf_national", "text": "In England and Wales, 66% of adults had confidence.", "chapter": "at-a-glance",
     "datasets": ["ons_pfa_data_tables/pfa_tables_2019"]},
    {"key": "g_point_1", "text": "Searches rose.", "chapter": "at-a-glance",
     "datasets": ["stop_search_open_data/by_force_ethnicity"]},
    {"key": "g_bw25_label", "text": "2.6", "chapter": "at-a-glance",
     "datasets": ["census2021_ethnicity_by_la/by_la", "force_indicators_thirdparty_2026/indicators"]},
    # Carried by no part on paper (the comparable forces' table stays online), though its words are in the briefing.
    {"key": "g_peer_intro", "text": "Kent", "chapter": "at-a-glance",
     "datasets": ["iopc_thirdparty_extract_2024_25/review_outcomes"]},
    {"key": "ss_national", "text": "2.6", "chapter": "05-contact-with-suspects", "datasets": ["census2011/by_la"]},
]


def _page(reword: str = "") -> str:
    """An at-a-glance page as Sphinx builds it, its figures marked by key; `reword` goes between the words of every
    sentence and after it (the register's texts are left as they were: a page reworded after its figures were
    recorded, or worded apart from them, cites the same sources)."""
    def say(text: str) -> str:
        return reword.join(text.split()) + reword

    def part(name: str, body: str) -> str:
        return f'<section id="{name}"><span id="{briefing.PART[name]}"></span><h2>{name}{reword}</h2>{body}</section>'

    return ('<article class="bd-article"><section id="kent"><h1>Kent Police at a glance</h1>'
            + part("confidence", f'<p><span {FIGURE_KEY}="g_conf_national">{say(REGISTER[0]["text"])}</span></p>')
            + part("key points", f'<ul><li {FIGURE_KEY}="g_point_1">{say(REGISTER[1]["text"])}</li></ul>')
            + part("key measures", f'''<div class="pcp-table-wrap"><table class="pcp-table pcp-table-glance"><caption>
                   Key measures</caption><tbody><tr data-group="bw_search_ratio" {ROW_KEYS}="g_bw25_label">
                   <td>{say("Black/White ratio")}</td><td>{say("2.6 (95% CI 2.4 to 2.8)")}</td></tr></tbody></table>
                   </div>''')
            + part("how to read", f'<div class="pcp-online-only"><p><span {FIGURE_KEY}="g_peer_intro">Kent'
                                  f'{reword}</span></p></div><p>Kent Police{reword}</p>')
            + "</section></article>")


def _edition(folder, reword: str = ""):
    (folder / "html" / "book").mkdir(parents=True)
    (folder / "html" / briefing.GLANCE_PATH).write_text(_page(reword), encoding="utf-8")
    (folder / "edition.json").write_text(json.dumps({"force": "Kent Police", "code": "E23000032", "slug": "kent",
                                                     "data_version": "x", "built": "now", "local_data": {}}))
    (folder / "figures.json").write_text(json.dumps(REGISTER))
    return folder


def _cited(edition) -> tuple[list[str], list[str]]:
    page = BeautifulSoup(briefing.assemble(edition).read_text(encoding="utf-8"), "html.parser")
    return ([li.a["href"] for li in page.select("ol.sources li")],
            [s["id"] for s in page.select(".pcp-dashboard-part section section span[id]")])


def test_the_sources_cited_are_those_of_the_figures_the_briefing_carries_by_key(tmp_path, monkeypatch):
    monkeypatch.delenv(briefing.config.SITE_URL_ENV, raising=False)
    sources, parts = _cited(_edition(tmp_path / "plain"))
    expected = briefing.sources([r for r in REGISTER if r["key"] in ("g_conf_national", "g_point_1",
                                                                     "g_bw25_label")])
    assert sources == [r["url"] for r in expected] and len(sources) == 4
    assert parts == [briefing.PART[p] for p in ("confidence", "key points", "key measures", "how to read")]


def test_rewording_every_dashboard_sentence_leaves_the_sources_and_the_parts_the_same(tmp_path, monkeypatch):
    monkeypatch.delenv(briefing.config.SITE_URL_ENV, raising=False)
    assert _cited(_edition(tmp_path / "reworded", MARK)) == _cited(_edition(tmp_path / "plain"))


def test_the_keys_carried_are_read_from_the_page_s_marks_not_its_text():
    page = f'<p><span {FIGURE_KEY}="a">x</span></p><table><tr {ROW_KEYS}="b c"><td>a</td></tr></table><p>d</p>'
    assert briefing.carried_keys(page) == {"a", "b", "c"}


def test_what_the_briefing_carries_and_cites_is_chosen_without_reading_display_text():
    """Done when of issue 34: no regular expression and no prefix or suffix test in what chooses the briefing's
    parts, rows and sources."""
    import ast
    import inspect

    for function in (briefing.assemble, briefing.carried_keys, briefing._group_rows, briefing._part):
        tree = ast.parse(inspect.getsource(function))
        called = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        assert not called & {"startswith", "endswith", "match", "fullmatch", "search", "findall", "sub"}, function
        assert not names & {"re", "_comparable_text"}, function
