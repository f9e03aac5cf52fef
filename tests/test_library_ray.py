"""The import on Ray (a local Ray with two CPUs): the same reports as the process import,
facts written as Parquet partitioned by year, which DuckDB reads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import libdata
import pytest
from conftest import FIXTURES

from core.library import Library
from core.library.distributed import import_with_ray
from core.library.importer import import_paths

pytestmark = pytest.mark.slow


def test_import_on_a_local_ray(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    libdata.write(folder)
    (folder / "scan.pdf").write_bytes((FIXTURES / "error-scanned.pdf").read_bytes())
    lib = Library(tmp_path / "ray")
    result = import_with_ray(lib, [folder], address="local", num_cpus=2)
    assert (result.imported, result.already, result.refused) == (3, 0, {"scanned": 1})

    # the Parquet datasets, partitioned by year, read by DuckDB directly
    facts = Path(result.parquet) / "facts"
    assert sorted(p.name for p in facts.iterdir()) == ["report_year=2022", "report_year=2024"]
    by_year = dict(
        duckdb.sql(
            f"SELECT report_year, count(DISTINCT sha256) FROM read_parquet('{facts}/**/*.parquet',"
            " hive_partitioning = true) GROUP BY ALL"
        ).fetchall()
    )
    assert by_year == {2022: 1, 2024: 2}

    # the library holds what a process import stores, record for record
    plain = Library(tmp_path / "plain")
    import_paths(plain, [folder])
    assert sorted(lib.listing()["sha256"]) == sorted(plain.listing()["sha256"])
    for sha in plain.listing()["sha256"]:
        assert lib.report(sha) == plain.report(sha)
        assert lib.pdf(sha) == plain.pdf(sha)
        n = lib.query("SELECT count(*) AS n FROM facts WHERE sha256 = ?", [sha])["n"].iloc[0]
        assert n == len(plain.report(sha).facts)

    # a second run finds them all there
    again = import_with_ray(lib, [folder], address="local", num_cpus=2)
    assert (again.imported, again.already) == (0, 3)
    assert lib.count() == 3
