def build(organisations, users):
    """The Knowsley demo's performance framework (filled in by issue 6)."""
