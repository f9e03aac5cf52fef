"""The command line: ``python -m core parse FILE.pdf --format json``, ``python -m core brief
FILE.pdf [--one-page] --out DIR``; ``import`` and ``library`` for the report library.

Bad input prints one line ``error[KIND]: 中文 / English`` on standard error and exits 2;
nothing reaches standard output and no traceback is shown.

Every parse runs in a worker process with hard memory and time limits (:mod:`core.jobs`);
``--no-isolate`` (or ``JUESUAN_ISOLATE=0``) parses in this process, for tests and benchmarks.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import NotPdfError, ReportError
from core.library.errors import LibraryError

if TYPE_CHECKING:
    from core.library.store import Library
    from core.records import Report

EXIT_BAD_INPUT = 2


def _read(path: Path) -> bytes:
    """The file's bytes; a file that cannot be read is reported as not a PDF."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise NotPdfError(
            f"无法读取文件 {str(path)!r}（{exc.strerror}）",
            f"cannot read file {str(path)!r} ({exc.strerror})",
        ) from None


def _report(args: argparse.Namespace) -> Report:
    """The file's report, parsed in a limited worker unless ``--no-isolate``."""
    from core import jobs

    path = Path(args.file)
    return jobs.parse(_read(path), path.name, isolate=False if args.no_isolate else None)


def _parse(args: argparse.Namespace) -> int:
    from core.accounts.contract import report_json

    report = _report(args)
    if args.format == "json":
        sys.stdout.write(report_json(report) + "\n")
    else:
        from core.accounts.checks import summarize

        counts = summarize(report.checks)
        print(
            f"{report.unit} {report.year} {report.scope}  ({report.pages} 页, 单位 {report.source_unit},"
            f" 表套 {report.template})"
        )
        for t in report.tables:
            n = len(report.facts_of(t.id))
            print(
                f"  {t.id} {t.title:<28} 页 {','.join(map(str, t.pages)):<8} {n} 项"
                + ("  (无数据)" if t.empty else "")
            )
        print(
            f"  核验: {counts['passed']} 通过, {counts['rounding']} 尾差, {counts['failed']} 未通过, {counts['missing']} 缺表"
        )
        if report.text_source != "text":
            from core.accounts.correct import ocr_counts

            ocr = ocr_counts(report)
            print(
                f"  扫描件，经 OCR 读取 ({report.text_source}): {ocr['ocr']} 个数字, "
                f"{ocr['corrected']} 个经核验校正, {ocr['uncertain']} 个存疑"
            )
    return 0


def _brief(args: argparse.Namespace) -> int:
    from core.present import export
    from core.present.brief import write_brief, write_one_page_files

    report = _report(args)
    write = write_one_page_files if args.one_page else write_brief
    try:
        written = write(report, Path(args.out))
    except export.ExportUnavailable as exc:
        print(f"error[export_unavailable]: {exc.message_zh} / {exc.message_en}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(
            f"error[cannot_write]: 无法写入 {args.out!r}（{exc.strerror}） / "
            f"cannot write to {args.out!r} ({exc.strerror})",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    finally:
        export.stop()
    for out in written:
        print(out)
    return 0


class _Bar:
    """A one-line progress bar on standard error: ``[#####-----] 12/50 file.pdf``."""

    def __init__(self, width: int = 30) -> None:
        self.width = width
        self.drawn = False

    def __call__(self, done: int, total: int, name: str) -> None:
        filled = self.width * done // total if total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        tail = Path(name.rsplit(":", 1)[-1]).name[:40] if name else ""
        sys.stderr.write(f"\r[{bar}] {done}/{total} {tail:<40}")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")


def _library(args: argparse.Namespace) -> Library:
    from core.library import open_library

    return open_library(args.library)


def _import(args: argparse.Namespace) -> int:
    from core.library.importer import import_paths

    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(f"error[not_found]: 找不到 {p!r} / no such file or folder {p!r}", file=sys.stderr)
    paths = [p for p in args.paths if Path(p).exists()]
    if args.ray:
        from core.library.distributed import import_with_ray

        lib = _library(args)
        result = import_with_ray(lib, paths, address=args.ray, progress=_Bar())
        print(result.line())
        return 0 if not missing else EXIT_BAD_INPUT
    lib = _library(args)
    bar = _Bar() if not args.quiet else None
    try:
        summary = import_paths(lib, paths, workers=max(1, args.workers), progress=bar)
    finally:
        if bar is not None:
            bar.close()
    for o in summary.refused:
        print(f"refused[{o.kind}]: {o.name}: {o.message}", file=sys.stderr)
    print(summary.line())
    return 0 if not missing else EXIT_BAD_INPUT


def _list(args: argparse.Namespace) -> int:
    import json

    lib = _library(args)
    if args.reparse:
        bar = _Bar()
        refused = lib.reparse(progress=bar)
        bar.close()
        for sha, kind in refused.items():
            print(f"reparse refused[{kind}]: {sha}", file=sys.stderr)
    if args.rebuild:
        bar = _Bar()
        lib.rebuild(progress=bar)
        bar.close()
    if args.remove:
        for sha in args.remove:
            if not lib.remove(sha):
                print(f"error[not_found]: 库中没有 {sha!r} / not in the library", file=sys.stderr)
                return EXIT_BAD_INPUT
    keys = ("unit", "year", "scope", "template", "sha256", "pages", "problems", "failed",
            "missing", "file_name", "parser_version")  # fmt: skip
    rows = [{k: r[k] for k in keys} for r in lib.listing_rows()]
    if args.format == "json":
        sys.stdout.write(
            json.dumps({"library": str(lib.folder), "reports": rows}, ensure_ascii=False, indent=2)
            + "\n"
        )
    else:
        print(f"报告库 {lib.folder}：{len(rows)} 份")
        for r in rows:
            print(
                f"  {r['sha256'][:12]}  {r['year'] or '----'}  {r['scope']}  {r['unit']}"
                f"  {r['pages']} 页  问题 {r['problems']}"
            )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m core", description="决算看板 command line")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse a 决算 report PDF")
    p.add_argument("file")
    p.add_argument("--format", choices=["json", "text"], default="text")
    p.set_defaults(run=_parse)
    b = sub.add_parser("brief", help="write a briefing pack (PPTX, PDF, XLSX) for a report")
    b.add_argument("file")
    b.add_argument("--out", default=".")
    b.add_argument(
        "--one-page",
        action="store_true",
        help="write the one-page A4 summary (一页纸, PDF and PNG) instead of the pack",
    )
    b.set_defaults(run=_brief)
    for command in (p, b):
        command.add_argument(
            "--no-isolate",
            action="store_true",
            help="parse in this process, without the worker's memory and time limits",
        )
    lib_help = "library folder (default $JUESUAN_LIBRARY, else ~/.local/share/juesuan)"
    i = sub.add_parser("import", help="import reports (PDFs, folders, ZIPs) into the library")
    i.add_argument("paths", nargs="+")
    i.add_argument("--library", default=None, help=lib_help)
    i.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    i.add_argument(
        "--ray",
        default=None,
        metavar="ADDRESS",
        help="parse on a Ray cluster ('local' for a local one)",
    )
    i.add_argument("--quiet", action="store_true", help="no progress bar")
    i.set_defaults(run=_import)
    lst = sub.add_parser("library", help="list the reports in the library")
    lst.add_argument("--library", default=None, help=lib_help)
    lst.add_argument("--format", choices=["json", "text"], default="text")
    lst.add_argument("--remove", nargs="+", metavar="SHA256", help="take reports out")
    lst.add_argument(
        "--reparse",
        action="store_true",
        help="read reports stored by an older parser again from their PDFs",
    )
    lst.add_argument(
        "--rebuild", action="store_true", help="read every stored PDF into the database again"
    )
    lst.set_defaults(run=_list)
    args = parser.parse_args(argv)
    # what the worker machinery logs (a worker that died, say) is for a server's log; here the
    # one error line says it all
    logging.getLogger("core").addHandler(logging.NullHandler())
    try:
        return int(args.run(args))
    except ReportError as exc:
        print(exc.line(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except LibraryError as exc:
        print(exc.line(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
