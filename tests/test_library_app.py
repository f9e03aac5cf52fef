"""The library pages through AppTest: the app opens on the library, an upload lands in it and
survives a new session after the caches are dropped (a restart), import with refusals,
search, open, remove; 跨年 and 单位对比 show the library's numbers."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import libdata
import pandas as pd
import pytest
import streamlit as st
from conftest import FIXTURES, PUTUO_PDF, ROOT
from libdata import OTHER, UNIT
from streamlit.testing.v1 import AppTest

from core.library import Library

TIMEOUT = 300
SAMPLE_LABEL = "2024 年单位决算 · 福建省12345政务服务便民热线中心"


def start() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def restart() -> AppTest:
    """A new session after the server's caches are gone: only the disk is left."""
    st.cache_resource.clear()
    st.cache_data.clear()
    return start()


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.info, *at.success, *at.warning, *at.error, *at.caption)]
    return "\n".join(str(p) for p in parts)


def import_files(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    uploader = at.file_uploader(key="library_page_import")
    uploader.set_value([(n, d, "application/pdf") for n, d in files]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame_with(at: AppTest, column: str):  # type: ignore[no-untyped-def]
    return next(d.value for d in at.dataframe if column in d.value.columns)


def drawn(reports: tuple[tuple[int, str, int], ...] = libdata.REPORTS) -> list[tuple[str, bytes]]:
    return [(f"{y}-{s}.pdf", libdata.pdf(s, u, y)) for s, u, y in reports]


def test_the_app_opens_on_the_library_and_an_upload_survives_a_restart(
    _own_library: Path,
) -> None:
    at = start()
    assert at.selectbox(key="juesuan_current").options == [SAMPLE_LABEL]
    assert Library(_own_library).count() == 1  # the sample is in the library
    at.file_uploader(key="pdf").upload(PUTUO_PDF.name, PUTUO_PDF.read_bytes()).run()
    assert len(at.selectbox(key="juesuan_current").options) == 2
    later = restart()
    options = later.selectbox(key="juesuan_current").options
    assert len(options) == 2 and SAMPLE_LABEL in options
    assert later.session_state["juesuan_current"]  # a report is shown at once
    assert later.metric  # 总览's cards


def test_a_removed_sample_does_not_come_back(_own_library: Path) -> None:
    start()
    lib = Library(_own_library)
    (sha,) = lib.listing()["sha256"]
    lib.remove(sha)
    at = restart()
    assert lib.count() == 0
    assert "还没有载入报告" in texts(at)


def test_import_search_open_and_remove(_own_library: Path) -> None:
    at = go(start(), "library")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("scan.pdf", (FIXTURES / "error-scanned.pdf").read_bytes())
        z.writestr("other.pdf", libdata.pdf(*libdata.REPORTS[2]))
    files = [*drawn(libdata.REPORTS[:2]), ("batch.zip", archive.getvalue())]
    import_files(at, files)
    said = texts(at)
    assert "导入 3 份，已在库中 0 份，未能读取 1 份（扫描件 1）" in said
    lib = Library(_own_library)
    assert lib.count() == 4
    table = at.dataframe(key="library_table").value
    assert sorted(set(table["单位"])) == sorted({UNIT, OTHER, "福建省12345政务服务便民热线中心"})
    # search
    at.text_input(key="library_search").input("生态环境").run()
    assert list(at.dataframe(key="library_table").value["单位"]) == [OTHER]
    # open it: 总览 shows it
    at.button(key="library_open").click().run()
    assert not at.exception
    assert at.title[0].value == OTHER
    # remove it
    at = go(at, "library")
    at.text_input(key="library_search").input("生态环境").run()
    at.checkbox(key="library_confirm_remove").check().run()
    at.button(key="library_remove").click().run()
    assert not at.exception
    assert lib.count() == 3
    assert OTHER not in set(lib.listing()["unit"])


def test_across_years_page(_own_library: Path) -> None:
    at = go(start(), "library")
    import_files(at, drawn())
    at = go(at, "years")
    unit = at.selectbox(key="years_unit")
    assert any(UNIT in o for o in unit.options)
    from core.library import unit_key

    unit.set_value(unit_key(UNIT)).run()
    assert not at.exception
    assert "2023 年没有本年报告" in texts(at) or "2021、2023 年没有本年报告" in texts(at)
    wide = next(d.value for d in at.dataframe if "本年收入" in d.value.index)
    income_2024 = libdata.fact(*libdata.REPORTS[1], "公开01", "本年收入合计", "决算数")
    assert wide.loc["本年收入", 2024] == income_2024
    assert wide.loc["本年收入", 2023] == libdata.spec(*libdata.REPORTS[1]).narrative.prev_income


def test_across_years_opens_on_the_report_shown(_own_library: Path) -> None:
    """跨年 opens on the unit of the report the sidebar shows, not on the first unit by name
    (seen at 1280×720: with 普陀 shown, it opened on 上海市XX局)."""
    at = go(start(), "library")
    import_files(at, drawn())
    from core.library import unit_key

    for unit in (UNIT, OTHER):
        at.text_input(key="library_search").input(unit).run()
        at.button(key="library_open").click().run()
        assert at.title[0].value == unit
        at = go(at, "years")
        assert at.selectbox(key="years_unit").value == unit_key(unit)
        at = go(at, "library")


def test_compare_page(_own_library: Path) -> None:
    at = go(start(), "library")
    import_files(at, drawn())
    at = go(at, "compare")
    assert at.selectbox(key="compare_year").value == 2024
    table = frame_with(at, "本年收入")
    assert set(table["单位"]) == {UNIT, OTHER, "福建省12345政务服务便民热线中心"}
    for seed, unit, year in libdata.REPORTS[1:]:
        row = table.loc[table["单位"] == unit].iloc[0]
        assert row["本年收入"] == libdata.fact(seed, unit, year, "公开01", "本年收入合计", "决算数")
    # sorted by the chosen figure, largest first, units without it last
    at.selectbox(key="compare_metric").set_value("本年支出").run()
    spent = [v for v in frame_with(at, "本年支出")["本年支出"] if v is not None]
    assert spent == sorted(spent, reverse=True)
    labels = [b.label for b in at.download_button]
    assert "下载 Excel" in labels


@pytest.mark.parametrize("page", ["library", "years", "compare"])
def test_library_pages_with_an_empty_library(page: str, _own_library: Path) -> None:
    at = start()
    lib = Library(_own_library)
    for sha in lib.listing()["sha256"]:
        lib.remove(sha)
    at = go(at, page)
    assert not at.error
    assert at.info  # says the library is empty, in words


def test_a_damaged_library_is_said_plainly_and_the_app_goes_on(_own_library: Path) -> None:
    start()
    db = _own_library / "library.duckdb"
    db.write_bytes(b"not a database" * 1000)
    at = restart()
    assert "报告库文件" in texts(at) and "已损坏" in texts(at)
    assert list(_own_library.glob("library.duckdb.corrupt-*"))  # the backup is kept
    assert at.button(key="library_rebuild")
    at.button(key="library_rebuild").click().run()
    assert not at.exception
    assert Library(_own_library).count() == 1  # the sample, read again from its stored PDF


def test_a_parser_change_is_read_again_at_the_next_start(
    _own_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import core.library.store as store

    start()
    lib = Library(_own_library)
    assert list(lib.listing()["parser_version"]) == [store.PARSER_VERSION]
    monkeypatch.setattr(store, "PARSER_VERSION", store.PARSER_VERSION + 1)
    assert len(lib.stale()) == 1
    at = restart()
    assert not at.exception
    assert lib.stale() == []
    assert list(lib.listing()["parser_version"]) == [store.PARSER_VERSION]
    assert at.metric  # and the report is shown


def test_a_blank_template_is_not_listed_as_free_of_problems(_own_library: Path) -> None:
    """The blank template reads no amount, so nothing was checked: its 问题 is empty (said in
    the caption), not the 0 a report that passed every check shows; the filters speak Chinese."""
    template = PUTUO_PDF.parent / "bumen-juesuan-template-2024.pdf"
    at = go(start(), "library")
    import_files(at, [(template.name, template.read_bytes())])
    table = at.dataframe(key="library_table").value.set_index("文件")
    assert pd.isna(table.loc[template.name, "问题"])
    assert table.loc["fujian-12345-2024-danwei-juesuan.pdf", "问题"] == 0
    assert "未作核验" in texts(at)
    assert at.multiselect(key="library_years").placeholder == "全部年度"
    # 单位对比: the same
    frame = frame_with(go(at, "compare"), "问题").set_index("单位")
    assert pd.isna(frame.loc["上海市XX局", "问题"])
    assert frame.loc["福建省12345政务服务便民热线中心", "问题"] == 0


# -- read before the server listens (serve.py) --------------------------------------------------


def test_the_first_tab_finds_its_report_read_before_the_server_listened(
    _own_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve.py reads the library before the first tab: the report the tab opens on is
    decoded then, and the tab decodes nothing more; nothing is written by the warm-up."""
    from core.library import store
    from core.ui import library as library_ui

    start()  # the sample goes in (a first start)
    st.cache_resource.clear()
    st.cache_data.clear()
    lib = Library(_own_library)
    generation = lib.generation()
    sha = library_ui.warm_up()
    assert sha == str(lib.listing()["sha256"].iloc[0])
    assert lib.generation() == generation  # read only
    decoded: list[str] = []
    real = store.Library.report

    def report(self: store.Library, which: str):  # type: ignore[no-untyped-def]
        decoded.append(which)
        return real(self, which)

    monkeypatch.setattr(store.Library, "report", report)
    at = start()
    assert at.metric  # 总览's cards, of the report read ahead
    assert decoded == []


def test_the_first_tab_after_the_warm_up_opens_no_connection_and_an_import_is_seen(
    _own_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After serve.py's warm-up the first tab reads the library from what the warm-up kept
    (no DuckDB connection, tens of milliseconds each on a busy machine); a report another
    process imports afterwards is in the next tab's switcher all the same."""
    from core.library import store
    from core.library.importer import import_sources
    from core.ui import library as library_ui

    start()  # the sample goes in (a first start)
    st.cache_resource.clear()
    st.cache_data.clear()
    store._MEMO.clear()  # a new server process: nothing remembered yet
    # the files were written a moment ago; a server starts on files left alone for longer
    monkeypatch.setattr(store, "SETTLED_SECONDS", 0)
    assert library_ui.warm_up()
    opened: list[str] = []
    real = store.Library._open

    def counting_open(self: store.Library):  # type: ignore[no-untyped-def]
        opened.append(str(self.db_path))
        return real(self)

    monkeypatch.setattr(store.Library, "_open", counting_open)
    at = start()
    assert at.metric and at.selectbox(key="juesuan_current").options == [SAMPLE_LABEL]
    assert opened == []
    # another process (the command line) imports a report: the memo and the listing's cache
    # are keyed on the file's stamp and the generation, so the next tab lists it
    monkeypatch.setattr(store.Library, "_open", real)
    seed, unit, year = libdata.REPORTS[2]
    import_sources(Library(_own_library), [(f"{year}-{seed}.pdf", libdata.pdf(seed, unit, year))])
    later = start()
    assert len(later.selectbox(key="juesuan_current").options) == 2
    assert any(unit in option for option in later.selectbox(key="juesuan_current").options)


def test_a_damaged_library_met_before_the_server_listened_is_told_to_the_first_tab(
    _own_library: Path,
) -> None:
    start()
    (_own_library / "library.duckdb").write_bytes(b"not a database" * 1000)
    st.cache_resource.clear()
    st.cache_data.clear()
    from core.ui import library as library_ui

    assert library_ui.warm_up() is None
    assert list(_own_library.glob("library.duckdb.corrupt-*"))  # moved aside by the opening
    at = start()
    assert "报告库文件" in texts(at) and "已损坏" in texts(at)
    assert at.button(key="library_rebuild")
    assert "已损坏" not in texts(start())  # told once
