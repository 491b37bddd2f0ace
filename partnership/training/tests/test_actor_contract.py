"""The services' contract: who acts is an Actor the caller made; no service sees a request."""

import inspect

import pytest

from partnership.training import mail, services, tasks

# The writing services, each of which names its actor in the audit trail (counted by hand
# from services.py: booking 4, sessions 3, feedback 2, registration 2, catalogue 3, needs
# and plan 7).
WRITERS = {
    "booking_create",
    "offers_expire",
    "booking_cancel",
    "offer_accept",
    "session_save",
    "session_cancel",
    "attendance_record",
    "evaluation_submit",
    "impact_submit",
    "learner_register",
    "learner_confirm",
    "course_save",
    "trainer_save",
    "rules_update",
    "survey_save",
    "needs_line_save",
    "needs_line_remove",
    "needs_response_submit",
    "plan_save",
    "plan_entry_save",
    "plan_entries_from_needs",
}


def _functions(module):
    return {
        name: function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
    }


@pytest.mark.parametrize("module", [services, tasks, mail], ids=lambda m: m.__name__)
def test_no_training_service_task_or_email_takes_a_request(module):
    takes_request = [
        name
        for name, function in _functions(module).items()
        if "request" in inspect.signature(function).parameters
    ]
    assert takes_request == []


def test_every_writing_service_requires_a_keyword_actor():
    assert len(WRITERS) == 21
    functions = _functions(services)
    for name in sorted(WRITERS):
        actor = inspect.signature(functions[name]).parameters["actor"]
        assert actor.kind == inspect.Parameter.KEYWORD_ONLY, name
        assert actor.default is inspect.Parameter.empty, name
