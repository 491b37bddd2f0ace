"""Who may see "Your work" and "My actions": everyone signed in (with their second factor,
where their account needs one). What each page lists is scoped by each module's own
querysets (`partnership.work.providers`)."""

import rules

from partnership.accounts.rules import is_verified

rules.add_perm("work.view_own_work", is_verified)
