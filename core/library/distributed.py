"""The same import on a Ray cluster: PDFs read from a folder or an object-store path, parsed
by Ray tasks, written as Parquet datasets partitioned by year, then taken into the library.

Ray is the engine (Ray Data reads the files, schedules the parse and writes Parquet); nothing
here schedules work by hand. Each parse task turns one PDF into the rows of every library
table (:func:`core.library.store.report_rows`), so the driver never parses and never builds a
row itself: it reads the Parquet datasets into DuckDB in one SQL transaction.

Output, under ``OUT`` (default ``<library>/parquet``)::

    reports/report_year=2024/….parquet     one row per report (the exact record as JSON)
    facts/report_year=2024/….parquet       every fact, the same columns as the library's
    checks/ narrative/ scorecards/ metrics/   likewise

``report_year`` is the report's year (0 where none was read). DuckDB reads them directly:
``SELECT * FROM read_parquet('OUT/facts/**/*.parquet', hive_partitioning = true)``.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from core.library.store import ROW_TABLES, Library, sha256_of

_PARTITION = "report_year"


@dataclass(frozen=True, slots=True)
class RayImportResult:
    """What a Ray import did: counts, refusals by kind, and where the Parquet went."""

    imported: int
    """Reports parsed and taken into the library."""
    already: int
    """Files the library held already (by sha256)."""
    refused: dict[str, int] = field(default_factory=dict)
    """Refused files by error kind."""
    parquet: Path | str = ""
    """The folder of the Parquet datasets."""

    def line(self) -> str:
        """The summary in one line, as the process import prints it."""
        n = sum(self.refused.values())
        kinds = "，".join(f"{k} {v}" for k, v in sorted(self.refused.items()))
        tail = f"（{kinds}）" if kinds else ""
        return (
            f"导入 {self.imported} 份，已在库中 {self.already} 份，未能读取 {n} 份{tail} / "
            f"imported {self.imported}, already there {self.already}, refused {n} "
            f"(Ray; Parquet in {self.parquet})"
        )


def _ipc(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _parse_row(row: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """One PDF (a Ray Data row: bytes, path) to its library rows, or its refusal."""
    from core.errors import ReportError
    from core.library.importer import parse_file
    from core.library.store import report_rows

    data: bytes = row["bytes"]
    path: str = row["path"]
    sha = sha256_of(data)
    out: dict[str, Any] = {"path": path, "sha256": sha, "status": "imported", "kind": ""}
    out[_PARTITION] = 0
    for name in ROW_TABLES:
        out[name] = b""
    if sha in known:
        out["status"] = "already"
        return out
    try:
        report = parse_file(data, os.path.basename(path))
    except ReportError as exc:
        out["status"], out["kind"] = "refused", exc.kind
        return out
    except Exception:  # a parser bug refuses this file; the run goes on
        out["status"], out["kind"] = "refused", "internal"
        return out
    out[_PARTITION] = report.year or 0
    for name, table in report_rows(report).items():
        out[name] = _ipc(table)
    return out


def _rows_of(name: str) -> Callable[[pa.Table], pa.Table]:
    """A batch of parsed rows to the rows of one library table, with the partition column."""

    def explode(batch: pa.Table) -> pa.Table:
        tables = []
        for blob, year in zip(
            batch.column(name).to_pylist(), batch.column(_PARTITION).to_pylist(), strict=True
        ):
            if not blob:
                continue
            t = pa.ipc.open_stream(blob).read_all()
            tables.append(t.append_column(_PARTITION, pa.array([year] * t.num_rows, pa.int32())))
        if not tables:
            return pa.table({_PARTITION: pa.array([], pa.int32())})
        return pa.concat_tables(tables)

    return explode


def run_on_ray(
    paths: Sequence[str],
    out: str,
    *,
    known: frozenset[str] = frozenset(),
) -> tuple[list[dict[str, Any]], str]:
    """Parse every PDF under ``paths`` on the connected Ray cluster and write the Parquet
    datasets under ``out``. Returns each file's (path, sha256, status, kind) and ``out``."""
    import ray

    with warnings.catch_warnings():
        # Ray's own context warns about its own deprecated default (Ray 2.60)
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False  # the command line draws its own bar
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    ds = ray.data.read_binary_files(list(paths), include_paths=True, file_extensions=["pdf"])
    parsed = ds.map(functools.partial(_parse_row, known=known)).materialize()
    status = parsed.select_columns(["path", "sha256", "status", "kind"]).take_all()
    from ray.data.expressions import col

    good = parsed.filter(expr=col("status") == "imported")
    if good.count():
        for name in ROW_TABLES:
            good.map_batches(_rows_of(name), batch_format="pyarrow").write_parquet(
                f"{out}/{name}", partition_cols=[_PARTITION]
            )
    return status, out


def ingest_parquet(library: Library, out: str) -> int:
    """Take the Parquet datasets under ``out`` into the library in one transaction (reports
    already there are left as they are). Returns how many reports were added."""
    tables = [n for n in ROW_TABLES if Path(out, n).exists()]
    if "reports" not in tables:
        return 0
    with library.connect() as con:
        con.begin()
        try:
            src = "read_parquet(?, hive_partitioning = true, union_by_name = true)"
            con.execute(
                f"CREATE TEMP TABLE new_shas AS SELECT DISTINCT sha256 FROM {src} "
                "WHERE sha256 NOT IN (SELECT sha256 FROM reports)",
                [f"{out}/reports/**/*.parquet"],
            )
            row = con.execute("SELECT count(*) FROM new_shas").fetchone()
            added = int(row[0]) if row else 0
            for name in tables:
                con.execute(
                    f"INSERT INTO {name} BY NAME SELECT * EXCLUDE ({_PARTITION}) FROM {src} "
                    "WHERE sha256 IN (SELECT sha256 FROM new_shas)",
                    [f"{out}/{name}/**/*.parquet"],
                )
            Library._bump(con)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return added


def _keep_pdfs(library: Library, status: list[dict[str, Any]]) -> None:
    """Copy each imported PDF into the library's content-addressed store (for a re-parse)."""
    import pyarrow.fs as pafs

    for s in status:
        if s["status"] != "imported":
            continue
        path = s["path"]
        if os.path.exists(path):
            data = Path(path).read_bytes()
        else:  # an object-store path: read it through pyarrow's file systems
            fs, inner = pafs.FileSystem.from_uri(path)
            with fs.open_input_stream(inner) as f:
                data = f.read()
        library._keep_pdf(s["sha256"], data, os.path.basename(path))


def import_with_ray(
    library: Library,
    paths: Sequence[str | Path],
    *,
    address: str = "local",
    out: str | Path | None = None,
    num_cpus: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> RayImportResult:
    """Import on Ray: ``address`` ``local`` starts a Ray on this machine (``num_cpus``),
    anything else is passed to ``ray.init`` (``ray://host:10001``, ``auto``)."""
    import ray

    import core

    target = str(out) if out is not None else str(library.folder / "parquet")
    started = False
    if not ray.is_initialized():
        # the parse code travels with the job, so a cluster needs no copy of this project
        runtime = {"py_modules": [os.path.dirname(core.__file__)]}
        if address == "local":
            ray.init(
                num_cpus=num_cpus,
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.WARNING,
                runtime_env=runtime,
            )
        else:
            ray.init(
                address=address,
                log_to_driver=False,
                logging_level=logging.WARNING,
                runtime_env=runtime,
            )
        started = True
    try:
        with library.connect() as con:
            known = frozenset(r[0] for r in con.execute("SELECT sha256 FROM reports").fetchall())
        sources = [str(p) if "://" in str(p) else str(Path(p).resolve()) for p in paths]
        if progress is not None:
            progress(0, 1, "Ray")
        status, target = run_on_ray(sources, target, known=known)
        _keep_pdfs(library, status)
        ingest_parquet(library, target)
        if progress is not None:
            progress(1, 1, "")
    finally:
        if started:
            ray.shutdown()
    counts = Counter(s["status"] for s in status)
    refused = Counter(s["kind"] for s in status if s["status"] == "refused")
    return RayImportResult(
        imported=counts["imported"],
        already=counts["already"],
        refused=dict(refused),
        parquet=target,
    )
