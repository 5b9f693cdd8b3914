"""The notebook shell: a notebook run in this process gives the outputs a kernel would, and a failure leaves
nothing behind."""

from __future__ import annotations

import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis.publish import shell
from analysis.sources import cache


def _notebook(path, *sources):
    params = new_code_cell("force = None", metadata={"tags": ["parameters"]})
    cells = [new_markdown_cell("# A page"), params, *(new_code_cell(s) for s in sources)]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                      "language": "python"}}), path)
    return path


def test_a_notebook_gives_the_outputs_a_kernel_sends(tmp_path):
    nb_path = _notebook(tmp_path / "nb.ipynb",
                        "from IPython.display import Markdown, display\n"
                        "print('one'); print('two')\ndisplay(Markdown('**' + force + '**'), metadata={'k': 1})\n"
                        "force.upper()",
                        "import os\nos.getcwd()")
    before = nb_path.read_bytes()
    nb = shell.NotebookShell().run(nb_path, {"force": "kent"})
    assert nb_path.read_bytes() == before, "the notebook file was changed"
    first, second = [c for c in nb.cells if c.cell_type == "code"][-2:]
    assert [o.output_type for o in first.outputs] == ["stream", "display_data", "execute_result"]
    assert first.outputs[0].text == "one\ntwo\n"
    assert first.outputs[1].data["text/markdown"] == "**kent**" and first.outputs[1].metadata == {"k": 1}
    assert first.outputs[2].data["text/plain"] == "'KENT'"
    assert second.outputs[0].data["text/plain"] == repr(str(tmp_path)), "not run from the notebook's folder"
    assert os.getcwd() != str(tmp_path)
    nbformat.validate(nb)


def test_each_notebook_starts_with_an_empty_namespace(tmp_path):
    runner = shell.NotebookShell()
    runner.run(_notebook(tmp_path / "a.ipynb", "left_behind = 1"), {"force": "kent"})
    with pytest.raises(shell.NotebookFailed, match=r"b.ipynb, cell \d+: NameError: name 'left_behind'"):
        runner.run(_notebook(tmp_path / "b.ipynb", "left_behind"), {"force": "kent"})


def test_a_failed_notebook_forgets_everything_kept_in_memory(tmp_path, monkeypatch):
    calls = []
    kept = cache.in_memory(lambda: calls.append(1) or len(calls))
    monkeypatch.setitem(__import__("builtins").__dict__, "_pcp_kept", kept)
    runner = shell.NotebookShell()
    runner.run(_notebook(tmp_path / "a.ipynb", "_pcp_kept(); _pcp_kept()"), {"force": "kent"})
    assert calls == [1]
    with pytest.raises(shell.NotebookFailed, match="deliberate"):
        runner.run(_notebook(tmp_path / "b.ipynb", "_pcp_kept()\nraise ValueError('deliberate')"), {"force": "kent"})
    runner.run(_notebook(tmp_path / "c.ipynb", "_pcp_kept()"), {"force": "kent"})
    assert calls == [1, 1], "a result kept before the failure reached the next notebook"


@pytest.mark.parametrize("stop", ["SystemExit(143)", "KeyboardInterrupt()"])
def test_a_build_being_stopped_is_not_kept_inside_the_cell(tmp_path, stop):
    with pytest.raises(BaseException) as caught:
        shell.NotebookShell().run(_notebook(tmp_path / "nb.ipynb", f"raise {stop}"), {"force": "kent"})
    assert type(caught.value).__name__ == stop.split("(")[0]
