#!/usr/bin/env python3
"""Typeset the bundled sample report: a re-typeset copy of a real 单位决算.

The text is that of the 2024 单位决算 published by 福建省12345政务服务便民热线中心,
set page for page as the original lays it out (cover, 目录, 单位概况, the nine 公开
tables with ruling lines, the 情况说明, 名词解释 and the 绩效自评表), so the app has a
realistic default sample and the parser a realistic test PDF.

    python tools/make_sample.py            # write sample_data/fujian-12345-2024-danwei-juesuan.pdf
    python tools/make_sample.py --check    # write it, then verify it against the seed text

Layout choices that matter to the parser (it reads word positions with pdfplumber):
every table is a ruled grid; amounts are right-aligned strings; cells have 4 pt of
padding so no word of one cell runs into its neighbour's; narrow name cells wrap
exactly where the published text wraps (公开03) or where the column width makes them
(公开04, 公开06); 公开04 and 公开06 continue on a second page with title and header
repeated, where the original breaks them.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "sample_data" / "fujian-12345-2024-danwei-juesuan.pdf"
DEFAULT_SEED = Path("/work/shared/seed/000_db642597a6a6c58e.txt")
FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT = "WQY"

UNIT = "福建省 12345 政务服务便民热线中心"
NOTE = (
    "据福建省12345政务服务便民热线中心公开的2024年度单位决算重新排版 "
    "(re-typeset copy of the published report)"
)
TITLE = "福建省12345政务服务便民热线中心2024年度单位决算"

PAGE_W, PAGE_H = A4
# Body pages use Word's default A4 margins; table pages are set wider, as WPS users do.
BODY_MARGINS = dict(left=90, right=90, top=72, bottom=72)
TABLE_MARGINS = dict(left=45, right=45, top=50, bottom=56)

TABLE_FONT_SIZE = 9
CELL_PAD = 4

# Where each 公开 table is printed (1-based PDF pages), as in the original's 目录.
EXPECTED_TABLE_PAGES = {
    "01": [5],
    "02": [6],
    "03": [7],
    "04": [8, 9],
    "05": [10],
    "06": [11, 12],
    "07": [13],
    "08": [14],
    "09": [15],
}
# Headings of the later parts and the page they start on. The 目录 says 附件 24: the original
# must have set 名词解释 looser (three pages); at 12 pt it takes two, so 附件 starts on 23.
EXPECTED_HEADING_PAGES = {
    "一、收入支出决算总体情况说明": 17,
    "二、财政拨款收入支出决算总体情况说明": 18,
    "三、一般公共预算财政拨款支出决算情况说明": 18,
    "四、政府性基金预算财政拨款支出决算情况说明": 19,
    "五、国有资本经营预算财政拨款支出决算情况说明": 19,
    "六、一般公共预算财政拨款基本支出决算情况说明": 19,
    "七、一般公共预算拨款“三公”经费支出决算情况说明": 19,
    "八、预算绩效情况说明": 20,
    "九、其他重要事项说明": 20,
    "第四部分 名词解释": 21,
    "第五部分 附件": 23,
}
EXPECTED_PAGES = 24


# --------------------------------------------------------------------------- styles


def _style(
    name: str,
    size: float,
    leading: float | None = None,
    align: int = TA_LEFT,
    first_indent: float = 0,
    before: float = 0,
    after: float = 0,
    color: colors.Color = colors.black,
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=FONT,
        fontSize=size,
        leading=leading or size * 1.25,
        alignment=align,
        firstLineIndent=first_indent,
        spaceBefore=before,
        spaceAfter=after,
        wordWrap="CJK",
        textColor=color,
    )


S_COVER_YEAR = _style("cover_year", 22, 30, TA_CENTER)
S_COVER = _style("cover", 28, 44, TA_CENTER)
S_PART = _style("part", 16, 24, TA_CENTER, before=6, after=14)
S_DIVIDER = _style("divider", 26, 40, TA_CENTER, after=18)
S_H2 = _style("h2", 12, 22, before=8, after=4)
S_H3 = _style("h3", 12, 22, first_indent=24, before=2, after=2)
S_BODY = _style("body", 12, 22, TA_JUSTIFY, first_indent=24, after=2)
S_TOC_HEAD = _style("toc_head", 18, 26, TA_CENTER, after=18)
S_TABLE_HEAD = _style("table_head", 12, 18, before=0, after=6)
S_TABLE_TITLE = _style("table_title", 15, 20, TA_CENTER, after=6)
S_META_R = _style("meta_r", 10, 14, TA_RIGHT)
S_META_L = _style("meta_l", 10, 14, TA_LEFT)
S_NOTE = _style("note", 9.5, 14, TA_LEFT, before=4)
S_APPX_TITLE = _style("appx_title", 16, 24, TA_CENTER, before=6)
S_APPX_SUB = _style("appx_sub", 12, 18, TA_CENTER, after=8)

C_LEFT = _style("cell_l", TABLE_FONT_SIZE, 11.5, TA_LEFT)
C_CENTER = _style("cell_c", TABLE_FONT_SIZE, 11.5, TA_CENTER)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped; a newline becomes a line break)."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def L(text: str) -> Paragraph:
    """A table cell, left-aligned, wrapping at the column width."""
    return para(text, C_LEFT)


def C(text: str) -> Paragraph:
    """A table cell, centred, wrapping at the column width."""
    return para(text, C_CENTER)


# --------------------------------------------------------------------------- tables


def grid(
    data: list[list],
    widths: Sequence[float],
    *,
    header_rows: int,
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    amount_cols: tuple[int, ...] = (),
    extra: Sequence[tuple] = (),
) -> Table:
    """A ruled table like a WPS/Word export: full grid, amounts right-aligned."""
    assert all(len(r) == len(widths) for r in data), [len(r) for r in data]
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, TABLE_FONT_SIZE, 11.5),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
    ]
    for col in amount_cols:
        style.append(("ALIGN", (col, header_rows), (col, -1), "RIGHT"))
    for start, end in spans:
        style.append(("SPAN", start, end))
    style.extend(extra)
    table = Table(data, colWidths=widths, style=TableStyle(style), hAlign="CENTER")
    return table


def title_block(code: str, title: str, heading: str | None, stacked: bool) -> list[Flowable]:
    """Section heading, centred title, 公开NN表, 编制单位 and 单位：万元.

    ``stacked`` puts 单位：万元 under 公开NN表 at the right (as the original prints it on
    some pages); otherwise it shares a line with 编制单位.
    """
    out: list[Flowable] = []
    if heading:
        out.append(para(heading, S_TABLE_HEAD))
    out.append(para(title, S_TABLE_TITLE))
    out.append(para(code, S_META_R))
    if stacked:
        out.append(para("单位：万元", S_META_R))
        out.append(para("编制单位：" + UNIT, S_META_L))
    else:
        line = Table(
            [[para("编制单位：" + UNIT, S_META_L), para("单位：万元", S_META_R)]],
            colWidths=[380, PAGE_W - TABLE_MARGINS["left"] - TABLE_MARGINS["right"] - 380],
            style=TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
        )
        out.append(line)
    out.append(Spacer(1, 4))
    return out


def notes(*lines: str) -> list[Flowable]:
    return [para(line, S_NOTE) for line in lines]


TABLE_WIDTH = PAGE_W - TABLE_MARGINS["left"] - TABLE_MARGINS["right"]  # 505 pt


def table_01() -> list[Flowable]:
    income = [
        ("一、一般公共预算财政拨款收入", "243.54"),
        ("二、政府性基金预算财政拨款收入", "0.00"),
        ("三、国有资本经营预算财政拨款收入", "0.00"),
        ("四、上级补助收入", "0.00"),
        ("五、事业收入", "0.00"),
        ("六、经营收入", "0.00"),
        ("七、附属单位上缴收入", "0.00"),
        ("八、其他收入", "0.00"),
    ]
    spending = [
        ("一、一般公共服务支出", "182.29"),
        ("二、外交支出", "0.00"),
        ("三、国防支出", "0.00"),
        ("四、公共安全支出", "0.00"),
        ("五、教育支出", "0.00"),
        ("六、科学技术支出", "0.00"),
        ("七、文化旅游体育与传媒支出", "0.00"),
        ("八、社会保障和就业支出", "8.91"),
        ("九、卫生健康支出", "4.65"),
        ("十、节能环保支出", "0.00"),
        ("十一、城乡社区支出", "0.00"),
        ("十二、农林水支出", "0.00"),
        ("十三、交通运输支出", "0.00"),
        ("十四、资源勘探工业信息等支出", "0.00"),
        ("十五、商业服务业等支出", "0.00"),
        ("十六、金融支出", "0.00"),
        ("十七、援助其他地区支出", "0.00"),
        ("十八、自然资源海洋气象等支出", "0.00"),
        ("十九、住房保障支出", "15.25"),
        ("二十、粮油物资储备支出", "0.00"),
        ("二十一、国有资本经营预算支出", "0.00"),
        ("二十二、灾害防治及应急管理支出", "0.00"),
        ("二十三、其他支出", "0.00"),
        ("二十四、债务还本支出", "0.00"),
        ("二十五、债务付息支出", "0.00"),
        ("二十六、抗疫特别国债安排的支出", "0.00"),
    ]
    totals = [
        ("本年收入合计", "243.54", "本年支出合计", "211.09"),
        ("使用非财政拨款结余（含专用结余）", "0.00", "结余分配", "0.00"),
        ("年初结转和结余", "75.54", "年末结转和结余", "107.98"),
        ("总计", "319.08", "总计", "319.08"),
    ]
    data: list[list] = [
        [C("收入"), "", C("支出"), ""],
        [C("项目"), C("决算数"), C("项目（按支出功能分类）"), C("决算数")],
    ]
    for i, (item, amount) in enumerate(spending):
        left = income[i] if i < len(income) else ("", "")
        data.append([L(left[0]) if left[0] else "", left[1], L(item), amount])
    for a, b, c, d in totals:
        data.append([C(a), b, C(c), d])
    table = grid(
        data,
        [175, 70, 190, 70],
        header_rows=2,
        amount_cols=(1, 3),
        spans=[((0, 0), (1, 0)), ((2, 0), (3, 0))],
    )
    return [
        *title_block("公开 01 表", "收入支出决算总表", "一、收入支出决算总表", False),
        table,
        *notes(
            "注：1. 本表反映单位本年度的总收支和年末结转结余情况。",
            "2. 本套报表金额单位转换时可能存在尾数误差。",
        ),
    ]


def _coded_header(top: list[str], name_label: str = "科目名称") -> tuple[list[list], list]:
    """The three header rows shared by 公开02 and 公开03 (类/款/项 + 科目名称 + amounts)."""
    n = len(top)
    rows = [
        [C("项目"), "", "", ""] + [C(t) for t in top],
        [C("支出功能\n分类科目\n编码"), "", "", C(name_label)] + [""] * n,
        [C("类"), C("款"), C("项"), C("合计")] + [""] * n,
    ]
    spans = [((0, 0), (3, 0)), ((0, 1), (2, 1))]
    spans += [((4 + i, 0), (4 + i, 2)) for i in range(n)]
    return rows, spans


def table_02() -> list[Flowable]:
    header, spans = _coded_header(
        [
            "本年收\n入合计",
            "财政拨款\n收入",
            "上级补\n助收入",
            "事业收入",
            "经营\n收入",
            "附属单位\n上缴收入",
            "其他收入",
        ]
    )
    body = [
        ("", "243.54 243.54 0.00 0.00 0.00 0.00 0.00"),
        ("201", "215.21 215.21 0.00 0.00 0.00 0.00 0.00"),
        ("20103", "215.21 215.21 0.00 0.00 0.00 0.00 0.00"),
        ("2010350", "215.21 215.21 0.00 0.00 0.00 0.00 0.00"),
        ("208", "8.91 8.91 0.00 0.00 0.00 0.00 0.00"),
        ("20805", "8.91 8.91 0.00 0.00 0.00 0.00 0.00"),
        ("2080505", "8.91 8.91 0.00 0.00 0.00 0.00 0.00"),
        ("210", "4.65 4.65 0.00 0.00 0.00 0.00 0.00"),
        ("21011", "4.65 4.65 0.00 0.00 0.00 0.00 0.00"),
        ("2101102", "4.65 4.65 0.00 0.00 0.00 0.00 0.00"),
        ("221", "14.77 14.77 0.00 0.00 0.00 0.00 0.00"),
        ("22102", "14.77 14.77 0.00 0.00 0.00 0.00 0.00"),
        ("2210201", "11.99 11.99 0.00 0.00 0.00 0.00 0.00"),
        ("2210202", "2.78 2.78 0.00 0.00 0.00 0.00 0.00"),
    ]
    data = header + [[code, "", "", ""] + amounts.split() for code, amounts in body]
    first = len(header)
    spans += [((0, r), (2, r)) for r in range(first, len(data))]
    widths = [22, 22, 22, 70] + [52, 52, 52, 52, 48, 56, 52]
    table = grid(data, widths, header_rows=first, amount_cols=tuple(range(4, 11)), spans=spans)
    return [
        *title_block("公 02 表", "收入决算表", "二、收入决算表", False),
        table,
        *notes("注：本表反映单位本年度取得的各项收入情况。"),
    ]


def table_03() -> list[Flowable]:
    header, spans = _coded_header(
        [
            "本年支出\n合计",
            "基本支出",
            "项目支出",
            "上缴上级\n支出",
            "经营支出",
            "对附属单位\n补助支出",
        ]
    )
    # Names wrap inside the narrow cell exactly where the published copy wraps them.
    body = [
        ("", "", "211.09 211.09 0.00 0.00 0.00 0.00"),
        ("201", "一般公共 服务支出", "182.29 182.29 0.00 0.00 0.00 0.00"),
        ("20103", "政府办公 厅（室） 及相关机 构事务", "182.29 182.29 0.00 0.00 0.00 0.00"),
        ("2010350", "事业运行", "182.29 182.29 0.00 0.00 0.00 0.00"),
        ("208", "社会保 障和就 业支出", "8.91 8.91 0.00 0.00 0.00 0.00"),
        ("20805", "行政事 业单 位养 老支 出", "8.91 8.91 0.00 0.00 0.00 0.00"),
        ("2080505", "机关事 业单 位基 本养 老保 险 缴 费 支 出", "8.91 8.91 0.00 0.00 0.00 0.00"),
        ("210", "卫生健 康支 出", "4.65 4.65 0.00 0.00 0.00 0.00"),
        ("21011", "行政事 业单 位医 疗", "4.65 4.65 0.00 0.00 0.00 0.00"),
        ("2101102", "事业单 位医 疗", "4.65 4.65 0.00 0.00 0.00 0.00"),
        ("221", "住房保 障支 出", "15.25 15.25 0.00 0.00 0.00 0.00"),
        ("22102", "住房改 革支 出", "15.25 15.25 0.00 0.00 0.00 0.00"),
        ("2210201", "住房公 积金", "12.87 12.87 0.00 0.00 0.00 0.00"),
        ("2210202", "提租补 贴", "2.38 2.38 0.00 0.00 0.00 0.00"),
    ]
    data = header + [
        [code, "", "", name.replace(" ", "\n")] + amounts.split() for code, name, amounts in body
    ]
    first = len(header)
    spans += [((0, r), (2, r)) for r in range(first, len(data))]
    widths = [22, 22, 22, 48] + [66, 64, 64, 64, 64, 69]
    extra = [
        ("LEADING", (3, first), (3, -1), 10.5),
        ("TOPPADDING", (0, first), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, first), (-1, -1), 2),
    ]
    table = grid(
        data, widths, header_rows=first, amount_cols=tuple(range(4, 10)), spans=spans, extra=extra
    )
    return [
        *title_block("公开 03 表", "支出决算表", "三、支出决算表", True),
        table,
        *notes("注：本表反映单位本年度各项支出情况。"),
    ]


def _table_04_header() -> tuple[list[list], list]:
    rows = [
        [C("收入"), "", C("支出"), "", "", "", ""],
        [
            C("项目"),
            C("金额"),
            C("项目（按功能分类）"),
            C("合计"),
            C("一般公共预算财政拨款"),
            C("政府性基金预算财政拨款"),
            C("国有资本经营预算财政拨款"),
        ],
    ]
    return rows, [((0, 0), (1, 0)), ((2, 0), (6, 0))]


T04_WIDTHS = [100, 52, 105, 52, 66, 65, 65]


def table_04() -> list[Flowable]:
    page1_income = [
        ("一、一般公共预算财政拨款", "243.54"),
        ("二、政府性基金预算财政拨款", "0.00"),
        ("三、国有资本经营预算财政拨款", "0.00"),
    ]
    page1 = [
        ("一、一般公共服务支出", "182.29 182.29 0.00 0.00"),
        ("二、外交支出", "0.00 0.00 0.00 0.00"),
        ("三、国防支出", "0.00 0.00 0.00 0.00"),
        ("四、公共安全支出", "0.00 0.00 0.00 0.00"),
        ("五、教育支出", "0.00 0.00 0.00 0.00"),
        ("六、科学技术支出", "0.00 0.00 0.00 0.00"),
        ("七、文化旅游体育与传媒支出", "0.00 0.00 0.00 0.00"),
        ("八、社会保障和就业支出", "8.91 8.91 0.00 0.00"),
        ("九、卫生健康支出", "4.65 4.65 0.00 0.00"),
        ("十、节能环保支出", "0.00 0.00 0.00 0.00"),
        ("十一、城乡社区支出", "0.00 0.00 0.00 0.00"),
        ("十二、农林水支出", "0.00 0.00 0.00 0.00"),
        ("十三、交通运输支出", "0.00 0.00 0.00 0.00"),
        ("十四、资源勘探工业信息等支出", "0.00 0.00 0.00 0.00"),
        ("十五、商业服务业等支出", "0.00 0.00 0.00 0.00"),
        ("十六、金融支出", "0.00 0.00 0.00 0.00"),
        ("十七、援助其他地区支出", "0.00 0.00 0.00 0.00"),
        ("十八、自然资源海洋气象等支出", "0.00 0.00 0.00 0.00"),
        ("十九、住房保障支出", "15.25 15.25 0.00 0.00"),
    ]
    page2 = [
        ("二十、粮油物资储备支出", "0.00 0.00 0.00 0.00"),
        ("二十一、国有资本经营预算支出", "0.00 0.00 0.00 0.00"),
        ("二十二、灾害防治及应急管理支出", "0.00 0.00 0.00 0.00"),
        ("二十三、其他支出", "0.00 0.00 0.00 0.00"),
        ("二十四、债务还本支出", "0.00 0.00 0.00 0.00"),
        ("二十五、债务付息支出", "0.00 0.00 0.00 0.00"),
        ("二十六、抗疫特别国债安排的支出", "0.00 0.00 0.00 0.00"),
    ]
    amount_cols = (1, 3, 4, 5, 6)

    header, spans = _table_04_header()
    data = [row[:] for row in header]
    for i, (item, amounts) in enumerate(page1):
        left = page1_income[i] if i < len(page1_income) else ("", "")
        data.append([L(left[0]) if left[0] else "", left[1], L(item)] + amounts.split())
    first_page = grid(data, T04_WIDTHS, header_rows=2, amount_cols=amount_cols, spans=spans)

    header, spans = _table_04_header()
    data = [row[:] for row in header]
    for item, amounts in page2:
        data.append(["", "", L(item)] + amounts.split())
    data += [
        [C("本年收入合计"), "243.54", C("本年支出合计"), "211.09", "211.09", "0.00", "0.00"],
        [
            L("年初财政拨款结转和结余"),
            "75.54",
            L("年末财政拨款结转和结余"),
            "107.98",
            "107.98",
            "0.00",
            "0.00",
        ],
        [L("一、一般公共预算财政拨款"), "75.54", "", "", "", "", ""],
        [L("二、政府性基金预算财政拨款"), "0.00", "", "", "", "", ""],
        [L("三、国有资本经营预算财政拨款"), "0.00", "", "", "", "", ""],
        [C("总计"), "319.08", C("总计"), "319.08", "319.08", "0.00", "0.00"],
    ]
    second_page = grid(data, T04_WIDTHS, header_rows=2, amount_cols=amount_cols, spans=spans)
    return [
        *title_block(
            "公开 04 表", "财政拨款收入支出决算总表", "四、财政拨款收入支出决算总表", False
        ),
        first_page,
        PageBreak(),
        *title_block("公开 04 表", "财政拨款收入支出决算总表", None, True),
        second_page,
        *notes(
            "注：本表反映单位本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营"
            "预算财政拨款的总收支和年末结转结余情况。"
        ),
    ]


def table_05() -> list[Flowable]:
    body = [
        ("201", "一般公共服务支出", "182.29 182.29 0.00"),
        ("20103", "政府办公厅（室）及相关机构事务", "182.29 182.29 0.00"),
        ("2010350", "事业运行", "182.29 182.29 0.00"),
        ("208", "社会保障和就业支出", "8.91 8.91 0.00"),
        ("20805", "行政事业单位养老支出", "8.91 8.91 0.00"),
        ("2080505", "机关事业单位基本养老保险缴费支出", "8.91 8.91 0.00"),
        ("210", "卫生健康支出", "4.65 4.65 0.00"),
        ("21011", "行政事业单位医疗", "4.65 4.65 0.00"),
        ("2101102", "事业单位医疗", "4.65 4.65 0.00"),
        ("221", "住房保障支出", "15.25 15.25 0.00"),
        ("22102", "住房改革支出", "15.25 15.25 0.00"),
        ("2210201", "住房公积金", "12.87 12.87 0.00"),
        ("2210202", "提租补贴", "2.38 2.38 0.00"),
    ]
    data: list[list] = [
        [C("项目"), "", C("本年支出"), "", ""],
        [C("功能分类\n科目编码"), C("科目名称"), C("小计"), C("基本支出"), C("项目支出")],
        [C("合计"), "", "211.09", "211.09", "0.00"],
    ]
    data += [[code, L(name)] + amounts.split() for code, name, amounts in body]
    spans = [((0, 0), (1, 0)), ((2, 0), (4, 0)), ((0, 2), (1, 2))]
    table = grid(data, [75, 190, 80, 80, 80], header_rows=2, amount_cols=(2, 3, 4), spans=spans)
    return [
        *title_block(
            "公开 05 表",
            "一般公共预算财政拨款支出决算表",
            "五、一般公共预算财政拨款支出决算表",
            False,
        ),
        table,
        *notes("注：本表反映单位本年度一般公共预算财政拨款支出情况。"),
    ]


T06_WIDTHS = [46, 78, 44] * 3


def _table_06_header() -> list:
    return [C("经济分类科目编码"), C("科目名称"), C("金额")] * 3


def _table_06_rows(text: str) -> list[list]:
    rows = []
    for line in text.strip().splitlines():
        cells = line.split("|")
        row: list = []
        for i, cell in enumerate(cells):
            row.append(L(cell) if (i % 3 == 1 and cell) else cell)
        rows.append(row)
    return rows


def table_06() -> list[Flowable]:
    page1 = """
301|工资福利支出|197.34|302|商品和服务支出|13.75|30703|国内债务发行费用|0.00
30101|基本工资|39.89|30201|办公费|0.10|30704|国外债务发行费用|0.00
30102|津贴补贴|3.26|30202|印刷费|0.00|310|资本性支出|0.00
30103|奖金|43.33|30203|咨询费|0.00|31001|房屋建筑物购建|0.00
30106|伙食补助费|0.00|30204|手续费|0.00|31002|办公设备购置|0.00
30107|绩效工资|43.10|30205|水费|0.37|31003|专用设备购置|0.00
30108|机关事业单位基本养老保险缴费|15.18|30206|电费|3.97|31005|基础设施建设|0.00
30109|职业年金缴费|0.00|30207|邮电费|0.39|31006|大型修缮|0.00
30110|职工基本医疗保险缴费|8.13|30208|取暖费|0.00|31007|信息网络及软件购置更新|0.00
30111|公务员医疗补助缴费|6.81|30209|物业管理费|0.00|31008|物资储备|0.00
30112|其他社会保障缴费|0.18|30211|差旅费|1.28|31009|土地补偿|0.00
30113|住房公积金|37.46|30212|因公出国（境）费用|0.00|31010|安置补助|0.00
30114|医疗费|0.00|30213|维修（护）费|0.00|31011|地上附着物和青苗补偿|0.00
30199|其他工资福利支出|0.00|30214|租赁费|0.00|31012|拆迁补偿|0.00
303|对个人和家庭的补助|0.00|30215|会议费|0.00|31013|公务用车购置|0.00
"""
    page2 = """
30301|离休费|0.00|30216|培训费|0.00|31019|其他交通工具购置|0.00
30302|退休费|0.00|30217|公务接待费|0.00|31021|文物和陈列品购置|0.00
30303|退职（役）费|0.00|30218|专用材料费|0.00|31022|无形资产购置|0.00
30304|抚恤金|0.00|30224|被装购置费|0.00|31099|其他资本性支出|0.00
30305|生活补助|0.00|30225|专用燃料费|0.00|312|对企业补助|0.00
30306|救济费|0.00|30226|劳务费|0.00|31201|资本金注入|0.00
30307|医疗费补助|0.00|30227|委托业务费|0.00|31203|政府投资基金股权投资|0.00
30308|助学金|0.00|30228|工会经费|2.53|31204|费用补贴|0.00
30309|奖励金|0.00|30229|福利费|0.00|31205|利息补贴|0.00
30310|个人农业生产补贴|0.00|30231|公务用车运行维护费|0.00|31206|其他资本性补助|0.00
30311|代缴社会保险费|0.00|30239|其他交通费用|0.00|31299|其他对企业补助|0.00
30399|其他对个人和家庭的补助|0.00|30240|税金及附加费用|0.00|399|其他支出|0.00
|||30299|其他商品和服务支出|5.11|39907|国家赔偿费用支出|0.00
|||307|债务利息及费用支出|0.00|39908|对民间非营利组织和群众性自治组织补贴|0.00
|||30701|国内债务付息|0.00|39909|经常性赠与|0.00
|||30702|国外债务付息|0.00|39910|资本性赠与|0.00
"""
    amount_cols = (2, 5, 8)
    first = grid(
        [_table_06_header()] + _table_06_rows(page1),
        T06_WIDTHS,
        header_rows=1,
        amount_cols=amount_cols,
    )
    rows = [_table_06_header()] + _table_06_rows(page2)
    rows.append([C("人员经费合计"), "", "197.34", C("公用经费合计"), "", "", "", "", "13.75"])
    last = len(rows) - 1
    second = grid(
        rows,
        T06_WIDTHS,
        header_rows=1,
        amount_cols=amount_cols,
        spans=[((0, last), (1, last)), ((3, last), (7, last))],
    )
    head = ("公开 06 表", "一般公共预算财政拨款基本支出决算表")
    return [
        *title_block(*head, "六、一般公共预算财政拨款基本支出决算表", False),
        first,
        PageBreak(),
        *title_block(*head, None, False),
        second,
        *notes("注：本表反映单位本年度一般公共预算财政拨款基本支出明细情况。"),
    ]


def table_07() -> list[Flowable]:
    data: list[list] = [[C("项目"), C("行次"), C("决算数")]]
    rows = [
        ("合计", "1", "0.00"),
        ("1. 因公出国（境）费", "2", "0.00"),
        ("2. 公务用车购置及运行维护费", "3", "0.00"),
        ("其中：（1）公务用车购置费", "4", "0.00"),
        ("（2）公务用车运行维护费", "5", "0.00"),
        ("3. 公务接待费", "6", "0.00"),
    ]
    for item, line, amount in rows:
        data.append([C(item) if item == "合计" else L(item), line, amount])
    table = grid(
        data,
        [285, 70, 150],
        header_rows=1,
        amount_cols=(2,),
        extra=[
            ("ALIGN", (1, 1), (1, -1), "CENTER"),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ],
    )
    return [
        *title_block(
            "公开 07 表",
            "一般公共预算财政拨款“三公”经费支出决算表",
            "七、一般公共预算财政拨款“三公”经费支出决算表",
            True,
        ),
        table,
        *notes(
            "注：1. 本表反映单位本年度“三公”经费支出决算情况，包括当年一般公共预算财政拨款"
            "和以前年度结转资金安排的实际支出。",
            "2. 本单位 2024 年度没有使用一般公共预算财政拨款安排的“三公”经费支出。",
        ),
    ]


def table_08() -> list[Flowable]:
    data: list[list] = [
        [
            C("项目"),
            "",
            "",
            "",
            C("年初结转和结余"),
            C("本年收入"),
            C("本年支出"),
            "",
            "",
            C("年末结转和结余"),
        ],
        [
            C("支出功能分类科目编码"),
            "",
            "",
            C("科目名称"),
            "",
            "",
            C("小计"),
            C("基本支出"),
            C("项目支出"),
            "",
        ],
        [C("类"), C("款"), C("项"), C("栏次"), "1", "2", "3", "4", "5", "6"],
        ["", "", "", C("合计"), "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"],
    ]
    spans = [
        ((0, 0), (3, 0)),
        ((4, 0), (4, 1)),
        ((5, 0), (5, 1)),
        ((6, 0), (8, 0)),
        ((9, 0), (9, 1)),
        ((0, 1), (2, 1)),
    ]
    table = grid(
        data,
        [24, 24, 24, 85, 58, 58, 56, 58, 58, 60],
        header_rows=3,
        amount_cols=tuple(range(4, 10)),
        spans=spans,
        extra=[("TOPPADDING", (0, 2), (-1, -1), 5), ("BOTTOMPADDING", (0, 2), (-1, -1), 6)],
    )
    return [
        *title_block(
            "公开 08 表",
            "政府性基金预算财政拨款收入支出决算表",
            "八、政府性基金预算财政拨款收入支出决算表",
            False,
        ),
        table,
        *notes(
            "注：1. 本表反映单位本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
            "2. 本单位 2024 年度没有使用政府性基金预算财政拨款安排的收支。",
        ),
    ]


def table_09() -> list[Flowable]:
    data: list[list] = [
        [C("项 目"), "", C("本年支出"), "", ""],
        [C("功能分类科目编\n码"), C("科目名称"), C("合计"), C("基本支出"), C("项目支出")],
        [C("栏次"), "", "1", "2", "3"],
        [C("合计"), "", "0.00", "0.00", "0.00"],
    ]
    spans = [((0, 0), (1, 0)), ((2, 0), (4, 0)), ((0, 2), (1, 2)), ((0, 3), (1, 3))]
    table = grid(
        data,
        [75, 190, 80, 80, 80],
        header_rows=2,
        amount_cols=(2, 3, 4),
        spans=spans,
        extra=[
            ("ALIGN", (2, 2), (-1, 2), "CENTER"),
            ("TOPPADDING", (0, 2), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 2), (-1, -1), 6),
        ],
    )
    return [
        *title_block(
            "公开 09 表",
            "国有资本经营预算财政拨款支出决算表",
            "九、国有资本经营预算财政拨款支出决算表",
            True,
        ),
        table,
        *notes(
            "注：1. 本表反映单位本年度国有资本经营预算财政拨款支出情况。",
            "2. 本单位 2024 年度没有使用国有资本经营预算财政拨款安排的支出。",
        ),
    ]


def performance_tables() -> list[Flowable]:
    """单位整体绩效自评表, with the original's merged cells, over two pages.

    The original runs onto a second page after the 成本指标 row (its 效益指标 and 满意度指标
    rows lose the 绩效指标 cell in the published text); the merged 绩效指标 cell goes on
    as an empty cell there, as Word draws a vertically merged cell split by a page break.
    """
    E = ""
    first: list[list] = [
        [C("部门（单位）名称"), E, C(UNIT), E, C("部门预算编码"), E, C("103603"), E, E],
        [
            C("项目资金（万元）"),
            E,
            C("年初预算数"),
            C("全年预算数"),
            C("全年执行数"),
            C("分值"),
            C("执行率"),
            C("得分"),
            E,
        ],
        [E, C("资金总额"), "243.54", "319.08", "211.09", "10", "66.16", "6.62", E],
        [E, C("财政资金"), "0.00", "0.00", "0.00", E, "0.00", E, E],
        [E, C("其他资金"), "0.00", "0.00", "0.00", E, "0.00", E, E],
        [C("年度总体目标"), C("预期目标"), E, E, E, C("目标实际完成情况"), E, E, E],
        [
            E,
            L(
                "围绕办好群众合理诉求，进一步扩展优化全流程各环节系统功能，强化民生数据动态深度分析"
                "与评估，着力增强群众体验感和获得感。"
            ),
            E,
            E,
            E,
            L(
                "2024 年，省 12345 热线中心进一步提高热线履职能力，推动群众诉求更加便利、更有质效，"
                "为群众解决了大量“急难愁盼”问题。"
            ),
            E,
            E,
            E,
        ],
        [
            C("绩效指标"),
            C("一级指标"),
            C("二级指标"),
            C("三级指标"),
            C("年度指标值"),
            C("实际完成值"),
            C("指标分值"),
            C("自评得分"),
            C("偏差原因分析及改进措施"),
        ],
        [
            E,
            C("一般性支出情况"),
            C("一般性支出情况"),
            L("“三公”经费控制率"),
            C("≤100%"),
            "0",
            "2",
            "2",
            E,
        ],
        [E, E, E, L("“三公”经费违规使用次数"), C("≤0次"), "0", "2", "2", E],
        [E, E, E, L("会议费、差旅费超标准使用次数"), C("≤0次"), "0", "2", "2", E],
        [
            E,
            C("产出指标"),
            C("数量指标"),
            L("受理群众诉求量"),
            C("≥1200万件"),
            "1661.94",
            "20",
            "20",
            E,
        ],
        [E, E, C("质量指标"), L("话务接通率"), C("≥90%"), "99.68", "6", "6", E],
        [E, E, C("时效指标"), L("按时办理率"), C(">95%"), "99.94", "10", "10", E],
        [
            E,
            C("成本指标"),
            C("经济成本指标"),
            L("系统建节节约支出"),
            C("=不新建系统个数"),
            C("未新建"),
            "8",
            "8",
            E,
        ],
    ]
    first_spans = [
        ((0, 0), (1, 0)),
        ((2, 0), (3, 0)),
        ((4, 0), (5, 0)),
        ((6, 0), (8, 0)),
        ((0, 1), (0, 4)),
        ((0, 5), (0, 6)),
        ((1, 5), (4, 5)),
        ((5, 5), (8, 5)),
        ((1, 6), (4, 6)),
        ((5, 6), (8, 6)),
        ((0, 7), (0, 14)),
        ((1, 8), (1, 10)),
        ((2, 8), (2, 10)),
        ((1, 11), (1, 13)),
    ]
    second: list[list] = [
        [E, C("效益指标"), C("社会效益指标"), L("做好风险防控"), C("≤0次"), "0", "30", "30", E],
        [
            E,
            C("满意度指标"),
            C("服务对象满意度指标"),
            L("群众满意率"),
            C("≥98%"),
            "99.71",
            "10",
            "10",
            E,
        ],
        [C("总分"), E, E, E, E, E, E, "96.62", E],
        [C("评价等级"), L("优（S≥90）"), E, E, E, E, E, E, E],
    ]
    second_spans = [((0, 0), (0, 1)), ((0, 2), (6, 2)), ((1, 3), (8, 3))]
    widths = [44, 58, 62, 88, 66, 54, 38, 38, 57]
    padding = [("TOPPADDING", (0, 0), (-1, -1), 7), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]
    top = grid(
        first,
        widths,
        header_rows=0,
        spans=first_spans,
        extra=[("ALIGN", (2, 2), (7, 4), "RIGHT"), ("ALIGN", (5, 8), (7, -1), "RIGHT"), *padding],
    )
    bottom = grid(
        second,
        widths,
        header_rows=0,
        spans=second_spans,
        extra=[("ALIGN", (5, 0), (7, -1), "RIGHT"), *padding],
    )
    return [top, PageBreak(), bottom]


# --------------------------------------------------------------------------- text parts


class TocLine(Flowable):
    """One 目录 entry: title, dot leader, page number at the right margin."""

    def __init__(
        self, text: str, page: str, indent: float = 0, size: float = 12, leading: float = 23
    ):
        super().__init__()
        self.text, self.page, self.indent = text, page, indent
        self.size, self.leading = size, leading

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.leading

    def draw(self) -> None:
        c = self.canv
        c.setFont(FONT, self.size)
        y = (self.leading - self.size) / 2
        c.drawString(self.indent, y, self.text)
        c.drawRightString(self.width, y, self.page)
        width = pdfmetrics.stringWidth
        start = self.indent + width(self.text, FONT, self.size) + 6
        end = self.width - width(self.page, FONT, self.size) - 6
        dot = width(".", FONT, self.size)
        count = int((end - start) / dot)
        if count > 0:
            c.drawString(end - count * dot, y, "." * count)


TOC = [
    (0, "第一部分 单位概况", "1"),
    (1, "一、单位主要职责", "2"),
    (1, "二、单位基本情况", "2"),
    (1, "三、单位主要工作总结", "2"),
    (0, "第二部分 2024 年度单位决算表", "4"),
    (1, "一、收入支出决算总表", "5"),
    (1, "二、收入决算表", "6"),
    (1, "三、支出决算表", "7"),
    (1, "四、财政拨款收入支出决算总表", "8"),
    (1, "五、一般公共预算财政拨款支出决算表", "10"),
    (1, "六、一般公共预算财政拨款基本支出决算表", "11"),
    (1, "七、一般公共预算财政拨款“三公”经费支出决算表", "13"),
    (1, "八、政府性基金预算财政拨款收入支出决算表", "14"),
    (1, "九、国有资本经营预算财政拨款支出决算表", "15"),
    (0, "第三部分 2024 年度单位决算情况说明", "16"),
    (1, "一、收入支出决算总体情况说明", "17"),
    (1, "二、财政拨款收入支出决算总体情况说明", "18"),
    (1, "三、一般公共预算财政拨款支出决算情况说明", "18"),
    (1, "四、政府性基金预算财政拨款支出决算情况说明", "19"),
    (1, "五、国有资本经营预算财政拨款支出决算情况说明", "19"),
    (1, "六、一般公共预算财政拨款基本支出决算情况说明", "19"),
    (1, "七、一般公共预算拨款“三公”经费支出决算情况说明", "19"),
    (1, "八、预算绩效情况说明", "20"),
    (1, "九、其他重要事项说明", "20"),
    (0, "第四部分 名词解释", "21"),
    (0, "第五部分 附件", "24"),
]

# Markup: "# " part heading, "## " section heading, "### " sub-heading, "---" page break,
# anything else a body paragraph. Every sentence is the published text, verbatim.
PART_1 = """
# 第一部分 单位概况
## 一、单位主要职责
福建省 12345 政务服务便民热线中心的主要职责是：
（一）负责全省 12345 热线及平台的规划、建设、管理、运行、协调、检查等事务性、辅助性、技术性工作；
（二）负责省直部门诉求件的转办、督办等事务性、辅助性工作；
（三）负责省级 12345 平台管理维护、运行情况监测分析等事务性、辅助性工作；
（四）承担统筹指导各级 12345 平台、各类政务服务便民热线联动对接等事务性、辅助性工作；
（五）承担指导、督促、考核各级 12345 平台及其联动单位受理和办理群众诉求工作的事务性、辅助性工作。
## 二、单位基本情况
从决算单位构成看，本单位无内设机构，列入 2024 年决算编制范围的单位详细情况见下表：
@unit_table
## 三、单位主要工作总结
2024 年，省 12345 热线中心进一步提高热线履职服务能力，推动群众诉求更加便利、更有质效。2024 年全省各级 12345 热线平台共受理诉求 1661.94 万件，按时办理率 99.94%，群众满意率 99.71%，为群众解决了大量“急难愁盼”问题。同时，制定出台文件，厘清服务边界，对涉法涉诉涉案涉访等超受理范围的诉求或不合理诉求，制定答复模板，明确救济途径，推动更准履职尽责。
"""

PART_3 = """
## 一、收入支出决算总体情况说明
### (一) 收入支出决算总体情况说明
2024 年度本单位收入总计 319.08 万元，支出总计 319.08 万元，与上年决算数相比，各增加 42.94 万元，各增长 15.55%。主要是归垫上年度部分“五险二金”费用及年度结转结余增加。
### (二) 收入决算情况说明
2024 年度收入 243.54 万元，比上年决算数减少 32.59 万元，下降 11.80%，具体情况如下：
1. 一般公共预算财政拨款收入 243.54 万元。
2. 政府性基金预算财政拨款收入 0 万元。
3. 国有资本经营预算财政拨款收入 0 万元。
4. 上级补助收入 0 万元。
5. 事业收入 0 万元。
6. 经营收入 0 万元。
7. 附属单位上缴收入 0 万元。
8. 其他收入 0 万元。
### (三) 支出决算情况说明
2024 年度支出 211.09 万元，比上年决算数增加 10.24 万元，增长 5.10%，具体情况如下：
1. 基本支出 211.09 万元。其中，人员支出 197.34 万元，公用支出 13.75 万元。
2. 项目支出 0 万元。
3. 上缴上级支出 0 万元。
4. 经营支出 0 万元。
5. 对附属单位补助支出 0 万元。
---
## 二、财政拨款收入支出决算总体情况说明
2024 年度财政拨款收入总计 319.08 万元，支出总计 319.08 万元，与上年决算数相比，各增加 42.94 万元，增长 15.55%，主要是：归垫上年度部分“五险二金”费用及年度结转结余增加。
## 三、一般公共预算财政拨款支出决算情况说明
2024 年一般公共预算支出 211.09 万元，比上年决算数增加 10.24 万元，增长 5.10%，具体情况如下（按项级科目分类统计）：
（一）2010350 事业运行 182.29 万元，较上年决算数增加 0.02 万元，增长 0.01%，与上年基本持平。
（二）2080505 机关事业单位基本养老保险缴费支出 8.91 万元，较上年决算数增加 3.27 万元，增长 57.86%。主要原因是归垫上年度部分养老保险费用。
（三）2101102 事业单位医疗 4.65 万元，较上年决算数增加 1.63 万元，增长 54.17%。主要原因是归垫上年度部分医疗保险费用。
（四）2210201 住房公积金 12.87 万元，较上年决算数增加 5.49 万元，增长 74.43%。主要原因是 2024 年财政拨款数增加。
（五）2210202 提租补贴 2.38 万元，较上年决算数减少 0.17 万元，下降 6.62%。主要原因是财政预算功能科目调整。
---
## 四、政府性基金预算财政拨款支出决算情况说明
本单位 2024 年度没有使用政府性基金预算拨款安排的支出。
## 五、国有资本经营预算财政拨款支出决算情况说明
本单位 2024 年度没有使用国有资本经营预算财政拨款安排的支出。
## 六、一般公共预算财政拨款基本支出决算情况说明
2024 年度一般公共预算财政拨款基本支出 211.09 万元，其中：
（一）人员经费 197.34 万元，主要包括：基本工资、津贴补贴、奖金、绩效工资、机关事业单位基本养老保险缴费、职业年金缴费、职工基本医疗保险缴费、公务员医疗补助缴费、其他社会保障缴费、住房公积金。
（二）公用经费 13.75 万元，主要包括：办公费、水费、电费、邮电费、差旅费、工会经费、其他商品和服务支出。
## 七、一般公共预算拨款“三公”经费支出决算情况说明
2024 年度一般公共预算拨款“三公”经费支出 0 万元，完成全年预算的 0%；与上年决算数持平。具体情况如下：
（一）因公出国（境）费支出 0 万元，完成全年预算的 0%；全年安排本单位组织的出国团组 0 个，参加其他单位出国团组 0 个；全年因公出国（境）累计 0 人次。与上年决算数持平。
（二）公务用车购置及运行费支出 0 万元，完成全年预算的 0%；与上年决算数持平。其中：
公务用车购置费支出 0 万元，完成全年预算的 0%；2024 年公务用车购置 0 辆，与上年决算数持平。
公务用车运行费支出 0 万元，完成全年预算的 0%；与上年决算数持平。截至 2024 年 12 月 31 日，本单位公务用车保有量为 0 辆。
（三）公务接待费支出 0 万元，完成全年预算的 0%；与上年决算数持平。累计接待 0 批次、0 人次。
---
## 八、预算绩效情况说明
本单位 2024 年度无项目支出，未开展单位自评。
按要求对 2024 年度单位整体支出开展绩效自评，涉及财政拨款资金共计 319.08 万元。
## 九、其他重要事项说明
### （一）机关运行经费
本单位为事业单位没有机关运行经费。
### （二）政府采购情况
本单位 2024 年度没有政府采购支出。
### （三）国有资产占用使用情况
截至 2024 年 12 月 31 日，本单位共有车辆 0 辆，其中：副部（省）级以上领导用车 0 辆、主要领导干部用车 0 辆、机要通信用车 0 辆、应急保障用车 0 辆、执法执勤用车 0 辆、特种专业技术用车 0 辆、离退休干部用车 0 辆、其他用车 0 辆；单位价值 100 万元以上设备（不含车辆）0 台（套）。
"""

PART_4 = """
# 第四部分 名词解释
一、财政拨款收入：指单位从本级财政单位取得的财政预算资金，包括一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款。
二、事业收入：指事业单位开展专业业务活动及辅助活动所取得的收入。
三、经营收入：指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动取得的收入。
四、其他收入：指除上述“财政拨款收入”“事业收入”“上级补助收入”“附属单位上缴收入”“经营收入”等以外取得的各项收入。主要是事业单位固定资产出租收入、存款利息收入等。
五、使用非财政拨款结余（含专用结余）：指事业单位按照预算管理要求使用非财政拨款结余弥补当年收支差额的金额，以及使用专用结余安排支出的金额。
六、年初结转和结余：指单位以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金，或项目已完成等产生的结余资金。
七、结余分配：指事业单位按照会计制度规定缴纳的所得税、提取的专用结余以及转入非财政拨款结余的金额等。
八、年末结转和结余：指单位按有关规定结转到下年或以后年度继续使用的资金，或项目已完成等产生的结余资金。
九、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。
十、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。
十一、经营支出：指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动发生的支出。
十二、“三公”经费：纳入本级财政预决算管理的“三公”经费，是指本级单位用一般公共预算财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。其中，因公出国（境）费反映单位公务出国（境）的国际旅费、国外城市间交通费、住宿费、伙食费、培训费、公杂费等支出；公务用车购置及运行费反映单位公务用车车辆购置支出（含车辆购置税、牌照费）及燃料费、维修费、过桥过路费、保险费、安全奖励费用等支出；公务接待费反映单位按规定开支的各类公务接待（含外宾接待）支出。
十三、机关运行经费：反映行政单位（含参照公务员法管理的事业单位）财政拨款基本支出中的公用经费支出，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、专用材料及一般设备购置费、办公用房水电费、办公用房取暖费、办公用房物业管理费、公务用车运行维护费以及其他费用。
"""


def unit_table() -> Table:
    data = [
        [C("单位名称"), C("单位性质"), C("在职人数")],
        [L(UNIT), C("公益一类事业单位"), C("10")],
    ]
    t = grid(data, [200, 130, 85], header_rows=1)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 10.5, 14),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return t


def text_flowables(markup: str) -> list[Flowable]:
    out: list[Flowable] = []
    for line in markup.strip().splitlines():
        if line == "---":
            out.append(PageBreak())
        elif line == "@unit_table":
            out += [Spacer(1, 4), unit_table(), Spacer(1, 8)]
        elif line.startswith("### "):
            out.append(para(line[4:], S_H3))
        elif line.startswith("## "):
            out.append(para(line[3:], S_H2))
        elif line.startswith("# "):
            out.append(para(line[2:], S_PART))
        else:
            out.append(para(line, S_BODY))
    return out


def divider(part: str, title: str) -> list[Flowable]:
    return [Spacer(1, 210), para(part, S_DIVIDER), para(title, S_DIVIDER)]


# --------------------------------------------------------------------------- document


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(PAGE_W / 2, 30, f"- {doc.page} -")
    canvas.restoreState()


def _cover_note(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.setFillColor(colors.HexColor("#666666"))
    canvas.drawCentredString(PAGE_W / 2, 42, NOTE)
    canvas.restoreState()


def _frame(margins: Mapping[str, float], name: str) -> Frame:
    return Frame(
        margins["left"],
        margins["bottom"],
        PAGE_W - margins["left"] - margins["right"],
        PAGE_H - margins["top"] - margins["bottom"],
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=name,
    )


def story() -> list[Flowable]:
    s: list[Flowable] = []
    # 1 cover
    s += [
        Spacer(1, 150),
        para("2024 年度", S_COVER_YEAR),
        Spacer(1, 40),
        para("福建省 12345 政务服务", S_COVER),
        para("便民热线中心", S_COVER),
        Spacer(1, 30),
        para("单位决算", S_COVER),
    ]
    s += [NextPageTemplate("body"), PageBreak()]
    # 2 目录
    s.append(para("目 录", S_TOC_HEAD))
    s += [TocLine(text, page, indent=24 * level) for level, text, page in TOC]
    s.append(PageBreak())
    # 3 第一部分
    s += text_flowables(PART_1)
    s.append(PageBreak())
    # 4 第二部分 divider
    s += divider("第二部分", "2024 年度单位决算表")
    s += [NextPageTemplate("table"), PageBreak()]
    # 5-15 the nine tables
    builders = [
        table_01,
        table_02,
        table_03,
        table_04,
        table_05,
        table_06,
        table_07,
        table_08,
        table_09,
    ]
    for i, build_table in enumerate(builders):
        s += build_table()
        if i < len(builders) - 1:
            s.append(PageBreak())
    s += [NextPageTemplate("body"), PageBreak()]
    # 16 第三部分 divider, 17-20 情况说明
    s += divider("第三部分", "2024 年度单位决算情况说明")
    s.append(PageBreak())
    s += text_flowables(PART_3)
    s.append(PageBreak())
    # 21- 名词解释
    s += text_flowables(PART_4)
    s += [NextPageTemplate("table"), PageBreak()]
    # 附件
    s += [
        para("第五部分 附件", S_PART),
        para("单位整体绩效自评表", S_APPX_TITLE),
        para("（2024 年度）", S_APPX_SUB),
        *performance_tables(),
    ]
    return s


def build(out: Path) -> int:
    """Write the PDF to ``out``; return its page count."""
    pdfmetrics.registerFont(TTFont(FONT, FONT_PATH, subfontIndex=0))
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = BaseDocTemplate(
        str(out),
        pagesize=A4,
        title=TITLE + "（重新排版）",
        subject=NOTE,
        author="决算看板 tools/make_sample.py",
        creator="决算看板 tools/make_sample.py",
        keywords="决算, 单位决算, 2024, 福建省12345政务服务便民热线中心, sample",
        invariant=True,
    )
    doc.addPageTemplates(
        [
            PageTemplate("cover", [_frame(BODY_MARGINS, "cover")], onPage=_cover_note),
            PageTemplate("body", [_frame(BODY_MARGINS, "body")], onPage=_footer),
            PageTemplate("table", [_frame(TABLE_MARGINS, "table")], onPage=_footer),
        ]
    )
    doc.build(story())
    return doc.page


# --------------------------------------------------------------------------- self-check

AMOUNT = re.compile(r"\d+\.\d{2}")
TABLE_MARK = re.compile(r"公(?:开)?\s*(\d{2})\s*表")


def _normalise(text: str) -> str:
    text = text.replace("$\\leq 100\\%$", "≤100%").replace("$\\geq", "≥")
    return re.sub(r"\s+", "", text)


def check(pdf_path: Path, seed_path: Path) -> list[str]:
    """Compare the PDF with the seed text; return a list of problems (empty when fine)."""
    import pdfplumber

    problems: list[str] = []
    seed = seed_path.read_text(encoding="utf-8")
    with pdfplumber.open(pdf_path) as pdf:
        pages = pdf.pages
        body_texts = [p.crop((0, 0, p.width, p.height - 45)).extract_text() or "" for p in pages]
        full_texts = [p.extract_text() or "" for p in pages]

        # 1. every amount of the seed, at least as often
        found = Counter(AMOUNT.findall("\n".join(body_texts)))
        for number, count in Counter(AMOUNT.findall(seed)).items():
            if found[number] < count:
                problems.append(f"amount {number!r}: seed has {count}, PDF {found[number]}")

        # 2. every line of running text of the seed (not table rows), verbatim
        joined = _normalise("".join(body_texts))
        for line in seed.splitlines():
            line = line.strip()
            if not line or "\t" in line:
                continue
            if _normalise(line) not in joined:
                problems.append(f"text missing: {line[:40]!r}")

        # 3. tables on the pages the 目录 gives
        where: dict[str, list[int]] = {}
        for number, text in enumerate(body_texts, start=1):
            for code in TABLE_MARK.findall(text):
                where.setdefault(code, []).append(number)
        if where != EXPECTED_TABLE_PAGES:
            problems.append(f"table pages {where} != {EXPECTED_TABLE_PAGES}")

        if len(pages) != EXPECTED_PAGES:
            problems.append(f"{len(pages)} pages, expected {EXPECTED_PAGES}")
        for heading, expected in EXPECTED_HEADING_PAGES.items():
            on = [
                n
                for n, text in enumerate(body_texts, start=1)
                if n > 2
                and any(
                    re.sub(r"\s+", "", ln) == re.sub(r"\s+", "", heading)
                    for ln in text.splitlines()
                )
            ]
            if on[:1] != [expected]:
                problems.append(f"heading {heading!r} on pages {on}, expected {expected}")

        # 4. footers carry the page number
        for number, text in enumerate(full_texts, start=1):
            if number > 1 and f"- {number} -" not in text:
                problems.append(f"page {number}: no footer page number")

        # 5. no word straddles two cells; amounts stand alone as words
        for number, page in enumerate(pages, start=1):
            tables = page.find_tables()
            words = page.extract_words()
            for table in tables:
                x0, top, x1, bottom = table.bbox
                for w in words:
                    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
                    if not (x0 < cx < x1 and top < cy < bottom):
                        continue
                    inside = any(
                        c[0] - 0.5 <= w["x0"]
                        and w["x1"] <= c[2] + 0.5
                        and c[1] - 0.5 <= w["top"]
                        and w["bottom"] <= c[3] + 0.5
                        for c in table.cells
                    )
                    if not inside:
                        problems.append(f"page {number}: word {w['text']!r} crosses a cell edge")
                    if AMOUNT.search(w["text"]) and not re.fullmatch(r"\d+\.\d{2}", w["text"]):
                        problems.append(f"page {number}: amount glued to text {w['text']!r}")
    return problems


def page_map(pdf_path: Path) -> list[str]:
    """One line per page: its number and first heading-like text."""
    import pdfplumber

    lines = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            text = (page.extract_text() or "").splitlines()
            marks = TABLE_MARK.findall(page.extract_text() or "")
            head = next((t for t in text if t.strip()), "")
            lines.append(f"{number:>3}  {('公开' + marks[0]) if marks else '':6}  {head[:40]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--check", action="store_true", help="after writing, verify the PDF against the seed text"
    )
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    pages = build(args.out)
    print(f"wrote {args.out} ({pages} pages) in {time.perf_counter() - started:.1f} s")
    if not args.check:
        return 0
    started = time.perf_counter()
    print("\n".join(page_map(args.out)))
    problems = check(args.out, args.seed)
    print(f"checked in {time.perf_counter() - started:.1f} s")
    for problem in problems:
        print("FAIL", problem)
    if problems:
        return 1
    print("OK: every amount and sentence of the seed is in the PDF, tables on their pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
