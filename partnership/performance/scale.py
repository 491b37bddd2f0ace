def scale_performance(scale, rng) -> dict[str, int]:
    """Scale data for the performance framework (filled in by issue 6)."""
    return {}
