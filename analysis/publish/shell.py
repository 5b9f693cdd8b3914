"""Run notebooks with papermill in this process's own IPython shell, its namespace reset between notebooks."""

from __future__ import annotations

import gc
import keyword
import os
import sys
from pathlib import Path

import nbformat
import papermill as pm
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from papermill.engines import Engine, papermill_engines
from traitlets import Type
from traitlets.config import Config

from analysis.sources import cache

ENGINE = "pcp-in-process"


class NotebookFailed(RuntimeError):
    """A notebook raised; says which notebook and cell."""


def check_parameters(parameters: dict) -> dict:
    """Refuse parameter names that are not plain identifiers: papermill escapes values, not names."""
    for name in parameters:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ValueError(f"parameter name {name!r} is not a Python identifier; expected a name like 'force'")
    return parameters


def _output(**fields) -> nbformat.NotebookNode:
    # Built as a kernel's message would be, without nbformat's check of each output against the schema (the
    # notebook as a whole is checked when Sphinx reads it).
    return nbformat.from_dict(fields)


class _Publisher(DisplayPublisher):
    """display() and glue() add a display_data output to the running cell."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs) -> None:
        self.shell.outputs.append(_output(output_type="display_data", data=data, metadata=metadata or {}))

    def clear_output(self, wait=False) -> None:
        self.shell.outputs.clear()


class _Result(DisplayHook):
    """A cell's last expression becomes its execute_result output."""

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict, md_dict=None) -> None:
        self.shell.outputs.append(_output(output_type="execute_result", data=format_dict, metadata=md_dict or {},
                                          execution_count=self.shell.execution_count))

    def finish_displayhook(self) -> None:
        pass


class _Stream:
    """print() and warnings become stream outputs, consecutive writes to one stream joined, as a kernel sends them."""

    def __init__(self, shell: "_Shell", name: str):
        self.shell, self.name = shell, name

    def write(self, text: str) -> int:
        outputs = self.shell.outputs
        if outputs and outputs[-1].output_type == "stream" and outputs[-1].name == self.name:
            outputs[-1].text += text
        else:
            outputs.append(_output(output_type="stream", name=self.name, text=text))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _Shell(InteractiveShell):
    """An IPython shell whose displays, results, prints and tracebacks are collected as the running cell's outputs."""

    displayhook_class = Type(_Result)
    display_pub_class = Type(_Publisher)

    def _showtraceback(self, etype, evalue, stb) -> None:
        self.outputs.append(_output(output_type="error", ename=getattr(etype, "__name__", str(etype)),
                                    evalue=str(evalue), traceback=stb))


class NotebookShell:
    """The one IPython shell of this process, which papermill runs notebook after notebook in.

    Before each notebook the namespace and execution count are reset; imported modules, and so the national data
    already read, stay loaded, which is the point (a worker builds edition after edition). Running in the worker
    itself, not in a kernel beside it, spares every output's trip through a socket and its checks on either side
    (about a third of an edition's time). After a notebook fails, everything kept in memory is forgotten too, so
    nothing the failing cell computed or changed reaches the next notebook.
    """

    def __init__(self):
        config = Config()
        # No command history: an edition's cells are not typed in, and saving each to IPython's SQLite file costs
        # time and writes into the user's home.
        config.HistoryManager.enabled = False
        self.shell = _Shell.instance(config=config)
        self.shell.outputs = []

    def __enter__(self) -> "NotebookShell":
        return self

    def __exit__(self, *exc) -> None:
        self.shell.reset(new_session=True)

    def run(self, notebook: Path, parameters: dict) -> nbformat.NotebookNode:
        """Execute `notebook` with papermill, parameters injected, from its own folder; return it executed (the
        file is left as it was). Raise NotebookFailed on error."""
        check_parameters(parameters)
        notebook = Path(notebook).resolve()
        back = os.getcwd()
        os.chdir(notebook.parent)
        # The reset ends with a full garbage collection; freezing what survives it (modules, the national data)
        # keeps the next one to the objects made since, instead of walking the whole heap before every notebook.
        self.shell.reset(new_session=True)
        gc.freeze()
        try:
            return pm.execute_notebook(str(notebook), None, parameters=parameters, engine_name=ENGINE,
                                       shell=self.shell, kernel_name="python3", progress_bar=False)
        except pm.PapermillExecutionError as err:
            self.forget()
            raise NotebookFailed(f"{notebook.name}, cell {err.exec_count}: {err.ename}: {err.evalue}") from None
        except Exception:
            self.forget()
            raise
        finally:
            os.chdir(back)

    def forget(self) -> None:
        """Clear the namespace and everything kept in memory, as a fresh process would start."""
        self.shell.reset(new_session=True)
        cache.forget_all()


class InProcessEngine(Engine):
    """papermill's engine for a shell in this process: each code cell run in turn, stopping at the first error."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, shell: _Shell, **kwargs) -> None:
        for index, cell in enumerate(nb_man.nb.cells):
            if cell.cell_type != "code":
                continue
            nb_man.cell_start(cell, index)
            shell.outputs = []
            saved = sys.stdout, sys.stderr
            sys.stdout, sys.stderr = _Stream(shell, "stdout"), _Stream(shell, "stderr")
            try:
                result = shell.run_cell(cell.source, store_history=True)
            finally:
                sys.stdout, sys.stderr = saved
            cell.outputs, cell.execution_count = shell.outputs, result.execution_count
            error = result.error_before_exec or result.error_in_exec
            # IPython keeps SystemExit and KeyboardInterrupt inside the cell: a build being stopped must stop.
            if error is not None and not isinstance(error, Exception):
                raise error
            if error is not None:
                nb_man.cell_exception(cell, index)
            nb_man.cell_complete(cell, index)
            if error is not None:
                return  # papermill raises PapermillExecutionError from the error output


papermill_engines.register(ENGINE, InProcessEngine)
