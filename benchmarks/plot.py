"""A small SVG line chart for docs/benchmarks.md: latency percentiles (log scale) against load, one panel per
scenario. No plotting library is needed to read or regenerate it."""
import math

COLORS = {"ours": "#1f77b4", "peer": "#d62728"}
DASHES = {"p50": "", "p99": "6,3", "p99.9": "2,3"}
W, H, PAD_L, PAD_R, PAD_T, PAD_B = 380, 260, 56, 12, 28, 44


def _ticks(lo, hi):
    """Decades and their 2x/5x between lo and hi."""
    out = []
    e = math.floor(math.log10(lo))
    while 10 ** e <= hi * 1.0001:
        for m in (1, 2, 5):
            v = m * 10 ** e
            if lo <= v <= hi:
                out.append(v)
        e += 1
    return out


def _label(v):
    return f"{v:g}" if v < 10_000 else f"{v / 1000:g}k"


def _panel(panel, ox):
    points = [p for s in panel["series"] for p in s["points"] if p[1] > 0]
    if not points:
        return []
    xs = [p[0] for p in points]
    ylo = 10 ** math.floor(math.log10(min(p[1] for p in points)))
    yhi = 10 ** math.ceil(math.log10(max(p[1] for p in points)))
    xlo, xhi = 0, max(xs) * 1.05
    pw, ph = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    fx = lambda x: ox + PAD_L + (x - xlo) / (xhi - xlo) * pw
    fy = lambda y: PAD_T + ph - (math.log10(y) - math.log10(ylo)) / (math.log10(yhi) - math.log10(ylo)) * ph
    out = [f'<text x="{ox + W / 2}" y="16" text-anchor="middle" font-weight="bold">{panel["title"]}</text>',
           f'<rect x="{ox + PAD_L}" y="{PAD_T}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>']
    for y in _ticks(ylo, yhi):
        out.append(f'<line x1="{ox + PAD_L}" x2="{ox + PAD_L + pw}" y1="{fy(y):.1f}" y2="{fy(y):.1f}" '
                   f'stroke="#eee"/><text x="{ox + PAD_L - 4}" y="{fy(y) + 4:.1f}" text-anchor="end">{_label(y)}</text>')
    for x in sorted(set(xs)):
        out.append(f'<text x="{fx(x):.1f}" y="{PAD_T + ph + 14}" text-anchor="middle">{_label(x)}</text>')
    out.append(f'<text x="{ox + PAD_L + pw / 2}" y="{H - 8}" text-anchor="middle">{panel["xlabel"]}</text>')
    out.append(f'<text x="{ox + 14}" y="{PAD_T + ph / 2}" text-anchor="middle" '
               f'transform="rotate(-90 {ox + 14} {PAD_T + ph / 2})">latency ms (log)</text>')
    for s in panel["series"]:
        pts = sorted(p for p in s["points"] if p[1] > 0)
        if not pts:
            continue
        path = " ".join(f"{fx(x):.1f},{fy(y):.1f}" for x, y in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{COLORS[s["server"]]}" stroke-width="2" '
                   f'stroke-dasharray="{DASHES[s["percentile"]]}"/>')
        out += [f'<circle cx="{fx(x):.1f}" cy="{fy(y):.1f}" r="2.5" fill="{COLORS[s["server"]]}"/>' for x, y in pts]
    return out


def write_svg(panels, path):
    """panels: [{title, xlabel, series: [{server, percentile, points: [(x, y_ms)]}]}]"""
    width = W * len(panels)
    body = []
    for i, panel in enumerate(panels):
        body += _panel(panel, i * W)
    legend, x = [], 10
    for server in ("ours", "peer"):
        for pct in ("p50", "p99", "p99.9"):
            legend.append(f'<line x1="{x}" x2="{x + 24}" y1="{H + 12}" y2="{H + 12}" stroke="{COLORS[server]}" '
                          f'stroke-width="2" stroke-dasharray="{DASHES[pct]}"/>'
                          f'<text x="{x + 28}" y="{H + 16}">{server} {pct}</text>')
            x += 110
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{H + 24}" font-family="sans-serif" '
           f'font-size="11"><rect width="100%" height="100%" fill="white"/>' + "".join(body + legend) + "</svg>\n")
    with open(path, "w") as f:
        f.write(svg)
