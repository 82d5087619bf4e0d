"""Every export format in one table: what it writes, under which file names, with which writer.

The CLI (`showcase export`) and the site build (the downloads page) both go through
`write_exports`, so a format added here appears in both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import ExportJob


@dataclass(frozen=True)
class Format:
    key: str  # what the CLI and mkdocs.yml call it
    files: tuple[tuple[str, str], ...]  # (file name, downloads-page label key)
    label: str  # the format's name as shown


FORMATS: tuple[Format, ...] = (
    Format("pdf", (("excellent-cases.pdf", "downloads_pdf"),), "PDF"),
    Format("docx", (("excellent-cases.docx", "downloads_docx"),), "Word (DOCX)"),
    Format("xlsx", (("entries.xlsx", "downloads_xlsx"),), "Excel (XLSX)"),
    Format("csv", (("cases.csv", "downloads_csv_cases"), ("competition-sites.csv", "downloads_csv_sites"),
                   ("milestones.csv", "downloads_csv_milestones")), "CSV"),
    Format("json", (("entries.json", "downloads_json"),), "JSON"),
    Format("geojson", (("entries.geojson", "downloads_geojson"),), "GeoJSON"),
)
BY_KEY = {f.key: f for f in FORMATS}


def _writer(key: str, strings) -> Callable[[ExportJob, Path, Callable | None], list[Path]]:
    from . import data

    if key == "pdf":
        from .pdf import write_pdf

        return lambda job, folder, progress: [write_pdf(job, folder / "excellent-cases.pdf", progress=progress, strings=strings)]
    if key == "docx":
        from .docx import write_docx

        return lambda job, folder, progress: [write_docx(job, folder / "excellent-cases.docx", strings, progress=progress)]
    if key == "xlsx":
        return lambda job, folder, progress: [data.write_xlsx(job, folder / "entries.xlsx")]
    if key == "csv":
        return lambda job, folder, progress: data.write_csv(job, folder)
    if key == "json":
        return lambda job, folder, progress: [data.write_json(job, folder / "entries.json")]
    if key == "geojson":
        return lambda job, folder, progress: [data.write_geojson(job, folder / "entries.geojson")]
    raise KeyError(key)


def write_exports(job: ExportJob, keys: list[str], folder: Path, strings,
                  progress: Callable[[str, int, int], None] | None = None) -> dict[str, list[Path]]:
    """Write the formats `keys` into `folder`; `progress(format, done, total)` for long ones."""
    written: dict[str, list[Path]] = {}
    for key in keys:
        report = (lambda done, total, key=key: progress(key, done, total)) if progress else None
        written[key] = _writer(key, strings)(job, folder, report)
    return written
