"""The command line: ``python -m core parse FILE.pdf --format json``.

Bad input prints one line ``error[KIND]: 中文 / English`` on standard error and exits 2;
nothing reaches standard output and no traceback is shown.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.errors import NotPdfError, ReportError

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


def _parse(args: argparse.Namespace) -> int:
    from core.accounts.contract import report_json
    from core.accounts.parse import parse_report_bytes

    path = Path(args.file)
    report = parse_report_bytes(_read(path), file_name=path.name)
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
    from core.accounts.parse import parse_report_bytes
    from core.present import export
    from core.present.brief import write_brief

    path = Path(args.file)
    report = parse_report_bytes(_read(path), file_name=path.name)
    try:
        written = write_brief(report, Path(args.out))
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
    b.set_defaults(run=_brief)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except ReportError as exc:
        print(exc.line(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
