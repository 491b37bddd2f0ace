"""The service navigation: "Your work" first, then one link to each module the person uses,
then "More" (a page of every link they may follow), so nobody faces a dozen links.

Modules register their links in `partnership.web.jinja2.NAV_LINKS` (permission, URL name,
text, path prefix). The first link of each module (URL namespace) that the person may follow
is its place in the bar; the rest, and the links below, are on the "More" page.
"""

from dataclasses import dataclass

from django.urls import reverse
from rules import has_perm

# Links that are no module's own section: on the "More" page only.
MORE_LINKS: list[tuple[str, str, str, str]] = [
    ("governance.view_group", "governance:groups", "Groups", "/groups/"),
    ("directory.view_organisation", "directory:organisations", "Directory", "/directory/"),
    ("audit.view_trail", "audit:trail", "Audit trail", "/audit/"),
    ("accounts.view_own_account", "accounts:account", "Your account", "/account/"),
]
# Modules whose links are the business unit's tools rather than anyone's work: "More" only.
MORE_ONLY = {"outbox", "records"}
YOUR_WORK = ("work.view_own_work", "work:home", "Your work", "/work/")
MORE = ("work.view_own_work", "work:menu", "More", "/work/menu/")


@dataclass(frozen=True)
class NavLink:
    href: str
    text: str
    prefix: str
    module: str

    def item(self, current_prefix: str) -> dict:
        return {"href": self.href, "text": self.text, "active": self.prefix == current_prefix}


def _permitted(user, links) -> list[NavLink]:
    return [
        NavLink(reverse(name), text, prefix, name.split(":")[0])
        for perm, name, text, prefix in links
        if has_perm(perm, user)
    ]


def navigation_for(user, module_links) -> tuple[list[NavLink], list[NavLink]]:
    """(the bar's links, the "More" page's links) for a signed-in user."""
    bar: list[NavLink] = _permitted(user, [YOUR_WORK])
    more: list[NavLink] = []
    seen: set[str] = set()
    for link in _permitted(user, module_links):
        if link.module in seen or link.module in MORE_ONLY:
            more.append(link)
        else:
            seen.add(link.module)
            bar.append(link)
    more += _permitted(user, MORE_LINKS)
    if bar and more:
        bar += _permitted(user, [MORE])
    return bar, more


def service_navigation(request, module_links) -> list[dict]:
    """The govukServiceNavigation items for this request: only the longest matching prefix
    is current, and a page reached from "More" marks "More"."""
    user = request.user
    if not user.is_authenticated:
        return [
            {"href": reverse("website:home"), "text": "Home", "active": request.path == "/"},
            {
                "href": reverse("accounts:sign-in"),
                "text": "Sign in",
                "active": request.path.startswith("/account/sign-in"),
            },
        ]
    bar, more = navigation_for(user, module_links)
    path = request.path
    best = ""
    for link in bar + more:
        if path.startswith(link.prefix) and len(link.prefix) > len(best):
            best = link.prefix
    if best and best not in {link.prefix for link in bar}:
        best = MORE[3]
    return [link.item(best) for link in bar]
