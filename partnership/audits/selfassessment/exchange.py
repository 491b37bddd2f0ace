"""Files in and out: a standard set to import, and a return exported by one partnership's
platform for another's to import ("submit once, share with several partnerships").

A return file is JSON, versioned (`format`, `version`), and carries the cycle's standards
(so the receiving platform can make the set if it does not have it), the organisation, each
answer's scores and narrative, and the list of evidence (names and sizes: the files stay
with the sender). Both kinds of file are bounded in size and checked whole before anything
is saved: `ExchangeRefused` lists every problem found.
"""

import json

RETURN_FORMAT = "partnership.self-assessment-return"
RETURN_VERSION = 1
MAX_BYTES = 2 * 1024 * 1024
MAX_STANDARDS = 200
MAX_TEXT = 20_000
MAX_EVIDENCE = 50
KINDS = ("section_11", "section_175")
SCALES = {"0-3": 3, "rag": 2}


class ExchangeRefused(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def parse(content: bytes) -> dict:
    if len(content) > MAX_BYTES:
        raise ExchangeRefused([f"The file must be smaller than {MAX_BYTES // (1024 * 1024)}MB"])
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ExchangeRefused(["The file must be JSON, as this platform exports it"]) from None
    if not isinstance(data, dict):
        raise ExchangeRefused(["The file must hold one JSON object"])
    return data


def _text(value, where: str, problems: list[str], *, required=True, limit=MAX_TEXT) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(f"{where}: enter the text")
        return ""
    if len(value) > limit:
        problems.append(f"{where}: must be {limit} characters or fewer")
    return value.strip()


def check_standard_set(data) -> dict:
    """A standard set as the import and `standards.py` write it, checked whole."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ExchangeRefused(["The standard set must be a JSON object"])
    kind = data.get("kind")
    if kind not in KINDS:
        problems.append("kind: must be section_11 or section_175")
    slug = _text(data.get("slug"), "slug", problems, limit=80)
    name = _text(data.get("name"), "name", problems, limit=200)
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append("version: must be a whole number from 1")
    standards = data.get("standards")
    cleaned = []
    if not isinstance(standards, list) or not standards:
        problems.append("standards: list at least one standard")
        standards = []
    if len(standards) > MAX_STANDARDS:
        problems.append(f"standards: at most {MAX_STANDARDS}")
        standards = []
    codes = set()
    for number, standard in enumerate(standards, start=1):
        where = f"standard {number}"
        if not isinstance(standard, dict):
            problems.append(f"{where}: must be an object")
            continue
        code = _text(standard.get("code"), f"{where} code", problems, limit=20)
        if code in codes:
            problems.append(f"{where} code: {code} is used twice")
        codes.add(code)
        items = standard.get("items", [])
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            problems.append(f"{where} items: must be a list of text")
            items = []
        cleaned.append(
            {
                "number": number,
                "code": code,
                "title": _text(standard.get("title"), f"{where} title", problems, limit=300),
                "description": _text(
                    standard.get("description"), f"{where} description", problems, required=False
                ),
                "theme": _text(standard.get("theme"), f"{where} theme", problems, required=False),
                "items": [item.strip() for item in items if item.strip()][:50],
            }
        )
    if problems:
        raise ExchangeRefused(problems)
    return {
        "kind": kind,
        "slug": slug,
        "version": version,
        "name": name,
        "description": _text(data.get("description"), "description", [], required=False),
        "standards": cleaned,
    }


def _score(value, where: str, top: int, problems: list[str], *, required: bool):
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
        problems.append(f"{where}: must be a whole number from 0 to {top}")
        return None
    return value


def check_return(data: dict) -> dict:
    """A return file, checked whole: its format and version, the standard set, the cycle,
    the organisation and every answer (each scored within the scale, on a standard of the set)."""
    if data.get("format") != RETURN_FORMAT:
        raise ExchangeRefused(["The file is not a self-assessment return from this platform"])
    if data.get("version") != RETURN_VERSION:
        raise ExchangeRefused(
            [f"The file is version {data.get('version')!r}: this platform reads version 1"]
        )
    problems: list[str] = []
    try:
        standard_set = check_standard_set(data.get("standard_set"))
    except ExchangeRefused as refused:
        problems += [f"standard set: {problem}" for problem in refused.problems]
        standard_set = None
    cycle = data.get("cycle") if isinstance(data.get("cycle"), dict) else {}
    cycle_name = _text(cycle.get("name"), "cycle name", problems, limit=200)
    scale = cycle.get("scale")
    if scale not in SCALES:
        problems.append("cycle scale: must be 0-3 or rag")
    starts_on = cycle.get("starts_on")
    import datetime as dt

    try:
        starts_on = dt.date.fromisoformat(starts_on)
    except (TypeError, ValueError):
        problems.append("cycle starts_on: must be a date (YYYY-MM-DD)")
    organisation = data.get("organisation") if isinstance(data.get("organisation"), dict) else {}
    organisation_name = _text(organisation.get("name"), "organisation name", problems, limit=200)
    top = SCALES.get(scale, 3)
    answers = data.get("answers")
    if not isinstance(answers, list):
        problems.append("answers: must be a list")
        answers = []
    codes = {standard["code"] for standard in standard_set["standards"]} if standard_set else set()
    seen = set()
    cleaned = []
    for number, answer in enumerate(answers[: MAX_STANDARDS + 1], start=1):
        if not isinstance(answer, dict):
            problems.append(f"answer {number}: must be an object")
            continue
        code = answer.get("standard")
        where = f"answer {number} (standard {code})"
        if standard_set and code not in codes:
            problems.append(f"{where}: no such standard in the set")
        if code in seen:
            problems.append(f"{where}: answered twice")
        seen.add(code)
        evidence = answer.get("evidence", [])
        if not isinstance(evidence, list) or len(evidence) > MAX_EVIDENCE:
            problems.append(f"{where} evidence: a list of at most {MAX_EVIDENCE} files")
            evidence = []
        listed = []
        for item in evidence:
            if not isinstance(item, dict):
                problems.append(f"{where} evidence: each file must be an object")
                continue
            size = item.get("size", 0)
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                problems.append(f"{where} evidence: size must be a whole number of bytes")
                size = 0
            listed.append(
                {
                    "name": _text(item.get("name"), f"{where} evidence name", problems, limit=200),
                    "size": size,
                }
            )
        cleaned.append(
            {
                "standard": code,
                "score": _score(
                    answer.get("score"), f"{where} score", top, problems, required=True
                ),
                "moderated_score": _score(
                    answer.get("moderated_score"),
                    f"{where} moderated score",
                    top,
                    problems,
                    required=False,
                ),
                "narrative": _text(
                    answer.get("narrative"), f"{where} narrative", problems, required=False
                ),
                "evidence": listed,
            }
        )
    if problems:
        raise ExchangeRefused(problems)
    return {
        "standard_set": standard_set,
        "cycle": {
            "name": cycle_name,
            "scale": scale,
            "starts_on": starts_on,
            "kind": standard_set["kind"],
        },
        "organisation": organisation_name,
        "submitted_at": data.get("submitted_at") or "",
        "answers": cleaned,
    }


def return_document(assessment, answers, standards) -> dict:
    """The export of one return (answers with their standard and evidence prefetched)."""
    cycle = assessment.cycle
    standard_set = cycle.standard_set
    return {
        "format": RETURN_FORMAT,
        "version": RETURN_VERSION,
        "standard_set": {
            "kind": standard_set.kind,
            "slug": standard_set.slug,
            "version": standard_set.version,
            "name": standard_set.name,
            "description": standard_set.description,
            "standards": [
                {
                    "code": standard.code,
                    "title": standard.title,
                    "description": standard.description,
                    "theme": standard.theme,
                    "items": standard.items,
                }
                for standard in standards
            ],
        },
        "cycle": {
            "name": cycle.name,
            "scale": cycle.scale,
            "starts_on": cycle.starts_on.isoformat(),
        },
        "organisation": {"name": assessment.organisation.name},
        "status": assessment.status,
        "submitted_at": assessment.submitted_at.isoformat() if assessment.submitted_at else "",
        "answers": [
            {
                "standard": answer.standard.code,
                "score": answer.score,
                "moderated_score": answer.moderated_score,
                "narrative": answer.narrative,
                "evidence": [
                    {"name": item.name, "size": item.size} for item in answer.evidence.all()
                ],
            }
            for answer in answers
        ],
    }
