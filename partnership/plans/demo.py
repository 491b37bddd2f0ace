def build(organisations, users):
    """The Knowsley demo's business plans (filled in by issue 7)."""
