"""The Actor contract, walked over the code: below the web layer nothing takes a request.

import-linter (run by `make lint`, see pyproject.toml) keeps the imports between modules
pointing down; this walks every services, tasks and models module and `partnership.lib` and
fails on a function with a `request` parameter or an import of `django.http`.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the `partnership` package


def _below_the_web() -> list[Path]:
    paths = [p for p in ROOT.glob("*/*.py") if p.stem in {"services", "tasks", "models"}]
    paths += [p for p in ROOT.glob("*/*/*.py") if p.parent.name in {"services", "tasks", "models"}]
    paths += list((ROOT / "lib").glob("*.py"))
    return sorted(paths)


def test_the_walk_finds_the_modules():
    names = {str(p.relative_to(ROOT)) for p in _below_the_web()}
    # A sample, to be sure the walk is looking where the code is.
    assert {"trail/services.py", "lib/clocks.py"} <= names
    assert any(name.startswith("reviews/services") for name in names)
    assert any(name.startswith("training/tasks") for name in names)


@pytest.mark.parametrize("path", _below_the_web(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_below_the_web_takes_a_request(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    offenders = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            for argument in arguments:
                annotation = ast.unparse(argument.annotation) if argument.annotation else ""
                if argument.arg == "request" or "HttpRequest" in annotation:
                    offenders.append(f"{node.name}({argument.arg}) at line {node.lineno}")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.http"):
            offenders.append(f"from {node.module} import ... at line {node.lineno}")
        if isinstance(node, ast.Import):
            offenders += [
                f"import {alias.name} at line {node.lineno}"
                for alias in node.names
                if alias.name.startswith("django.http")
            ]
    assert offenders == []
