"""Run notebooks with papermill on one long-lived kernel, reset between notebooks and restarted after a failure."""

from __future__ import annotations

import keyword
from pathlib import Path

import papermill as pm
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine, papermill_engines

ENGINE = "pcp-shared-kernel"
# Runs before each notebook: a clean namespace and execution count, in the notebook's folder.
# Imported modules stay loaded, which is the point: the national data are read once per kernel.
# (chdir first: the previous notebook's folder may be gone, and IPython's reset needs a cwd.)
# The reset ends with a full garbage collection; freezing what survives it (modules, the national data) keeps the
# next collection to the objects made since, instead of walking the whole heap before every notebook.
RESET = "import os\nos.chdir({cwd!r})\nget_ipython().reset(new_session=True)\n__import__('gc').freeze()"


class NotebookFailed(RuntimeError):
    """A notebook raised; says which notebook and cell."""


def check_parameters(parameters: dict) -> dict:
    """Refuse parameter names that are not plain identifiers: papermill escapes values, not names."""
    for name in parameters:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ValueError(f"parameter name {name!r} is not a Python identifier; expected a name like 'force'")
    return parameters


class SharedKernel:
    """A started kernel and client that papermill reuses for notebook after notebook."""

    def __init__(self, kernel_name: str = "python3", startup_timeout: int = 60):
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.km: AsyncKernelManager | None = None
        self.kc = None

    def __enter__(self) -> "SharedKernel":
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    def _ensure_started(self) -> None:
        if self.km is not None and run_sync(self.km.is_alive)():
            return
        self.shutdown()
        self.km = AsyncKernelManager(kernel_name=self.kernel_name)
        # No command history: an edition's cells are not typed in, and saving each one to IPython's SQLite file
        # costs time and writes into the user's home.
        run_sync(self.km.start_kernel)(extra_arguments=["--HistoryManager.enabled=False"])
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)

    def run(self, notebook: Path, parameters: dict, timeout: int | None = None) -> None:
        """Execute `notebook` in place with papermill, parameters injected; raise NotebookFailed on error."""
        check_parameters(parameters)
        self._ensure_started()
        notebook = Path(notebook).resolve()
        reply = run_sync(self.kc.execute_interactive)(RESET.format(cwd=str(notebook.parent)), silent=True,
                                                      store_history=False, timeout=self.startup_timeout)
        if reply["content"]["status"] != "ok":
            self.shutdown()
            raise NotebookFailed(f"{notebook.name}: could not reset the kernel: {reply['content'].get('evalue')}")
        try:
            pm.execute_notebook(str(notebook), str(notebook), parameters=parameters, engine_name=ENGINE,
                                shared_kernel=self, kernel_name=self.kernel_name, progress_bar=False,
                                request_save_on_cell_execute=False, execution_timeout=timeout)
        except pm.PapermillExecutionError as err:
            self.shutdown()  # whatever the failing cell left behind must not reach the next notebook
            raise NotebookFailed(f"{notebook.name}, cell {err.exec_count}: {err.ename}: {err.evalue}") from None
        except Exception:
            self.shutdown()
            raise

    def shutdown(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            km, self.km = self.km, None
            try:
                if run_sync(km.is_alive)():
                    run_sync(km.shutdown_kernel)(now=True)
            finally:
                # A start cut short (SIGTERM while the kernel starts) can leave its sockets open, and their context
                # would then hold the process at exit: close them all now, waiting for nothing.
                km.context.destroy(linger=0)


class SharedKernelEngine(Engine):
    """papermill's nbclient engine, but on a kernel that is already running and outlives the notebook."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, shared_kernel: SharedKernel, execution_timeout=None,
                                 **kwargs):
        client = PapermillNotebookClient(nb_man, km=shared_kernel.km, kernel_name=kernel_name,
                                         timeout=execution_timeout)
        # With a client already connected, nbclient neither starts nor shuts down a kernel.
        client.kc = shared_kernel.kc
        return client.execute()


papermill_engines.register(ENGINE, SharedKernelEngine)
