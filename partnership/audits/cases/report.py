"""What the report and the across-audits summary show, in a fixed number of queries."""

from collections import Counter, defaultdict

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from partnership.outputs.charts import inline_svg, new_figure
from partnership.outputs.pdf import html_to_pdf

from .models import CaseAgency, CaseAnswer, CaseAudit, CaseAuditTheme, CasePartStatus


def grade_table(audit: CaseAudit) -> list[dict]:
    """For each section (area) of the tool, how many answers took each grade."""
    counts = (
        CaseAnswer.objects.filter(part__case__audit=audit)
        .values("question__section__position", "question__section__title", "grade")
        .annotate(n=Count("pk"))
    )
    areas: dict = {}
    for row in counts:
        key = (row["question__section__position"], row["question__section__title"])
        areas.setdefault(key, Counter())[row["grade"]] += row["n"]
    return [
        {"area": title, "counts": [areas[(position, title)][g] for g in audit.grade_scale]}
        for position, title in sorted(areas)
    ]


def report_context(audit: CaseAudit) -> dict:
    parts = CaseAgency.objects.filter(case__audit=audit)
    distributed = parts.count()
    returned = parts.filter(status=CasePartStatus.RETURNED).count()
    return {
        "audit": audit,
        "distributed": distributed,
        "returned": returned,
        "grades": grade_table(audit),
        "joint": Counter(audit.cases.exclude(joint_grade="").values_list("joint_grade", flat=True)),
        "findings": list(audit.findings.all()),
        "recommendations": list(
            audit.recommendations.prefetch_related("actions__owner", "actions__organisation")
        ),
        "generated_at": timezone.now(),
    }


def report_pdf(audit: CaseAudit) -> bytes:
    html = render_to_string("audits/cases/print/report.html", report_context(audit))
    return html_to_pdf(html)


def across_audits(audits) -> dict:
    """Grades by area and agency over the audits given, and each theme over the years."""
    answers = (
        CaseAnswer.objects.filter(part__case__audit__in=audits)
        .values("question__section__title", "part__organisation__name", "grade")
        .annotate(n=Count("pk"))
        .order_by("question__section__title", "part__organisation__name")
    )
    by_area: dict = defaultdict(Counter)
    for row in answers:
        key = (row["question__section__title"], row["part__organisation__name"])
        by_area[key][row["grade"]] += row["n"]
    area_rows = [
        {
            "area": area,
            "agency": agency,
            "answers": sum(grades.values()),
            "good_or_better": grades["Outstanding"] + grades["Good"],
            "requires_improvement": grades["Requires improvement"],
            "inadequate": grades["Inadequate"],
        }
        for (area, agency), grades in sorted(by_area.items())
    ]
    joint = (
        audits.exclude(distributed_on__isnull=True)
        .values("theme", "distributed_on__year", "cases__joint_grade")
        .annotate(n=Count("cases"))
    )
    themes: dict = defaultdict(Counter)
    audits_per: dict = {}
    for row in joint:
        key = (row["theme"], row["distributed_on__year"])
        themes[key][row["cases__joint_grade"] or ""] += row["n"]
    for row in (
        audits.exclude(distributed_on__isnull=True)
        .values("theme", "distributed_on__year")
        .annotate(n=Count("pk"))
    ):
        audits_per[(row["theme"], row["distributed_on__year"])] = row["n"]
    labels = dict(CaseAuditTheme.choices)
    theme_rows = []
    for (theme, year), grades in sorted(themes.items(), key=lambda item: (item[0][0], item[0][1])):
        judged = sum(n for grade, n in grades.items() if grade)
        good = grades["Outstanding"] + grades["Good"]
        theme_rows.append(
            {
                "theme": labels.get(theme, theme),
                "year": year,
                "audits": audits_per.get((theme, year), 0),
                "judged": judged,
                "good_or_better": good,
                "percent": round(100 * good / judged) if judged else None,
            }
        )
    judged = [row for row in theme_rows if row["percent"] is not None]
    return {
        "area_rows": area_rows,
        "theme_rows": theme_rows,
        "chart": theme_chart(theme_rows) if judged else "",
        "chart_text": theme_chart_text(theme_rows) if judged else "",
    }


def theme_chart(theme_rows: list[dict]) -> str:
    """Cases judged good or better, per theme and year, as an inline SVG bar chart (ADR 0007);
    the page shows the table of the same numbers beside it."""
    rows = [row for row in theme_rows if row["percent"] is not None]
    figure = new_figure(5.2, 2.4)
    axes = figure.subplots()
    labels = [f"{row['theme'].split(' (')[0]} {row['year']}" for row in rows]
    axes.bar(range(len(rows)), [row["percent"] for row in rows], color="#1d70b8")
    axes.set_xticks(range(len(rows)))
    axes.set_xticklabels(labels, fontsize=8, rotation=30, ha="right")
    axes.set_ylim(0, 100)
    axes.set_ylabel("% good or better", fontsize=8)
    axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return inline_svg(figure)


def theme_chart_text(theme_rows: list[dict]) -> str:
    parts = [
        f"{row['theme']} {row['year']}: {row['percent']}%"
        for row in theme_rows
        if row["percent"] is not None
    ]
    return "Cases judged good or better: " + "; ".join(parts) + "."
