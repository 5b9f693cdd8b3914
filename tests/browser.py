"""Headless Chromium against a local server, with every non-local host unreachable."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Any host but the local server resolves to nothing: a CDN script could not load.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed; .ci/run installs it with apt-get")
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    return path


@contextmanager
def serve(folder: Path):
    """Serve `folder` on 127.0.0.1 at a free port for the duration of the block."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def dump_dom(url: str, screenshot: Path | None = None) -> str:
    """The page's DOM after its scripts have run (virtual time lets Vega finish drawing)."""
    with tempfile.TemporaryDirectory() as profile:
        args = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=10000"]
        if screenshot is not None:
            subprocess.run([*args, "--window-size=1280,4000", f"--screenshot={screenshot}", url],
                           capture_output=True, timeout=120, check=False)
        done = subprocess.run([*args, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout
