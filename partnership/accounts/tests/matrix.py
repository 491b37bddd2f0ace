from .matrix_support import ANONYMOUS, everyone, signed_in

ROWS = {
    "accounts:sign-in": ("get", {}, {**signed_in(302), ANONYMOUS: 200}),
    "accounts:two-factor": ("get", {}, signed_in(302)),
    "accounts:two-factor-setup": ("get", {}, signed_in(200)),
    "accounts:recovery-codes": ("get", {}, signed_in(200)),
    "accounts:sign-out": ("post", {}, signed_in(302)),
    "accounts:account": ("get", {}, signed_in(200)),
    "accounts:change-password": ("get", {}, signed_in(200)),
    "accounts:password-reset": ("get", {}, everyone()),
    "accounts:password-reset-sent": ("get", {}, everyone()),
    "accounts:password-reset-confirm": (
        "get",
        {"uidb64": "MQ", "token": "not-a-real-token"},
        everyone(),
    ),
    "accounts:password-reset-complete": ("get", {}, everyone()),
    # The link's token moves into the session; the page then says plainly that an unknown
    # link does not work (410), to everyone alike.
    "accounts:invitation": ("get", {"token": "not-a-real-token"}, everyone(302)),
    "accounts:invitation-accept": ("get", {}, everyone(410)),
}
