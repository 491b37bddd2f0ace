from partnership.accounts.tests.matrix_support import STAFF, everyone, only

ROWS = {
    "governance:groups": ("get", {}, only(STAFF)),
    "governance:group": ("get", {"slug": "review-and-learning-group"}, only(STAFF)),
    "api:list_groups": ("get", {}, everyone(401)),
    "api:get_group": ("get", {"slug": "strategic-forum"}, everyone(401)),
}
