"""The certificate document: A4 landscape, Chinese and English, with a QR code to the public verification
page. The font is vendored (app/static/fonts, WenQuanYi Micro Hei, Apache-2.0) and embedded as a subset."""
from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.certification import credential
from app.core import clock

FONT = "WenQuanYiMicroHei"
FONT_FILE = Path(__file__).resolve().parent.parent / "static" / "fonts" / "wqy-microhei.ttc"
RED = HexColor("#b3261e")
INK = HexColor("#1d1b1a")
MUTED = HexColor("#5f5b58")


@lru_cache
def _register_font() -> str:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    return FONT


def printed_date(value) -> str:
    """A date as printed (the bank's calendar date): Chinese, then ISO."""
    value = clock.local(value)
    return f"{value.year}年{value.month}月{value.day}日 / {value:%Y-%m-%d}"


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _centred(canvas: Canvas, text: str, y: float, size: float, color=INK) -> None:
    canvas.setFont(FONT, size)
    canvas.setFillColor(color)
    canvas.drawCentredString(A4[1] / 2, y, text)


@dataclass
class Document:
    """What a verifiable document shows: certificates and honour awards alike are rendered from one of these."""

    #: the document's name, large (Chinese) and below it (English)
    title_zh: str
    title_en: str
    #: who it is about, and a smaller line under the name (employee number, the outlet's place in the bank)
    holder: str
    holder_note: str
    #: the facts printed below: (label, value)
    details: list[tuple[str, str]]
    #: the serial with its check character; the QR code points at /verify/<serial>
    serial: str
    lead: str = "兹证明 / This certifies that"


def render(cert) -> bytes:
    """The PDF bytes for a certificate."""
    until = printed_date(cert.valid_until) if cert.valid_until else "长期有效 / Does not expire"
    return render_document(Document(
        cert.type_name("zh"), cert.type_name("en"), cert.holder.name, f"员工号 Employee No. {cert.holder.employee_no}",
        [("证书编号 Serial", cert.serial), ("发证日期 Issued", printed_date(cert.issued_at)), ("有效期至 Valid until", until),
         ("发证机构 Issued by", f"{credential.ISSUER_NAME['zh']} · {credential.ISSUER_NAME['en']}")],
        cert.serial))


def render_document(doc: Document) -> bytes:
    """A4 landscape: frame, title, holder, details, and the QR code to the verification page."""
    _register_font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(f"{doc.title_zh} {doc.serial}")
    canvas.setAuthor(credential.ISSUER_NAME["zh"])
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
    _centred(canvas, "头雁计划 · Lead Goose", height - 40 * mm, 14, MUTED)
    _centred(canvas, doc.title_zh, height - 62 * mm, 32, RED)
    _centred(canvas, doc.title_en, height - 74 * mm, 14, MUTED)
    _centred(canvas, doc.lead, height - 94 * mm, 13, MUTED)
    _centred(canvas, doc.holder, height - 112 * mm, 28)
    _centred(canvas, doc.holder_note, height - 122 * mm, 11, MUTED)
    _details(canvas, doc.details, height)
    url = f"{credential.base_url()}/verify/{doc.serial}"
    _qr(canvas, url, width - 62 * mm, 24 * mm, 38 * mm)
    canvas.setFont(FONT, 8)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(width - 24 * mm, 21 * mm, "扫码验证 Scan to verify")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _details(canvas: Canvas, lines: list[tuple[str, str]], height: float) -> None:
    y = height - 142 * mm
    for label, value in lines:
        canvas.setFont(FONT, 10)
        canvas.setFillColor(MUTED)
        canvas.drawString(40 * mm, y, label)
        canvas.setFont(FONT, 12)
        canvas.setFillColor(INK)
        canvas.drawString(85 * mm, y, value)
        y -= 9 * mm
