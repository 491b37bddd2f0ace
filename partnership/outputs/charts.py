"""Charts drawn with matplotlib (docs/adr/0007), inlined in a page as SVG beside the table of
their numbers."""

import io
import re


def new_figure(width_inches: float, height_inches: float):
    """A matplotlib figure whose SVG is the same on every run (no date, a fixed hash salt),
    with its text kept as text."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "partnership"
    return Figure(figsize=(width_inches, height_inches), dpi=96)


def inline_svg(figure) -> str:
    """The figure as an `<svg>` to put in a page: no XML prologue; hidden from screen readers
    (the page gives its text alternative and its table); and without its fixed width and height,
    so it keeps its viewBox and scales to the column it is in, down to a 390 px phone."""
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    opening, rest = svg.split(">", 1)
    opening = re.sub(r'\s(width|height)="[^"]*"', "", opening)
    opening = opening.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return f"{opening}>{rest}"
