"""The completion dashboard, the comparison with the last cycle, the section 175 findings by
phase and the training themes, the cycle's XLSX: each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.template.loader import render_to_string

from partnership.outputs.charts import inline_svg, new_figure
from partnership.outputs.pdf import html_to_pdf
from partnership.outputs.spreadsheets import new_workbook, workbook_bytes

from .models import MET_FROM, Answer, Phase, ReturnStatus, SettingPhase

DONE = (ReturnStatus.SUBMITTED, ReturnStatus.MODERATED)


@dataclass
class StandardRow:
    code: str
    title: str
    theme: str
    answered: int
    met: int
    previous_met: int | None
    previous_answered: int | None

    @property
    def share(self) -> int:
        return round(100 * self.met / self.answered) if self.answered else 0

    @property
    def previous_share(self) -> int | None:
        if not self.previous_answered:
            return None
        return round(100 * self.previous_met / self.previous_answered)


def _met_expression():
    # The moderated score where there is one, else the agency's own.
    return Q(moderated_score__gte=MET_FROM) | Q(moderated_score__isnull=True, score__gte=MET_FROM)


def _standard_counts(cycle) -> dict[str, tuple[int, int]]:
    rows = (
        Answer.objects.filter(assessment__cycle=cycle, assessment__status__in=DONE)
        .values("standard__code")
        .annotate(answered=Count("pk"), met=Count("pk", filter=_met_expression()))
    )
    return {row["standard__code"]: (row["answered"], row["met"]) for row in rows}


def completion(cycle, today) -> dict:
    """How many returns are in, by status, with the late ones and those moderated down."""
    counts = dict(cycle.returns.values_list("status").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    done = sum(counts.get(status, 0) for status in DONE)
    late = (
        cycle.returns.exclude(status__in=DONE)
        .filter(Q(due_on__lt=today) | Q(due_on__isnull=True, cycle__window_closes_on__lt=today))
        .count()
    )
    moderated_down = (
        Answer.objects.filter(assessment__cycle=cycle, moderated_score__isnull=False)
        .filter(score__gt=F("moderated_score"))
        .count()
    )
    return {
        "total": total,
        "done": done,
        "share": round(100 * done / total) if total else 0,
        "late": late,
        "moderated_down": moderated_down,
        "by_status": [(label, counts.get(value, 0)) for value, label in ReturnStatus.choices],
    }


def standards_table(cycle) -> list[StandardRow]:
    """Each standard: returns in, how many meet it, and the same in the last cycle."""
    now = _standard_counts(cycle)
    before = _standard_counts(cycle.previous) if cycle.previous_id else {}
    rows = []
    for standard in cycle.standard_set.standards.all():
        answered, met = now.get(standard.code, (0, 0))
        previous = before.get(standard.code)
        rows.append(
            StandardRow(
                code=standard.code,
                title=standard.title,
                theme=standard.theme,
                answered=answered,
                met=met,
                previous_answered=previous[0] if previous else None,
                previous_met=previous[1] if previous else None,
            )
        )
    return rows


def by_phase(cycle) -> tuple[list[str], list[tuple[str, list]]]:
    """Section 175: the share of settings meeting each standard, by phase."""
    phases = dict(
        SettingPhase.objects.filter(organisation__self_assessments__cycle=cycle).values_list(
            "organisation_id", "phase"
        )
    )
    rows = (
        Answer.objects.filter(assessment__cycle=cycle, assessment__status__in=DONE)
        .values("standard__code", "assessment__organisation_id")
        .annotate(met=Count("pk", filter=_met_expression()))
    )
    counts = defaultdict(lambda: [0, 0])
    for row in rows:
        phase = phases.get(row["assessment__organisation_id"], "")
        cell = counts[(row["standard__code"], phase)]
        cell[0] += 1
        cell[1] += row["met"]
    used = [value for value, _label in Phase.choices if any(k[1] == value for k in counts)]
    table = []
    for standard in cycle.standard_set.standards.all():
        cells = []
        for phase in used:
            answered, met = counts.get((standard.code, phase), (0, 0))
            cells.append(f"{round(100 * met / answered)}% of {answered}" if answered else "None in")
        table.append((f"{standard.code}. {standard.title}", cells))
    return [Phase(value).label for value in used], table


def training_themes(rows: list[StandardRow]) -> list[tuple[str, int]]:
    """Themes for training needs: the standards' themes, by how many returns do not meet them."""
    themes = defaultdict(int)
    for row in rows:
        if row.theme:
            themes[row.theme] += row.answered - row.met
    return sorted(((theme, n) for theme, n in themes.items() if n), key=lambda t: (-t[1], t[0]))


def comparison_chart(rows: list[StandardRow], name: str) -> str:
    """A bar chart of the share meeting each standard, this cycle beside the last (SVG)."""
    figure = new_figure(6.4, 2.8)
    axes = figure.subplots()
    positions = range(len(rows))
    axes.bar(
        [p - 0.2 for p in positions],
        [r.share for r in rows],
        width=0.4,
        color="#1d70b8",
        label=name,
    )
    if any(r.previous_share is not None for r in rows):
        axes.bar(
            [p + 0.2 for p in positions],
            [r.previous_share or 0 for r in rows],
            width=0.4,
            color="#b1b4b6",
            label="Last cycle",
        )
    axes.set_xticks(list(positions))
    axes.set_xticklabels([r.code for r in rows], fontsize=8)
    axes.set_ylim(0, 100)
    axes.set_ylabel("% meeting the standard", fontsize=8)
    axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=8, frameon=False)
    figure.tight_layout()
    return inline_svg(figure)


def chart_text(rows: list[StandardRow]) -> str:
    parts = [f"standard {r.code} {r.share}%" for r in rows]
    return "Share of returns meeting each standard: " + ", ".join(parts) + "."


def cycle_xlsx(cycle, assessments) -> bytes:
    """The whole cycle: one row per organisation, each standard's own and moderated score."""
    standards = list(cycle.standard_set.standards.all())
    book = new_workbook()
    sheet = book.active
    sheet.title = "Returns"
    head = ["Organisation", "Status", "Submitted"]
    for standard in standards:
        head += [f"{standard.code} score", f"{standard.code} moderated"]
    sheet.append(head)
    answers = defaultdict(dict)
    for answer in Answer.objects.filter(assessment__in=assessments).values(
        "assessment_id", "standard_id", "score", "moderated_score"
    ):
        answers[answer["assessment_id"]][answer["standard_id"]] = answer
    for assessment in assessments:
        row = [
            assessment.organisation.name,
            assessment.get_status_display(),
            assessment.submitted_at.date().isoformat() if assessment.submitted_at else "",
        ]
        for standard in standards:
            answer = answers[assessment.pk].get(standard.pk, {})
            row += [answer.get("score"), answer.get("moderated_score")]
        sheet.append(row)
    return workbook_bytes(book)


def summary_context(cycle, today) -> dict:
    """What the completion dashboard shows, for the cycle's summary paper."""
    rows = standards_table(cycle)
    return {
        "cycle": cycle,
        "today": today,
        "completion": completion(cycle, today),
        "rows": rows,
        "themes": training_themes(rows),
        "phases": by_phase(cycle) if cycle.kind == "section_175" else None,
    }


def summary_pdf(cycle, today) -> bytes:
    """The cycle's summary as a paper for a board: completion, each standard met against the
    last cycle, by phase for section 175, and the themes for training."""
    return html_to_pdf(
        render_to_string("audits/selfassessment/print/summary.html", summary_context(cycle, today))
    )
