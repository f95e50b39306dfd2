"""Server-drawn SVG charts (no JavaScript, no library): a line for trends, bars for rankings.
Each chart scales to its box (viewBox), so it fits a phone; the same figures are also in a table."""
from __future__ import annotations

from html import escape

from markupsafe import Markup

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 600, 220, 44, 28, 12


def _scale(values: list[float]) -> tuple[float, float]:
    low, high = min(values + [0.0]), max(values + [0.0])
    if high == low:
        high = low + 1
    return low, high


def line_chart(points: list[tuple[str, float]], title: str, invert: bool = False) -> Markup:
    """Labels along the bottom, one value each; `invert` puts small values on top (for ranks)."""
    if not points:
        return Markup("")
    values = [float(v) for _label, v in points]
    low, high = _scale(values) if not invert else (min(values), max(values) + (max(values) == min(values)))
    plot_w, plot_h = WIDTH - PAD_LEFT - 10, HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / max(len(points) - 1, 1)

    def y(value: float) -> float:
        share = (value - low) / (high - low)
        return PAD_TOP + (share if invert else 1 - share) * plot_h

    coords = [(PAD_LEFT + i * step, y(v)) for i, v in enumerate(values)]
    parts = [_frame(title, low, high, invert, y)]
    parts.append('<polyline fill="none" stroke="#b3261e" stroke-width="2.5" points="%s"/>'
                 % " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords))
    for (x, yy), (label, value) in zip(coords, points):
        parts.append(f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="4" fill="#b3261e"><title>{escape(label)}: {value}</title></circle>')
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="12">{escape(label)}</text>')
    return _svg(title, parts)


def bar_chart(rows: list[tuple[str, float]], title: str) -> Markup:
    """Horizontal bars, one per row, longest for the highest value; negative values draw leftwards."""
    if not rows:
        return Markup("")
    values = [float(v) for _label, v in rows]
    low, high = min(values + [0.0]), max(values + [0.0])
    span = (high - low) or 1
    row_h, label_w = 22, 150
    height = PAD_TOP + row_h * len(rows) + 8
    zero = label_w + (0 - low) / span * (WIDTH - label_w - 60)
    parts = [f'<title>{escape(title)}</title>']
    for i, (label, value) in enumerate(rows):
        top = PAD_TOP + i * row_h
        end = label_w + (float(value) - low) / span * (WIDTH - label_w - 60)
        x, w = min(zero, end), max(abs(end - zero), 1)
        parts.append(f'<text x="{label_w - 6}" y="{top + 15}" text-anchor="end" font-size="12">{escape(label[:14])}</text>')
        parts.append(f'<rect x="{x:.1f}" y="{top + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{"#b3261e" if value >= 0 else "#7a4b00"}"/>')
        parts.append(f'<text x="{max(zero, end) + 4:.1f}" y="{top + 15}" font-size="12">{value}</text>')
    parts.append(f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{PAD_TOP}" y2="{height - 8}" stroke="#5f5b58"/>')
    return Markup(f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
                  f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>')


def _frame(title: str, low: float, high: float, invert: bool, y) -> str:
    lines = [f'<title>{escape(title)}</title>']
    for value in (low, (low + high) / 2, high):
        yy = y(value)
        lines.append(f'<line x1="{PAD_LEFT}" x2="{WIDTH - 10}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#ddd6d2"/>')
        lines.append(f'<text x="{PAD_LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end" font-size="11">{value:g}</text>')
    return "".join(lines)


def _svg(title: str, parts: list[str]) -> Markup:
    return Markup(f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
                  f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>')
