"""Files made from charts: images (PNG, SVG, PDF), data (CSV, XLSX) and
briefing packs (PPTX with native charts, PDF, XLSX).

Pure functions: they take ``ChartData`` (from ``catalogue.build_chart``, the
same object the page draws) and plain dataclasses, never the ORM, so every
export shows exactly what the page shows. Images go through the warm renderer
in ``dashboard.rendering``.

Every file says what it is: the chart title, the filters in words with the
as-of date, the source note, when it was generated (in ``settings.TIME_ZONE``)
and, while demo rows are included, "Synthetic demo data".
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from dashboard import rendering
from dashboard.catalogue import ChartData
from dashboard.charts import DEMO_LABEL, MUTED, TEMPLATE, WARN, esc, synthetic_note, with_template
from registry.formatting import format_date, format_datetime

IMAGE_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "xlsx")
FORMATS = IMAGE_FORMATS + DATA_FORMATS
PACK_FORMATS = ("pptx", "pdf", "xlsx")
CONTENT_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
IMAGE_WIDTH = 1000  # layout pixels when the figure does not set a width
FOOTER_PX = 24  # room added under the figure for the "Generated ..." line
IMAGE_PADDING = 24  # pixels between the image's left edge and the title
MIN_SCALE, MAX_SCALE, DEFAULT_SCALE = 1, 4, 2
BACKGROUNDS = ("white", "transparent")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Provenance:
    """What a file must say about where its numbers come from."""

    filters: str  # the scope in words, e.g. Scope.describe()
    as_of: datetime.date
    generated_at: datetime.datetime  # timezone-aware, in settings.TIME_ZONE
    demo: bool = False
    time_zone: str = ""

    @property
    def generated(self) -> str:
        """E.g. "25 November 2026 14:05 (Asia/Shanghai, UTC+08:00)"."""
        return format_generated(self.generated_at, self.time_zone)


def format_generated(moment: datetime.datetime, time_zone: str = "") -> str:
    """The moment in the active language with its time zone: "25 November 2026
    14:05 (Asia/Shanghai, UTC+08:00)", "2026年11月25日 14:05（Asia/Shanghai，UTC+08:00）"."""
    offset = moment.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else ""
    zone = pgettext("between a time zone's name and its UTC offset", ", ").join(p for p in (time_zone, offset) if p)
    when = format_datetime(moment)
    return _("%(when)s (%(zone)s)") % {"when": when, "zone": zone} if zone else when


def file_name(slug: str, stem: str, ext: str, extra: Iterable[str] = ()) -> str:
    """``<chart-slug>_<scope stem>[_<extra>].<ext>``, safe for every file system."""
    parts = [slug, stem, *(slugify(str(value))[:40] for value in extra if value)]
    return "_".join(p for p in parts if p) + f".{ext}"


def is_demo(chart: ChartData, provenance: Provenance) -> bool:
    return bool(chart.meta.demo or provenance.demo)


def demo_note(chart: ChartData, provenance: Provenance) -> str:
    """The synthetic-data mark a file carries, with how many real and synthetic
    organisations its figures count when known; "" for real data only."""
    if not is_demo(chart, provenance):
        return ""
    return synthetic_note(chart.meta) or str(DEMO_LABEL)


def not_real() -> str:
    return _("%(label)s: figures that include demo rows are not real.") % {"label": DEMO_LABEL}


# --------------------------------------------------------------------------- images


def export_figure(chart: ChartData, provenance: Provenance, *, background: str = "white") -> tuple[dict, int, int]:
    """A copy of the chart's figure for a file, with the house template: the
    generation time (and the demo label) added under it, the background set.
    Returns (figure dict, width, height) in layout pixels; the page's figure is
    not changed."""
    if background not in BACKGROUNDS:
        raise ValueError(f"background must be one of {BACKGROUNDS}")
    fig = with_template(chart.figure)
    layout = fig["layout"]
    title = layout.setdefault("title", {})
    if not title.get("text"):
        title["text"] = f"<b>{esc(chart.meta.title)}</b>"
    # On the page the card around the chart gives the title room; in a file the
    # title and subtitle would otherwise touch the image's left edge.
    title["pad"] = {"l": IMAGE_PADDING}
    subtitle = title.setdefault("subtitle", {})
    if not subtitle.get("text"):
        subtitle["text"] = esc(chart.meta.subtitle or provenance.filters)
    width = int(layout.get("width") or IMAGE_WIDTH)
    height = int(layout.get("height") or 450) + FOOTER_PX
    margin = layout.setdefault("margin", {})
    bottom = int(margin["b"] if margin.get("b") is not None else 80) + FOOTER_PX
    # Room on the left for the axis title beside the padding; long labels still
    # widen it (automargin).
    margin["l"] = int(margin.get("l") or TEMPLATE["layout"]["margin"]["l"]) + IMAGE_PADDING
    layout.update(width=width, height=height)
    margin["b"] = bottom
    note = demo_note(chart, provenance)
    demo = bool(note)
    footer = _("Generated %(when)s") % {"when": esc(provenance.generated)}
    if demo:
        footer += f" · <b>{esc(note)}</b>"
    layout.setdefault("annotations", []).append(
        {
            "text": footer,
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "yshift": -(bottom - 6),
            "xanchor": "left",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": 10, "color": WARN if demo else MUTED},
            "align": "left",
        }
    )
    if background == "transparent":
        layout.update(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    return fig, width, height


def chart_image(
    chart: ChartData, provenance: Provenance, *, fmt: str, scale: float = 1, background: str = "white"
) -> bytes:
    """The chart as PNG, SVG or PDF. Raises ``rendering.RenderError``."""
    figure, width, height = export_figure(chart, provenance, background=background)
    return rendering.render_figure(figure, fmt=fmt, width=width, height=height, scale=scale)


# --------------------------------------------------------------------------- data


def safe_cell(value):
    """Neutralise spreadsheet formula injection: text starting with = + - @, a tab
    or a carriage return gets a leading single quote. Numbers are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def header_rows(chart: ChartData, provenance: Provenance) -> list[tuple[str, str]]:
    """The block above the data: what it is and where it comes from."""
    rows = [
        (_("Title"), chart.meta.title),
        (_("Filters"), provenance.filters),
        (_("As of"), provenance.as_of.isoformat()),
        (_("Source"), chart.meta.source),
        (_("Generated"), provenance.generated),
    ]
    if chart.meta.subtitle and chart.meta.subtitle != provenance.filters:
        rows.insert(2, (_("Chart note"), chart.meta.subtitle))
    until = chart.meta.data_until
    if until is not None and until < provenance.as_of:
        rows.append((_("Latest data"), until.isoformat()))
    if note := demo_note(chart, provenance):
        rows.append((_("Data"), note))
    return rows


def chart_csv(chart: ChartData, provenance: Provenance) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Chinese names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for label, value in header_rows(chart, provenance):
        writer.writerow([label, safe_cell(value)])
    writer.writerow([])
    writer.writerow([safe_cell(c) for c in chart.columns])
    for row in chart.rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _write_data_sheet(ws, chart: ChartData, provenance: Provenance) -> None:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    for label, value in header_rows(chart, provenance):
        ws.append([label, safe_cell(value)])
        ws.cell(row=ws.max_row, column=1).font = bold
        if label == _("Data"):
            ws.cell(row=ws.max_row, column=2).font = Font(bold=True, color="9A3412")
    ws.append([])
    ws.append([safe_cell(c) for c in chart.columns])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = bold
    for row in chart.rows:
        ws.append([safe_cell(v) for v in row])
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for index, column in enumerate(chart.columns, start=1):
        longest = max([len(str(column))] + [len(str(r[index - 1])) for r in chart.rows[:200] if len(r) >= index])
        ws.column_dimensions[ws.cell(row=header_row, column=index).column_letter].width = min(max(12, longest + 2), 60)


def _workbook_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def chart_xlsx(chart: ChartData, provenance: Provenance) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name(chart.meta.title, set())
    _write_data_sheet(ws, chart, provenance)
    return _workbook_bytes(wb)


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, used: set[str]) -> str:
    """An Excel sheet name: no []:*?/\\, at most 31 characters, not starting or
    ending with an apostrophe, unique (case-insensitively) among ``used``,
    which it updates."""
    base = _SHEET_FORBIDDEN.sub(" ", title or "Sheet")
    base = re.sub(r"\s+", " ", base).strip().strip("'").strip() or "Sheet"
    name, n = base[:31].strip(), 1
    while name.casefold() in used:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)].strip() + suffix
    used.add(name.casefold())
    return name


# --------------------------------------------------------------------------- briefing packs


@dataclass(frozen=True)
class Quote:
    """A statement chosen for a briefing, with its attribution, as plain text."""

    text: str
    speaker: str = ""
    role: str = ""
    organisation: str = ""
    source_title: str = ""
    source_date: str = ""
    url: str = ""
    paraphrase: bool = False

    @property
    def attribution(self) -> str:
        who = ", ".join(p for p in (self.speaker, self.role, self.organisation) if p) or _("Unattributed")
        where = ", ".join(p for p in (self.source_title, self.source_date) if p and p != "unknown")
        return f"{who} — {where}" if where else who


@dataclass(frozen=True)
class PackItem:
    chart: ChartData
    provenance: Provenance
    caption: str = ""


@dataclass(frozen=True)
class Pack:
    title: str
    author: str
    generated_at: datetime.datetime
    generated: str  # the same time in words
    items: Sequence[PackItem]
    quotes: Sequence[Quote] = ()
    omitted: Sequence[str] = field(default_factory=tuple)  # items that could not be built, in words

    @property
    def demo(self) -> bool:
        return any(is_demo(i.chart, i.provenance) for i in self.items)


def _notes(item: PackItem) -> str:
    lines = [
        _("Filters: %(filters)s") % {"filters": item.provenance.filters},
        _("As of: %(date)s") % {"date": format_date(item.provenance.as_of)},
        _("Source: %(source)s") % {"source": item.chart.meta.source},
        _("Generated: %(when)s") % {"when": item.provenance.generated},
    ]
    if item.caption:
        lines.insert(0, item.caption)
    if note := demo_note(item.chart, item.provenance):
        lines.append(f"{note}. {not_real()}")
    return "\n".join(lines)


QUOTE_SLIDE_CHARS = 420
QUOTES_PER_SLIDE = 3


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def briefing_pptx(pack: Pack) -> bytes:
    """Title slide; one slide per chart (native, editable PowerPoint chart where
    the chart has ``native`` series, else a PNG); the chosen statements. Each
    chart slide's notes hold the filters, as-of date and source."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Emu, Inches, Pt

    kinds = {
        "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
        "stacked_bar": XL_CHART_TYPE.COLUMN_STACKED,
        "line": XL_CHART_TYPE.LINE,
    }
    muted, warn = RGBColor(0x52, 0x60, 0x6D), RGBColor(0x9A, 0x34, 0x12)
    prs = Presentation()
    prs.core_properties.title = pack.title
    prs.core_properties.author = pack.author
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    width = prs.slide_width
    margin = Inches(0.5)

    def text_box(slide, top, height, text, *, size=12, color=None, bold=False):
        box = slide.shapes.add_textbox(margin, top, width - 2 * margin, height)
        frame = box.text_frame
        frame.word_wrap = True
        for index, line in enumerate(text.split("\n")):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line
            run.font.size = Pt(size)
            run.font.bold = bold
            if color is not None:
                run.font.color.rgb = color
        return box

    def set_title(slide, text, size=26):
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = margin, Inches(0.3), width - 2 * margin, Inches(0.8)
        title.text = text
        for paragraph in title.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(size)
                run.font.bold = True

    # Title slide
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = pack.title
    subtitle = ngettext("%(count)s chart", "%(count)s charts", len(pack.items)) % {"count": len(pack.items)}
    if pack.quotes:
        statements = ngettext("%(count)s statement", "%(count)s statements", len(pack.quotes))
        subtitle += " · " + statements % {"count": len(pack.quotes)}
    subtitle += "\n" + _("Prepared by %(author)s · generated %(when)s") % {
        "author": pack.author,
        "when": pack.generated,
    }
    if pack.demo:
        subtitle += f"\n{not_real()}"
    slide.placeholders[1].text = subtitle
    title_notes = [_("Generated %(when)s.") % {"when": pack.generated}]
    if pack.omitted:
        title_notes.append(
            _("Left out because they could not be built: %(items)s") % {"items": "; ".join(pack.omitted)}
        )
    slide.notes_slide.notes_text_frame.text = "\n".join(title_notes)

    # Chart slides
    body_top, body_bottom = Inches(1.75), prs.slide_height - Inches(0.8)
    for item in pack.items:
        chart, prov = item.chart, item.provenance
        slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
        set_title(slide, chart.meta.title)
        sub = chart.meta.subtitle or prov.filters
        text_box(
            slide, Inches(1.1), Inches(0.6), sub + (f"\n{item.caption}" if item.caption else ""), size=12, color=muted
        )
        box_height = body_bottom - body_top
        native = chart.native
        if native is not None and native.kind in kinds and native.series and native.categories:
            data = CategoryChartData(number_format=native.number_format)
            data.categories = [str(c) for c in native.categories]
            for series in native.series:
                data.add_series(series.name, series.values)
            graphic = slide.shapes.add_chart(kinds[native.kind], margin, body_top, width - 2 * margin, box_height, data)
            pchart = graphic.chart
            pchart.has_legend = len(native.series) > 1
            if pchart.has_legend:
                pchart.legend.position = XL_LEGEND_POSITION.BOTTOM
                pchart.legend.include_in_layout = False
            if native.kind == "bar" and len(native.series) == 1:
                plot = pchart.plots[0]
                plot.has_data_labels = True
                plot.data_labels.number_format = native.number_format
                plot.data_labels.number_format_is_linked = False
            pchart.font.size = Pt(12)
        else:
            figure, fig_w, fig_h = export_figure(chart, prov)
            png = rendering.render_figure(figure, fmt="png", width=fig_w, height=fig_h, scale=2)
            box_width = width - 2 * margin
            ratio = min(box_width / fig_w, box_height / fig_h)
            pic_w, pic_h = Emu(int(fig_w * ratio)), Emu(int(fig_h * ratio))
            slide.shapes.add_picture(io.BytesIO(png), int((width - pic_w) / 2), body_top, pic_w, pic_h)
        footer = _("Source: %(source)s · Generated %(when)s") % {"source": chart.meta.source, "when": prov.generated}
        note = demo_note(chart, prov)
        demo = bool(note)
        if demo:
            footer += f" · {note}"
        text_box(slide, body_bottom + Inches(0.1), Inches(0.5), footer, size=10, color=warn if demo else muted)
        slide.notes_slide.notes_text_frame.text = _notes(item)

    # Statements
    for start in range(0, len(pack.quotes), QUOTES_PER_SLIDE):
        chunk = pack.quotes[start : start + QUOTES_PER_SLIDE]
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        set_title(slide, _("What they said") if start == 0 else _("What they said (continued)"))
        top = Inches(1.3)
        step = (prs.slide_height - top - Inches(0.4)) / len(chunk)
        for quote in chunk:
            text = _clip(quote.text, QUOTE_SLIDE_CHARS)
            shown = f"“{text}”" if not quote.paraphrase else _("%(text)s (paraphrase)") % {"text": text}
            text_box(slide, int(top), int(step * 0.62), shown, size=16)
            text_box(slide, int(top + step * 0.62), int(step * 0.3), quote.attribution, size=12, color=muted)
            top += step
        slide.notes_slide.notes_text_frame.text = "\n\n".join(
            f"{q.text}\n— {q.attribution}" + (f"\n{q.url}" if q.url else "") for q in chunk
        )

    _set_east_asian_fonts(prs)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


# The typeface PowerPoint draws Chinese text with (<a:ea>): without it,
# PowerPoint falls back to the theme's East Asian font, which a Latin theme
# leaves empty, and some viewers draw boxes. Microsoft YaHei ships with every
# Windows and Office for Mac; LibreOffice substitutes Noto Sans CJK.
PPTX_EAST_ASIAN_FONT = "Microsoft YaHei"
PPTX_LATIN_FONT = "Calibri"


def _set_east_asian_font(rpr) -> None:
    """Give a run's (or a chart's default) character properties the East Asian
    typeface, keeping the schema's order (a:latin, a:ea, a:cs, ...)."""
    from pptx.oxml.ns import qn

    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = rpr.makeelement(qn("a:ea"), {})
        latin = rpr.find(qn("a:latin"))
        if latin is not None:
            latin.addnext(ea)
        else:
            following = [rpr.find(qn(tag)) for tag in ("a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl")]
            following = [el for el in following if el is not None]
            if following:
                following[0].addprevious(ea)
            else:
                rpr.append(ea)
    ea.set("typeface", PPTX_EAST_ASIAN_FONT)


def _set_east_asian_fonts(prs) -> None:
    """Every run of every slide, and every chart's text, in the East Asian typeface."""
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        _set_east_asian_font(run._r.get_or_add_rPr())
            if getattr(shape, "has_chart", False):
                _set_east_asian_font(shape.chart.font._rPr)


# ----- PDF

_CJK = re.compile(r"([\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+)")
_CJK_FONT = "STSong-Light"


def _register_cjk_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_CJK_FONT))


def _para(text: str) -> str:
    """Paragraph markup: XML-escaped, Chinese runs set in a CJK font (Helvetica has none)."""
    from xml.sax.saxutils import escape

    return _CJK.sub(lambda m: f'<font name="{_CJK_FONT}">{m.group(1)}</font>', escape(text)).replace("\n", "<br/>")


def briefing_pdf(pack: Pack) -> bytes:
    """Landscape A4: a title page, one page per chart (the vector PDF kaleido
    makes, placed above its notes), then the statements."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Paragraph, SimpleDocTemplate, Spacer

    _register_cjk_font()
    page_w, page_h = landscape(A4)
    styles = getSampleStyleSheet()
    title_style = ParagraphStyle("t", parent=styles["Title"], alignment=0, fontSize=26, leading=32)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontSize=15, leading=19, spaceAfter=2)
    body = ParagraphStyle("b", parent=styles["BodyText"], fontSize=10, leading=13)
    muted = ParagraphStyle("m", parent=body, textColor=colors.HexColor("#52606d"))
    warn = ParagraphStyle("w", parent=body, textColor=colors.HexColor("#9a3412"), fontName="Helvetica-Bold")
    quote_style = ParagraphStyle("q", parent=body, fontSize=12, leading=16, leftIndent=12, spaceBefore=8)

    placements: list[tuple[int, float, float, float, float]] = []

    class ChartSlot(Flowable):
        """Reserves the box a chart's vector PDF is merged into afterwards."""

        def __init__(self, width, height):
            super().__init__()
            self.width, self.height = width, height

        def wrap(self, available_width, available_height):
            return self.width, self.height

        def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - reportlab's name
            placements.append((canvas.getPageNumber() - 1, x, y, self.width, self.height))

    frame_w = page_w - 3 * cm
    story = [Paragraph(_para(pack.title), title_style), Spacer(1, 8)]
    summary = _("%(charts)s chart(s), %(statements)s statement(s). Prepared by %(author)s; generated %(when)s.") % {
        "charts": len(pack.items),
        "statements": len(pack.quotes),
        "author": pack.author,
        "when": pack.generated,
    }
    story.append(Paragraph(_para(summary), body))
    if pack.demo:
        story.append(Paragraph(_para(not_real()), warn))
    story.append(Spacer(1, 12))
    for number, item in enumerate(pack.items, start=1):
        story.append(Paragraph(_para(f"{number}. {item.chart.meta.title} — {item.provenance.filters}"), body))
    if pack.omitted:
        story.append(Spacer(1, 8))
        left_out = _("Left out because they could not be built: %(items)s") % {"items": "; ".join(pack.omitted)}
        story.append(Paragraph(_para(left_out), muted))

    notes_h = 3.2 * cm
    slot_h = page_h - 3 * cm - notes_h - 1.2 * cm
    for item in pack.items:
        story.append(PageBreak())
        story.append(ChartSlot(frame_w, slot_h))
        notes = [Paragraph(_para(line), muted) for line in _notes(item).split("\n")]
        story.append(KeepInFrame(frame_w, notes_h, notes, mode="shrink"))
    if pack.quotes:
        story.append(PageBreak())
        story.append(Paragraph(_para(_("What they said")), h2))
        for quote in pack.quotes:
            text = quote.text if quote.paraphrase else f"“{quote.text}”"
            story.append(Paragraph(_para(text), quote_style))
            line = f"— {quote.attribution}" + (f" · {quote.url}" if quote.url else "")
            story.append(Paragraph(_para(line), ParagraphStyle("a", parent=muted, leftIndent=12)))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#52606d"))
        text = _("%(title)s · generated %(when)s · page %(page)s") % {
            "title": pack.title,
            "when": pack.generated,
            "page": doc.page,
        }
        if pack.demo:
            text += f" · {DEMO_LABEL}"
        if _CJK.search(text):
            canvas.setFont(_CJK_FONT, 8)
        canvas.drawString(1.5 * cm, 0.8 * cm, text)
        canvas.restoreState()

    base = io.BytesIO()
    doc = SimpleDocTemplate(
        base,
        pagesize=(page_w, page_h),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=pack.title,
        author=pack.author,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(base.getvalue())))
    for item, (page_index, x, y, w, h) in zip(pack.items, placements, strict=True):
        figure, fig_w, fig_h = export_figure(item.chart, item.provenance)
        chart_pdf = rendering.render_figure(figure, fmt="pdf", width=fig_w, height=fig_h, scale=1)
        chart_page = PdfReader(io.BytesIO(chart_pdf)).pages[0]
        cw, ch = float(chart_page.mediabox.width), float(chart_page.mediabox.height)
        ratio = min(w / cw, h / ch)
        dx = x + (w - cw * ratio) / 2 - float(chart_page.mediabox.left) * ratio
        dy = y + (h - ch * ratio) - float(chart_page.mediabox.bottom) * ratio
        writer.pages[page_index].merge_transformed_page(chart_page, Transformation().scale(ratio).translate(dx, dy))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def briefing_xlsx(pack: Pack) -> bytes:
    """One sheet per chart's data, a "Sources" sheet, and a "Statements" sheet
    when statements were chosen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    used = {str(_("Sources")).casefold(), str(_("Statements")).casefold()}
    sources = wb.active
    sources.title = _("Sources")
    bold = Font(bold=True)
    sources.append([safe_cell(pack.title)])
    sources.cell(row=1, column=1).font = Font(bold=True, size=14)
    sources.append([_("Prepared by %(author)s; generated %(when)s") % {"author": pack.author, "when": pack.generated}])
    if pack.demo:
        sources.append([not_real()])
    sources.append([])
    sources.append(
        [_("Sheet"), _("Chart"), _("Filters"), _("As of"), _("Source"), _("Caption"), _("Generated"), _("Data")]
    )
    for cell in sources[sources.max_row]:
        cell.font = bold
    for item in pack.items:
        name = sheet_name(item.chart.meta.title, used)
        ws = wb.create_sheet(name)
        _write_data_sheet(ws, item.chart, item.provenance)
        sources.append(
            [
                safe_cell(v)
                for v in (
                    name,
                    item.chart.meta.title,
                    item.provenance.filters,
                    item.provenance.as_of.isoformat(),
                    item.chart.meta.source,
                    item.caption,
                    item.provenance.generated,
                    demo_note(item.chart, item.provenance),
                )
            ]
        )
    for omitted in pack.omitted:
        sources.append(["", safe_cell(omitted), _("Left out: could not be built")])
    for letter, w in zip("ABCDEFGH", (24, 40, 60, 12, 50, 30, 28, 20), strict=True):
        sources.column_dimensions[letter].width = w
    if pack.quotes:
        ws = wb.create_sheet(_("Statements"))
        ws.append(
            [_("Statement"), _("Kind"), _("Speaker"), _("Role"), _("Organisation"), _("Source"), _("Date"), _("URL")]
        )
        for cell in ws[1]:
            cell.font = bold
        for q in pack.quotes:
            ws.append(
                [
                    safe_cell(v)
                    for v in (
                        q.text,
                        _("Paraphrase") if q.paraphrase else _("Quote"),
                        q.speaker,
                        q.role,
                        q.organisation,
                        q.source_title,
                        q.source_date,
                        q.url,
                    )
                ]
            )
        ws.column_dimensions["A"].width = 80
    return _workbook_bytes(wb)
