"""A chart's source line, built from data/manifest.yml by dataset id: each dataset's publisher and title, then the
licence, so no source line is typed by hand."""

from __future__ import annotations

from analysis.present.glue import LOCAL_DATA
from analysis.sources import manifest


def line(datasets) -> str:
    """'Publisher, title. Publisher, title. Licence' for the datasets of these file ids (each once, in the order
    given; sentences apart, as a publisher's name may hold a semicolon), the licence said once where they share it;
    a force's own file ("local …") by its name."""
    files = manifest.load_manifest()
    seen: dict[str, manifest.RawFile] = {}
    own = []
    for file_id in datasets:
        if file_id.startswith(LOCAL_DATA):
            own.append(f"the force's own file {file_id.removeprefix(LOCAL_DATA)}")
        elif file_id not in files:
            raise KeyError(f"source line: {file_id!r} is not a file of {manifest.config.MANIFEST_PATH.name}")
        else:
            seen.setdefault(files[file_id].dataset, files[file_id])
    licences = {f.licence for f in seen.values()}
    parts = [f"{f.publisher}, {f.title}" + ("" if len(licences) == 1 else f" ({f.licence})") for f in seen.values()]
    return ". ".join(parts + own + (sorted(licences) if len(licences) == 1 else []))
