"""Sphinx extension: serve the bundled Vega JavaScript locally, mark the bibliography up as a list, glue figures
from other pages as plain text, keep each chart's data in a file, remember search stems and compiled templates between
builds, and write the figure register after a build."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import jinja2
from docutils import nodes
from sphinx.search.en import SearchEnglish
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.html5 import HTML5Translator

from analysis import config
from analysis.present import register
from analysis.present.render import BUNDLE_NAME, CSV_DATA_LINK, SHAPES_SCRIPT, shapes_script
from analysis.present.tables import FIGURE_KEY


class Translator(HTML5Translator):
    """Sphinx's HTML writer, with each bibliography entry a list item of the list docutils wraps the entries in, and
    each figure glued on its own page marked with its register key (FIGURE_KEY)."""

    def visit_inline(self, node) -> None:
        if node.get("pcp_key"):
            node.html5tagname = "span"  # what docutils' depart_inline closes
            self.body.append(self.starttag(node, "span", "", **{FIGURE_KEY: node["pcp_key"]}))
        else:
            super().visit_inline(node)

    def visit_citation(self, node) -> None:
        # docutils gives the entry role="doc-biblioentry", which ARIA does not allow as a child of role="list"
        # (axe-core: aria-required-children, critical); "listitem" is what a screen reader needs to count them.
        super().visit_citation(node)
        self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')


class RememberingEnglish(SearchEnglish):
    """Sphinx's English search index, remembering each word's stem for the life of the process: a worker indexes
    the same national chapters edition after edition, and stemming them again took about 0.4 s a build."""

    stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        if word not in self.stems:
            self.stems[word] = super().stem(word)
        return self.stems[word]


class PlainTextGlue(SphinxPostTransform):
    """A figure glued from another page as the text it is: myst-nb makes a code literal of cross-page text/plain
    glue, which a reader sees as a grey chip. Runs just before myst-nb resolves the references (priority 5)."""

    default_priority = 4

    def apply(self, **kwargs) -> None:
        from myst_nb.ext.glue.crossref import read_glue_cache
        from myst_nb.ext.glue.utils import PendingGlueReference

        settings = getattr(self.env, "mystnb_config", None)
        if settings is None:  # a build without myst-nb has no glue
            return
        folder = settings.output_folder
        for node in list(self.document.findall(PendingGlueReference)):
            if not node.inline or node.gtype == "text":
                continue
            data = read_glue_cache(folder, node.refdoc).get(node.key, {}).get("data", {})
            if set(data) == {"text/plain"}:  # a missing key is left for myst-nb to report
                node.replace_self(nodes.inline(data["text/plain"], data["text/plain"], classes=["pasted-text"]))


class KeptTemplates(jinja2.BytecodeCache):
    """The theme's templates, compiled once per process: each edition's build is a new Sphinx application, whose
    template environment would otherwise compile the same three dozen templates again (about a second a build).
    Jinja checks each template's source against its checksum, so an edited template is compiled afresh."""

    compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _keep_templates(app) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.bytecode_cache = KeptTemplates()


def _keyed_glue(app) -> None:
    """myst-nb's {glue:} role (and {glue}, {glue:any}), its output inside a span marked with the figure's key
    (FIGURE_KEY); a figure glued from another page is left to PlainTextGlue. Only where myst-nb is loaded."""
    if "myst_nb" not in app.extensions:
        return
    from myst_nb.ext.glue.domain import NbGlueDomain
    from myst_nb.ext.glue.roles import PasteRoleAny

    class KeyedPaste(PasteRoleAny):
        def run(self):
            found, messages = super().run()
            if "::" in self.text or not found:
                return found, messages
            return [nodes.inline("", "", *found, classes=["pcp-figure"], pcp_key=self.text.strip())], messages

    class KeyedGlueDomain(NbGlueDomain):
        roles = {**NbGlueDomain.roles, "": KeyedPaste(), "any": KeyedPaste()}

    app.add_role("glue", KeyedPaste(), override=True)
    app.add_domain(KeyedGlueDomain, override=True)


def _bundle_dir() -> Path:
    import vl_convert

    folder = config.BUILD_DIR / "vega" / vl_convert.__version__
    target = folder / BUNDLE_NAME
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # The bundle declares top-level consts; an IIFE keeps them out of the page's globals.
        # It exports vegaEmbed, vega and vegaLite on window itself.
        tmp = target.with_suffix(".tmp")
        tmp.write_text("(function(){\n" + vl_convert.javascript_bundle() + "\n})();\n", encoding="utf-8")
        tmp.replace(target)
    return folder


def _shapes_dir() -> Path:
    """A folder holding the force areas' script (render.SHAPES_SCRIPT), named by its content."""
    text = shapes_script()
    folder = config.BUILD_DIR / "shapes" / hashlib.sha256(text.encode()).hexdigest()[:16]
    target = folder / SHAPES_SCRIPT
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")  # parallel editions never read half a file
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    return folder


def _add_bundle(app) -> None:
    if app.builder.format != "html":
        return
    app.config.html_static_path += [str(_bundle_dir()), str(_shapes_dir())]
    app.add_js_file(BUNDLE_NAME, priority=100)
    app.add_js_file(SHAPES_SCRIPT, priority=100)


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """Remove sphinx-thebe's scripts: the book has no live-kernel buttons, and thebe's
    config names a CDN URL that must not appear in an offline book."""
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [
            js for js in scripts
            if "thebe" not in str(js) and "THEBE_JS_URL" not in str(getattr(js, "attributes", {}).get("body", ""))
        ]


# Under _static: each chart's data, one file per distinct table, named by its content.
CHART_DATA = "chart-data"


def _chart_data_files(app, pagename, templatename, context, doctree) -> None:
    """Each chart's data as a file linked from the page, not carried inside it as a data: address. A national chart's
    table is the same in every edition, so the site keeps it once in its shared _static (publish/site.share_static),
    and a page no longer holds its charts' data twice, as the spec's values and again as base64 (a third larger)."""
    body = context.get("body")
    if not body or "data:text/csv" not in body:
        return
    folder = Path(app.outdir) / "_static" / CHART_DATA

    def moved(match) -> str:
        chart_id, payload = match.groups()
        data = base64.b64decode(payload)
        name = f"{hashlib.sha256(data).hexdigest()[:16]}.csv"
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / name).exists():
            (folder / name).write_bytes(data)
        return f'<a download="{chart_id}.csv" href="{context["pathto"](f"_static/{CHART_DATA}/{name}", 1)}"'

    context["body"] = CSV_DATA_LINK.sub(moved, body)


def _write_register(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    executed = Path(app.outdir).parent / "jupyter_execute"
    notebooks = sorted(executed.rglob("*.ipynb"))
    # <out>/_build/html -> <out>/_build/figures, unless a build names another folder.
    folder = Path(app.config.pcp_figures_dir or Path(app.outdir).parent / "figures")
    target = folder / f"{app.config.pcp_figures_name}.json"
    register.write_register(register.collect(notebooks), target)


def setup(app):
    app.add_config_value("pcp_figures_name", "national", "env")
    app.add_config_value("pcp_figures_dir", "", "env")
    # pydata-sphinx-theme adds its own writer on top of whichever is set here.
    app.set_translator("html", Translator)
    app.add_search_language(RememberingEnglish)
    app.add_post_transform(PlainTextGlue)
    _keyed_glue(app)
    app.connect("builder-inited", _add_bundle)
    app.connect("builder-inited", _keep_templates)
    app.connect("html-page-context", _drop_thebe)
    app.connect("html-page-context", _chart_data_files)
    app.connect("build-finished", _write_register)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
