"""The web layer: what only views and the API use (the request, responses, templates, forms).

Services, tasks, models and `partnership.lib` never import from here (import-linter keeps it
so, see pyproject.toml and docs/adr/0009-actor-contract.md).
"""
