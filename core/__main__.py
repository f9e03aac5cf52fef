"""The command line: ``python -m core parse FILE.pdf --format json``, ``python -m core brief
FILE.pdf [--one-page] --out DIR``.

Bad input prints one line ``error[KIND]: 中文 / English`` on standard error and exits 2;
nothing reaches standard output and no traceback is shown.

Every parse runs in a worker process with hard memory and time limits (:mod:`core.jobs`);
``--no-isolate`` (or ``JUESUAN_ISOLATE=0``) parses in this process, for tests and benchmarks.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import NotPdfError, ReportError

if TYPE_CHECKING:
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
    args = parser.parse_args(argv)
    # what the worker machinery logs (a worker that died, say) is for a server's log; here the
    # one error line says it all
    logging.getLogger("core").addHandler(logging.NullHandler())
    try:
        return int(args.run(args))
    except ReportError as exc:
        print(exc.line(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
