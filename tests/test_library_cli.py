"""The command line of the library: ``import`` (exit status, summary, refusals by kind,
re-import) and ``library --format json``."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import libdata
from conftest import FIXTURES, ROOT, SAMPLE_PDF


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_import_a_folder_a_zip_and_files_then_list_them(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    libdata.write(folder, libdata.REPORTS[:2])
    archive = tmp_path / "more.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("reports/other.pdf", libdata.pdf(*libdata.REPORTS[2]))
        z.writestr("reports/notes.txt", "not a report")
        z.write(FIXTURES / "error-scanned.pdf", "reports/scan.pdf")
    lib = tmp_path / "lib"
    run = cli(
        "import", str(folder), str(archive), str(SAMPLE_PDF), str(FIXTURES / "error-not_pdf.pdf"),
        "--library", str(lib), "--workers", "2",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "导入 4 份，已在库中 0 份，未能读取 2 份（not_pdf 1，scanned 1）" in run.stdout
    assert "imported 4, already there 0, refused 2" in run.stdout
    assert "refused[scanned]" in run.stderr and "scan.pdf" in run.stderr
    assert "4/6" in run.stderr or "6/6" in run.stderr  # the progress bar counted the files

    again = cli("import", str(folder), str(SAMPLE_PDF), "--library", str(lib), "--quiet")
    assert again.returncode == 0
    assert "导入 0 份，已在库中 3 份，未能读取 0 份" in again.stdout

    listed = cli("library", "--library", str(lib), "--format", "json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    rows = {(r["unit"], r["year"]) for r in data["reports"]}
    assert rows == {
        (libdata.UNIT, 2022),
        (libdata.UNIT, 2024),
        (libdata.OTHER, 2024),
        ("福建省12345政务服务便民热线中心", 2024),
    }
    sample = next(r for r in data["reports"] if r["year"] == 2024 and "12345" in r["unit"])
    assert sample["sha256"] == __import__("hashlib").sha256(SAMPLE_PDF.read_bytes()).hexdigest()
    assert sample["pages"] == 24 and sample["scope"] == "单位决算"
    assert set(sample) >= {"unit", "year", "scope", "template", "sha256", "pages", "problems"}

    removed = cli(
        "library", "--library", str(lib), "--remove", sample["sha256"], "--format", "json"
    )
    assert removed.returncode == 0
    assert len(json.loads(removed.stdout)["reports"]) == 3


def test_a_missing_path_is_named_and_the_rest_imported(tmp_path: Path) -> None:
    run = cli("import", str(tmp_path / "nowhere"), str(SAMPLE_PDF), "--library", str(tmp_path))
    assert run.returncode == 2
    assert "error[not_found]" in run.stderr
    assert "导入 1 份" in run.stdout


def test_a_damaged_library_is_one_plain_line(tmp_path: Path) -> None:
    (tmp_path / "library.duckdb").write_bytes(b"garbage" * 1000)
    run = cli("library", "--library", str(tmp_path))
    assert run.returncode == 2
    assert run.stderr.startswith("error[library_corrupt]: 报告库文件")
    assert "Traceback" not in run.stderr
    backups = list(tmp_path.glob("library.duckdb.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == b"garbage" * 1000
    assert cli("library", "--library", str(tmp_path)).returncode == 0  # a fresh one now
