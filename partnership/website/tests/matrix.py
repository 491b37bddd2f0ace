from partnership.accounts.tests.matrix_support import everyone

ROWS = {
    "website:home": ("get", {}, everyone()),
    "website:accessibility": ("get", {}, everyone()),
    "website:cookies": ("get", {}, everyone()),
    "website:privacy": ("get", {}, everyone()),
    "website:health": ("get", {}, everyone()),
}
