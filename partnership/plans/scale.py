def scale_plans(scale, rng) -> dict[str, int]:
    """Scale data for business plans (filled in by issue 7)."""
    return {}
