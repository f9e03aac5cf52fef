"""Hostile PDFs, built with pikepdf: small files that cost a reader gigabytes or minutes.

Each kind is one that issue 9 saw take the server down when parsed inside it:

- ``glyphs``: one page drawing 2 million glyphs (~1.1 KB and 18 µs a glyph in pdfminer);
- ``tounicode_bomb``: a font whose /ToUnicode FlateDecode stream inflates to 1 GiB;
- ``contents_bomb``: the same 1 GiB stream as a page's contents;
- ``contents_refs``: a page whose /Contents array holds 200,000 references;
- ``many_pages``: 1,008 pages of text;
- ``noop_ops``: a page of 50,000 no-op operators.

    python bench/hostile.py OUT_DIR          # write them all
    python bench/hostile.py --measure        # what each costs parsed in-process and isolated
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GIB = 1 << 30


def _inflating_to(size: int, unit: bytes = b" ") -> bytes:
    """FlateDecode data that inflates to ``size`` bytes of ``unit`` (built a MiB at a time)."""
    comp = zlib.compressobj(9)
    chunk = unit * ((1 << 20) // len(unit))
    out = [comp.compress(chunk) for _ in range(size // len(chunk))]
    out.append(comp.flush())
    return b"".join(out)


def _pdf_with_page(content: bytes | None = None, *, font: object | None = None) -> object:
    import pikepdf

    pdf = pikepdf.new()
    helv = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(
            Font=pikepdf.Dictionary(F1=font if font is not None else helv)
        ),
    )
    if content is not None:
        page.Contents = pikepdf.Stream(pdf, content)
    pdf.pages.append(pikepdf.Page(page))
    return pdf


def _save(pdf: object, path: Path) -> Path:
    pdf.save(path, compress_streams=True)  # type: ignore[attr-defined]
    return path


def glyphs(path: Path, n: int = 2_000_000) -> Path:
    """One page drawing ``n`` glyphs (one Tj of ``n`` characters, rows of 200)."""
    per_row = 200
    line = b"(" + b"A" * per_row + b") Tj 0 -1 Td\n"
    rows = [b"BT /F1 1 Tf 20 800 Td\n", line * (n // per_row), b"ET\n"]
    return _save(_pdf_with_page(b"".join(rows)), path)


def _bomb_stream(pdf: object, size: int, unit: bytes) -> object:
    import pikepdf

    stream = pikepdf.Stream(pdf, b"")  # type: ignore[arg-type]
    stream.write(_inflating_to(size, unit), filter=pikepdf.Name.FlateDecode)
    return stream


def tounicode_bomb(path: Path, size: int = GIB) -> Path:
    """A page of text whose font's /ToUnicode CMap inflates to ``size`` bytes."""
    import pikepdf

    pdf = _pdf_with_page(b"BT /F1 12 Tf 72 720 Td (Hello world 2024) Tj ET")
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    font.ToUnicode = _bomb_stream(pdf, size, b"<00> <0041>\n")
    pdf.pages[0].Resources.Font.F1 = pdf.make_indirect(font)  # type: ignore[attr-defined]
    return _save(pdf, path)


def fontfile_bomb(path: Path, size: int = GIB) -> Path:
    """A page of text whose embedded font program (/FontFile2) inflates to ``size`` bytes.

    No cap of the text layer stops it (a real embedded CJK font runs to 20 MB): PDFium
    inflates it whole, so only the worker's memory limit does. Not among :data:`KINDS`: it
    is the file that tests that limit (tests/test_jobs.py)."""
    import pikepdf

    pdf = _pdf_with_page(b"BT /F1 12 Tf 72 720 Td (Hello world 2024) Tj ET")
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=pikepdf.Name.Foo,
        Flags=32,
        FontBBox=[0, 0, 1000, 1000],
        ItalicAngle=0,
        Ascent=800,
        Descent=-200,
        CapHeight=700,
        StemV=80,
        FontFile2=_bomb_stream(pdf, size, b"\x00\x01\x00\x00"),
    )
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.TrueType,
        BaseFont=pikepdf.Name.Foo,
        FirstChar=32,
        LastChar=126,
        Widths=[500] * 95,
        FontDescriptor=descriptor,
    )
    pdf.pages[0].Resources.Font.F1 = pdf.make_indirect(font)  # type: ignore[attr-defined]
    return _save(pdf, path)


def contents_bomb(path: Path, size: int = GIB) -> Path:
    """A page whose contents stream inflates to ``size`` bytes of spaces."""
    pdf = _pdf_with_page()
    pdf.pages[0].Contents = _bomb_stream(pdf, size, b" ")  # type: ignore[attr-defined]
    return _save(pdf, path)


def contents_refs(path: Path, n: int = 200_000) -> Path:
    """A page whose /Contents array holds ``n`` references to one small stream."""
    import pikepdf

    pdf = _pdf_with_page()
    piece = pdf.make_indirect(pikepdf.Stream(pdf, b"q Q\n"))  # type: ignore[attr-defined]
    pdf.pages[0].Contents = pikepdf.Array([piece] * n)  # type: ignore[attr-defined]
    return _save(pdf, path)


def many_pages(path: Path, n: int = 1008) -> Path:
    """``n`` pages, each with a few lines of text and a ruled box."""
    import pikepdf

    pdf = _pdf_with_page(b"")
    template = pdf.pages[0]  # type: ignore[attr-defined]
    for i in range(n):
        body = b"".join(
            b"BT /F1 10 Tf 72 %d Td (Line %d of page %d: 123,456.78 and 9,876.54) Tj ET\n"
            % (760 - 14 * k, k, i + 1)
            for k in range(40)
        )
        body += b"0.5 w 60 150 470 630 re S\n"
        if i == 0:
            template.Contents = pikepdf.Stream(pdf, body)
        else:
            page = pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, 595, 842],
                Resources=template.Resources,
                Contents=pikepdf.Stream(pdf, body),
            )
            pdf.pages.append(pikepdf.Page(page))  # type: ignore[attr-defined]
    return _save(pdf, path)


def noop_ops(path: Path, n: int = 50_000) -> Path:
    """A page of ``n`` no-op operators (save and restore the graphics state, in pairs)."""
    content = b"BT /F1 12 Tf 72 720 Td (Hello world 2024) Tj ET\n" + b"q Q\n" * (n // 2)
    return _save(_pdf_with_page(content), path)


#: Every kind, by name.
KINDS: dict[str, Callable[[Path], Path]] = {
    "glyphs": glyphs,
    "tounicode_bomb": tounicode_bomb,
    "contents_bomb": contents_bomb,
    "contents_refs": contents_refs,
    "many_pages": many_pages,
    "noop_ops": noop_ops,
}


def build_all(out: Path) -> dict[str, Path]:
    """Write every kind into ``out``; name → path."""
    out.mkdir(parents=True, exist_ok=True)
    return {name: make(out / f"hostile-{name}.pdf") for name, make in KINDS.items()}


# -- measuring: the cost parsed in the server's process, and isolated ----------------------------

#: One parse as the server does it: in its own process (before) or through the worker (after).
#: Prints the outcome, the process's own peak RSS and its children's (the worker's), in MB.
_PROBE = """
import resource, sys, time
sys.path.insert(0, {root!r})
data = open({path!r}, "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    if {isolated!r}:
        from core.jobs import parse_isolated
        parse_isolated(data, "x.pdf")
    else:
        from core.accounts.parse import parse_report_bytes
        parse_report_bytes(data, file_name="x.pdf")
    outcome = "ok"
except Exception as exc:
    outcome = getattr(exc, "kind", type(exc).__name__)
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(outcome, base // 1024, own, kids)
"""


def _probe(path: Path, isolated: bool, timeout: float, memory_cap: int) -> dict[str, object]:
    """Run one probe; a probe past ``timeout`` is killed (and its peak read by wait4)."""
    code = _PROBE.format(root=str(ROOT), path=str(path), isolated=isolated)
    with tempfile.TemporaryFile() as out:
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", code],
            stdout=out,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            # a safety net for the machine (this script runs one thread, so preexec_fn is safe)
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap)),
        )
        usage = None
        while usage is None:
            pid, _status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                usage = ru
            elif time.monotonic() - start > timeout:
                proc.kill()
                _, _, usage = os.wait4(proc.pid, 0)
            else:
                time.sleep(0.1)
        proc.returncode = 0
        seconds = time.monotonic() - start
        out.seek(0)
        said = out.read().decode().split()
    peak_tree = usage.ru_maxrss // 1024
    if len(said) == 4:
        outcome, base, own, kids = said[0], int(said[1]), int(said[2]), int(said[3])
    else:
        outcome, base, own, kids = (
            f"killed at {timeout:.0f} s" if seconds >= timeout else "died",
            0,
            peak_tree,
            0,
        )
    return {
        "outcome": outcome,
        "seconds": round(seconds, 1),
        # the probe and the worker it started, user + system: the machine is shared
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "server_peak_mb": own,
        "server_growth_mb": own - base if base else None,
        "worker_peak_mb": kids,
    }


def measure(out: Path, timeout: float = 130, memory_cap: int = 4 * GIB) -> list[dict[str, object]]:
    """Each kind parsed as the server used to (in its own process; capped at ``memory_cap`` and
    ``timeout`` for the machine's sake) and through the worker (default limits)."""
    rows = []
    for name, path in build_all(out).items():
        row: dict[str, object] = {"kind": name, "file_kb": path.stat().st_size // 1024}
        row["in_process"] = _probe(path, False, timeout, memory_cap)
        row["isolated"] = _probe(path, True, timeout, memory_cap)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return rows


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--measure":
        measure(Path(tempfile.mkdtemp(prefix="hostile-")))
    elif len(sys.argv) == 2:
        for name, p in build_all(Path(sys.argv[1])).items():
            print(f"{name:<16} {p}  {p.stat().st_size // 1024} KB")
    else:
        print(__doc__)
