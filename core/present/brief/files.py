"""The pack's files: safe file names, the three files as bytes, and writing them to a folder."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

from core.present import export
from core.present.brief.pdf import write_pdf
from core.present.brief.pptx import write_pptx
from core.present.brief.slides import Progress, build_brief
from core.present.brief.workbook import write_workbook
from core.records import Report

# -- files --------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\s]+')


def file_stem(report: Report, name: str) -> str:
    """``<unit>_<year>_<name>``, safe as a file name on Windows, macOS and Linux."""
    stem = export.file_stem(report, name)
    stem = _UNSAFE.sub("", stem).strip(".")[:120]
    return stem or f"决算报告_{name}"


#: The pack's steps after its charts are drawn, as the progress bar names them.
WRITING_STEPS = ("正在写 PPT", "正在写 PDF", "正在写 Excel")


def brief_files(
    report: Report,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    images: Mapping[str, bytes] | None = None,
    keep: Callable[[str, bytes], None] | None = None,
) -> list[tuple[str, bytes, str]]:
    """The pack's three files as (file name, bytes, MIME type): PPTX, PDF, XLSX.

    The brief is built once, so the PPTX and the PDF show the same slides. ``images``: chart
    images drawn before for this same report, by chart key (the rest are drawn here, each
    handed to ``keep`` as it is drawn).
    ``progress`` is told (steps done, steps in all, what is being done): one step per chart,
    then one per file.
    """
    charts = 0

    def drawing(done: int, total: int, what: str) -> None:
        nonlocal charts
        charts = total
        if progress is not None:
            progress(done, total + len(WRITING_STEPS), what)

    def writing(step: int) -> None:
        if progress is not None:
            progress(charts + step, charts + len(WRITING_STEPS), WRITING_STEPS[step])

    brief = build_brief(report, today=today, progress=drawing, images=images, keep=keep)
    deck = file_stem(report, "简报")
    writing(0)
    pptx = write_pptx(brief)
    writing(1)
    pdf = write_pdf(brief)
    writing(2)
    xlsx = write_workbook(report)
    return [
        (
            f"{deck}.pptx",
            pptx,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (f"{deck}.pdf", pdf, "application/pdf"),
        (
            f"{file_stem(report, '数据')}.xlsx",
            xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ]


def write_brief(report: Report, out_dir: Path) -> list[Path]:
    """Write ``<unit>_<year>_简报.pptx``, ``…_简报.pdf`` and ``…_数据.xlsx``; return their paths.

    Raises :class:`core.present.export.ExportUnavailable` (nothing written) when charts cannot be drawn.
    """
    files = brief_files(report)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data, _mime in files:
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths
