"""`python -m partnership.bench.lighthouse` (`make lighthouse`): Lighthouse's mobile run on
the main pages of `make run`'s server, printing cumulative layout shift (CLS) and the
accessibility and performance scores of each.

Signed-in pages are measured as the business manager, with a session made by `manage.py
demo_session` on the same database (DEBUG only). Needs Node (npx downloads Lighthouse once)
and Chromium (CHROME_PATH, default /usr/bin/chromium). Lighthouse's own targets: CLS at most
0.1, accessibility 100.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PAGES = [
    ("Home", "/"),
    ("Your work", "/work/"),
    ("Reviews", "/reviews/"),
    ("Training", "/training/"),
    ("Performance", "/performance/"),
]
SIGNED_IN_AS = "business.manager@kscp.example.org"


def session_cookie(email: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "demo_session", email],
        cwd=BASE_DIR,
        env={**os.environ, "DEBUG": "true"},
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def measure(url: str, cookie: str, *, tries: int = 2) -> dict:
    try:
        return _measure(url, cookie)
    except subprocess.CalledProcessError:
        # Chromium now and then fails to start on a busy machine: once more, then give up.
        if tries <= 1:
            raise
        return measure(url, cookie, tries=tries - 1)


def _measure(url: str, cookie: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(  # noqa: S603 - fixed arguments
            [  # noqa: S607 - npx from the PATH, as a person runs it
                "npx",
                "--yes",
                "lighthouse",
                url,
                "--form-factor=mobile",
                "--only-categories=accessibility,performance",
                "--chrome-flags=--headless --no-sandbox",
                f"--extra-headers={json.dumps({'Cookie': cookie})}",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
            ],
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
            check=True,
        )
        data = json.loads(report.read_text())
    audits = data["audits"]
    failing = [
        key
        for key, audit in audits.items()
        if audit.get("scoreDisplayMode") == "binary"
        and audit.get("score") is not None
        and audit["score"] < 1
    ]
    return {
        "final_url": data["finalDisplayedUrl"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "accessibility": round(data["categories"]["accessibility"]["score"] * 100),
        "performance": round(data["categories"]["performance"]["score"] * 100),
        "failing": failing,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m partnership.bench.lighthouse")
    parser.add_argument(
        "--base", default=f"http://127.0.0.1:{os.environ.get('PORT', '8000')}", help="server"
    )
    args = parser.parse_args(argv)
    cookie = session_cookie(SIGNED_IN_AS)
    print(f"{'page':<12} {'CLS':>6} {'a11y':>5} {'perf':>5}  audits not passed")
    worst = 0
    for name, path in PAGES:
        result = measure(args.base.rstrip("/") + path, cookie)
        if not result["final_url"].endswith(path):
            print(f"{name}: ended at {result['final_url']} (not signed in?)", file=sys.stderr)
            worst = 1
        print(
            f"{name:<12} {result['cls']:>6.3f} {result['accessibility']:>5} "
            f"{result['performance']:>5}  {', '.join(result['failing']) or '-'}"
        )
        if result["cls"] > 0.1 or result["accessibility"] < 100:
            worst = 1
    return worst


if __name__ == "__main__":
    sys.exit(main())
