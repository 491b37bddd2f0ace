"""The Jinja2 environment: GOV.UK Frontend macros, Django helpers, and our form macros."""

import logging

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, Undefined
from jinja2.exceptions import UndefinedError
from rules import has_perm

from partnership.web.forms import error_summary, field_params
from partnership.web.navigation import navigation_for, service_navigation
from partnership.web.pagination import pagination_params


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def format_date(value, fmt: str = "j F Y") -> str:
    """Dates as GOV.UK writes them: 18 December 2026."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value)
    return date_format(value, fmt)


def format_datetime(value) -> str:
    if value is None:
        return ""
    return date_format(timezone.localtime(value), "j F Y, H:i")


def link(href: str, text, classes: str = "govuk-link"):
    """A link for a macro's `html` parameter, with the text and address escaped."""
    return format_html('<a class="{}" href="{}">{}</a>', classes, href, text)


def tag(text, colour: str = ""):
    """A GOV.UK tag for a macro's `html` parameter (colour: blue, green, red, grey, ...)."""
    classes = f"govuk-tag govuk-tag--{colour}" if colour else "govuk-tag"
    return format_html('<strong class="{}">{}</strong>', classes, text)


def query_with(request, **params) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = request.GET.copy()
    for key, value in params.items():
        query[key] = value
    return "?" + query.urlencode()


logger = logging.getLogger("partnership.templates")


class LoggedUndefined(Undefined):
    """Production: a value missing from a page prints as nothing, and the fault is logged.

    Truth tests stay silent: the GOV.UK macros ask `if params.classes` of every optional
    parameter, and an absent optional parameter is not a fault.
    """

    __slots__ = ()

    def __str__(self) -> str:
        logger.error("Template printed an undefined value: %s", self._undefined_message)
        return ""


class PrintStrictUndefined(Undefined):
    """Tests: printing a missing value raises, so a page that would show one fails its test.

    Jinja's own StrictUndefined also raises on a truth test, which the GOV.UK macros make of
    every optional parameter; this one is strict exactly where a reader would see the fault.
    """

    __slots__ = ()

    def __str__(self) -> str:
        raise UndefinedError(self._undefined_message)


# Links in the service navigation for signed-in users: (permission, url name, text, path
# prefix that marks the link as current). Modules add theirs here.
NAV_LINKS: list[tuple[str, str, str, str]] = []


def environment(**options) -> Environment:
    options["loader"] = ChoiceLoader(
        [
            options["loader"],
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    # Django passes autoescape=True in options (settings.TEMPLATES).
    # Django's backend picks DebugUndefined under DEBUG, which prints the fault on the page.
    options["undefined"] = PrintStrictUndefined if settings.TEMPLATES_STRICT else LoggedUndefined
    env = Environment(**options, extensions=["jinja2.ext.do"])  # noqa: S701
    env.globals.update(
        {
            "static": static,
            "url": url,
            "get_messages": messages.get_messages,
            "has_perm": has_perm,
            "query_with": query_with,
            "link": link,
            "tag": tag,
            "nav_links": NAV_LINKS,
            "service_navigation": lambda request: service_navigation(request, NAV_LINKS),
            "more_navigation": lambda user: navigation_for(user, NAV_LINKS)[1],
            "field_params": field_params,
            "error_summary": error_summary,
            "pagination_params": pagination_params,
            "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
            "PARTNERSHIP_SHORT_NAME": settings.PARTNERSHIP_SHORT_NAME,
        }
    )
    env.filters.update({"date": format_date, "datetime": format_datetime})
    return env
