# profiling wrapper (not committed)
import os, time, cProfile, pstats, io
_t0 = time.perf_counter()
import streamlit as st
import app
_t1 = time.perf_counter()
ctx = st.runtime.scriptrunner.get_script_run_ctx()
sid = ctx.session_id[:6] if ctx else "?"
_c0 = time.thread_time()
prof = cProfile.Profile() if os.environ.get("PROF") else None
if prof: prof.enable()
from core import ui
from core.ui import source as _source
EXP = os.environ.get("EXP", "")
_orig_sidebar = getattr(ui, "_orig_sidebar", ui.sidebar); ui._orig_sidebar = _orig_sidebar
_orig_run = getattr(ui, "_orig_run", ui.run_page); ui._orig_run = _orig_run
_orig_kb = getattr(_source, "_orig_kb", _source.kpi_button); _source._orig_kb = _orig_kb
ui.sidebar = _orig_sidebar; ui.run_page = _orig_run; _source.kpi_button = _orig_kb
if "nosidebar" in EXP:
    ui.sidebar = ui._ensure_sample
if "sidebarlast" in EXP:
    ui.sidebar = ui._ensure_sample
    def _run(page):
        _orig_run(page); _orig_sidebar()
    ui.run_page = _run
if "nokpibutton" in EXP:
    _source.kpi_button = lambda *a, **k: None
_orig_table = getattr(st, "_orig_table", st.table); st._orig_table = _orig_table
st.table = _orig_table
if "notable" in EXP:
    st.table = lambda *a, **k: None
try:
    app.main()
finally:
    if prof: prof.disable()
    t2 = time.perf_counter()
    with open("/tmp/appspeed/runs.log", "a") as f:
        f.write(f"{time.time():.3f} start {time.time()-(t2-_t0):.3f} {sid} import {(_t1-_t0)*1000:.0f} ms run {(t2-_t1)*1000:.0f} ms tcpu {(time.thread_time()-_c0)*1000:.0f} ms cpu {time.process_time():.2f}\n")
    if prof:
        s = io.StringIO(); pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(60)
        with open(f"/tmp/appspeed/prof-{time.time():.0f}-{sid}.txt", "w") as f: f.write(s.getvalue())
