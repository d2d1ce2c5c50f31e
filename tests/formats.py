"""Documents as people have them, made here from real-looking article text: a saved web page, PDF
e-paper pages in two to four columns with a CJK font, a Word file, CSV, TSV and a JSON array."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

# (headline, paragraphs): local news as a county paper prints it
SAFETY = (
    "全市安全生产工作会议召开",
    [
        "本报讯（记者 陈晓苏）1月11日上午，全市安全生产工作会议在市行政中心召开。市委书记胡勇春出席会议并讲话，"
        "市长郑云涛主持会议。会议总结了2023年全市安全生产工作，部署了今年的重点任务。",
        "胡勇春强调，要坚持人民至上、生命至上，压紧压实安全生产责任，坚决遏制重特大事故发生。要深入开展隐患排查整治，"
        "以“时时放心不下”的责任感抓好各项工作。",
        "市领导李浩锋、吴东明参加会议。各镇（街道、区）、市级有关部门主要负责人在主会场参加会议。",
    ],
)
EXHIBITION = (
    "第二届“寻美永康”摄影展开幕",
    [
        "本报讯（记者 王芳）1月10日下午，第二届“寻美永康”摄影展在市博物馆开幕。副市长王刚出席开幕式并致辞。",
        "本次展览共展出摄影作品120幅，展期一个月，全面展示了我市城乡发展的新面貌。市摄影家协会主席朱志昂介绍了展览情况。",
    ],
)
CPPCC = (
    "市政协召开主席会议",
    [
        "本报讯（记者 胡晓燕）1月9日，市政协召开十届主席会议。市政协主席朱长林主持会议并讲话。",
        "会议听取了2023年度市政协提案办理情况的汇报，审议通过了市政协2024年协商工作计划。朱长林指出，要聚焦中心大局，"
        "深入开展调查研究，积极建言献策，为我市高质量发展贡献政协力量。",
    ],
)
ARTICLES = [SAFETY, EXHIBITION, CPPCC]
# who took part in what, as kg extract finds it in the plain text of each
EXPECTED = {SAFETY[0]: ("胡勇春", "全市安全生产工作会议"), EXHIBITION[0]: ("王刚", "第二届“寻美永康”摄影展"), CPPCC[0]: ("朱长林", "十届主席会议")}


def plain(article) -> str:
    return "\n".join([article[0], *article[1]])


def html_page(article, *, canonical: str | None = None, og_url: str | None = None, date: str = "2024-01-11") -> str:
    """A news site's page: navigation, a sidebar of other news, the article, a footer."""
    head = [f'<link rel="canonical" href="{canonical}">' if canonical else "", f'<meta property="og:url" content="{og_url}">' if og_url else ""]
    body = "".join(f"<p>{p}</p>" for p in article[1])
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{article[0]} - 永康新闻网</title>
{"".join(head)}
<meta property="og:title" content="{article[0]}">
<meta property="article:published_time" content="{date}T09:30:00+08:00">
<meta property="og:site_name" content="永康新闻网">
</head><body>
<div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/zw/">政务公开</a></li><li><a href="/bm/">便民服务</a></li>
<li><a href="/sp/">视频新闻</a></li><li><a href="/login">登录注册</a></li></ul></div>
<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/news/">本地新闻</a></div>
<div class="main"><article><h1>{article[0]}</h1>
<div class="info">来源：永康日报　发布时间：{date} 09:30　编辑：李静</div>
<div class="content">{body}</div></article>
<aside class="related"><h3>相关新闻</h3><ul><li><a href="/n/1.html">我市召开农村工作会议部署春耕备耕</a></li>
<li><a href="/n/2.html">永康五金博览会招商启动</a></li><li><a href="/n/3.html">全市文明城市创建推进会举行</a></li></ul></aside></div>
<footer><p>版权所有：永康日报社　浙ICP备05012345号</p><p>地址：永康市金城路88号　联系电话：0579-87654321</p></footer>
</body></html>"""


def pdf_page(path: Path, *pages: list[tuple[tuple, int, int, int]], scan: bool = False, indent: int = 2) -> Path:
    """E-paper pages: on each, every (article, first column, columns, of columns) placed in a band
    from the top, its headline centred across its columns and its body flowing down one column,
    then the next, lines filled to the column's width, a paragraph's first line indented by
    ``indent`` cells (0: papers that set none); a running head above.

    The CJK font is Adobe's STSong-Light (a standard CID font: the PDF names it, readers bring it)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font, size, leading, head_size = "STSong-Light", 10.5, 14.0, 18.0
    width, height, margin, gutter = 595.0, 842.0, 36.0, 14.0
    c = canvas.Canvas(str(path), pagesize=(width, height))
    if scan:  # a scanned page: one picture, no text
        from PIL import Image

        c.drawInlineImage(Image.new("L", (200, 280), 255), margin, margin, width - 2 * margin, height - 2 * margin)
        c.save()
        return path
    for number, layout in enumerate(pages, start=2):
        _page(c, layout, number, font, size, leading, head_size, width, height, margin, gutter, indent * size)
        c.showPage()
    c.save()
    return path


def _page(c, layout, number, font, size, leading, head_size, width, height, margin, gutter, first_indent) -> None:
    from reportlab.pdfbase import pdfmetrics

    c.setFont(font, 9)
    c.drawString(margin, height - 24, f"永康日报　2024年1月12日　星期五　第{number}版　综合新闻")
    top = height - 48
    band_bottom = top
    for article, first, span, of in layout:
        column = (width - 2 * margin - (of - 1) * gutter) / of
        x0 = margin + first * (column + gutter)
        x1 = x0 + span * column + (span - 1) * gutter
        if first == 0:  # a new band below the last
            top = band_bottom
        y = top - head_size
        c.setFont(font, head_size)
        c.drawString(x0 + (x1 - x0 - pdfmetrics.stringWidth(article[0], font, head_size)) / 2, y, article[0])
        lines = []  # (indent, text), filled to the column's width as a typesetter does
        for paragraph in article[1]:
            line, indent = "", first_indent
            for char in paragraph:
                if pdfmetrics.stringWidth(line + char, font, size) > column - indent:
                    lines.append((indent, line))
                    line, indent = "", 0.0
                line += char
            lines.append((indent, line))
        per_column = -(-len(lines) // span)
        c.setFont(font, size)
        body_top = y - 1.6 * head_size
        for i, (indent, text) in enumerate(lines):
            col, row = divmod(i, per_column)
            c.drawString(x0 + col * (column + gutter) + indent, body_top - row * leading, text)
        band_bottom = min(band_bottom, body_top - per_column * leading - 2 * leading)


def browser_pdf(browser, path: Path, articles: list[tuple[str, list[str], list[str]]], columns: int | list[int], *,
                justify: bool = False, browser_furniture: bool = False, running_head: str = "永康日报　2024年1月12日　星期五　第2版　综合新闻") -> Path:
    """A page as a browser prints it: every (headline, subheads, paragraphs) one above the other,
    its headline centred over its body, the body in ``columns`` CSS columns (one count for all,
    or one per article), paragraphs indented two characters (``justify``: set justified), a
    byline (本报讯…, 本报记者…) and a photo's caption (…摄) in smaller type, in Noto Serif CJK
    (Debian's fonts-noto-cjk), printed to PDF by Chromium (whose PDFs map some characters to
    CJK radicals: 小 as ⼩); ``browser_furniture``: with the browser's own header and footer
    (the date it printed, the page's address, 1/1)."""
    from html import escape

    counts = columns if isinstance(columns, list) else [columns] * len(articles)

    def paragraph(text: str) -> str:
        small = text.startswith(("本报讯", "本报记者")) and len(text) < 30 or text.endswith("摄")
        return f'<p class="small">{escape(text)}</p>' if small else f"<p>{escape(text)}</p>"

    parts = [f'<div class="head">{escape(running_head)}</div>']
    for (headline, subheads, paragraphs), count in zip(articles, counts):
        parts.append(f"<h1>{escape(headline)}</h1>" + "".join(f"<h2>{escape(s)}</h2>" for s in subheads))
        parts.append(f'<div class="cols" style="column-count:{count}">' + "".join(paragraph(p) for p in paragraphs) + "</div>")
    style = ('body{font-family:"Noto Serif CJK SC";font-size:10.5pt;margin:1cm} .head{font-size:9pt} h1{text-align:center;font-size:18pt}'
             " h2{text-align:center;font-size:13pt} .cols{column-gap:14pt} p{text-indent:2em;margin:0} .small{font-size:8.5pt;text-indent:0}"
             + (" p{text-align:justify}" if justify else ""))
    page = browser.new_page()
    try:
        page.set_content(f'<html><head><meta charset="utf-8"><title>永康日报</title><style>{style}</style></head><body>{"".join(parts)}</body></html>')
        page.pdf(path=str(path), format="A3", display_header_footer=browser_furniture)  # a broadsheet-like page: the articles on one
    finally:
        page.close()
    return path


def docx_file(path: Path, article) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(article[0], level=1)
    for paragraph in article[1]:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def xlsx_file(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A spreadsheet written by openpyxl: {sheet title: rows, the first its header}."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def table_text(rows: list[dict], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def json_array(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)


def facts(record: dict, kind: str = "participation") -> set[tuple[str, str]]:
    return {(f["subject"]["text"], f["object"]["text"]) for f in record["facts"] if f["kind"] == kind}


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]
