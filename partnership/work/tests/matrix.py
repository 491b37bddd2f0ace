"""Who may reach each work URL (see partnership/accounts/tests/matrix_support.py).

Your work, My actions, the email choice and the "More" page are every signed-in person's
own: what they list is scoped by each module's querysets, so everyone gets 200 and the
anonymous visitor the sign-in page.
"""

from partnership.accounts.tests.matrix_support import signed_in

ROWS = {
    "work:home": ("get", None, signed_in()),
    "work:actions": ("get", None, signed_in()),
    "work:email": ("get", None, signed_in()),
    "work:menu": ("get", None, signed_in()),
}
