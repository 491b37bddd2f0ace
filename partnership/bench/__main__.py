"""`python -m partnership.bench`: build the data, serve it with gunicorn, load it with locust.

1. A fresh SQLite file under var/bench/ (or DATABASE_URL if set): migrate, the Knowsley demo
   and the scale data (`--scale`, or BENCH_SCALE, default 1).
2. gunicorn with DEBUG off and production-like settings, on a free loopback port.
3. locust, headless and bounded in time, as business-unit staff who sign in through the real
   forms and then read the main pages (`locustfile.py`).
4. Per page: p50 and p95 in ms, requests a second, and p50 as a multiple of the floor's
   (`/health/`: one indexed query, a minimal template); printed, and written to
   docs/benchmarks.md above the earlier runs.

gunicorn is always stopped at the end. Everything runs on 127.0.0.1.
"""

import argparse
import csv
import datetime as dt
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from partnership.bench.pages import API, FLOOR, PAGES, SIGN_IN_STEPS

BASE_DIR = Path(__file__).resolve().parents[2]
BENCH_DIR = BASE_DIR / "var" / "bench"
DOCS = BASE_DIR / "docs" / "benchmarks.md"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
RUN_MARK = "<!-- bench-run -->"
PREVIOUS = "## Previous runs"
# From here to the end: `make lighthouse`'s figures, kept as they are by each bench run.
LIGHTHOUSE_MARK = "<!-- lighthouse -->"


def _env_number(name: str, default, kind=float):
    value = os.environ.get(name, "")
    try:
        return kind(value) if value else default
    except ValueError:
        sys.exit(f"{name} must be a number, not {value!r}")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m partnership.bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=_env_number("BENCH_SCALE", 1.0))
    parser.add_argument("--users", type=int, default=_env_number("BENCH_USERS", 10, int))
    parser.add_argument("--seconds", type=int, default=_env_number("BENCH_SECONDS", 90, int))
    parser.add_argument("--spawn-rate", type=float, default=5.0)
    parser.add_argument(
        "--wait",
        type=float,
        default=_env_number("BENCH_WAIT", 0.5),
        help="Mean pause between one user's requests, in seconds (default 0.5).",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--no-docs", action="store_true", help="Print, but leave the docs be.")
    args = parser.parse_args(argv)
    if args.scale <= 0 or args.users < 1 or args.seconds < 5:
        parser.error("--scale must be above 0, --users at least 1, --seconds at least 5")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    # Other work on the machine skews the figures: say how busy it was when we started.
    args.load_before = os.getloadavg()[0]
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url:
        print(f"Using DATABASE_URL ({database_url.split('://')[0]}); scale data made if missing.")
    else:
        database_url = f"sqlite:///{_fresh_sqlite(BENCH_DIR / 'bench.sqlite3')}"
    env = _production_env(database_url)

    print(f"== Building the database (scale {args.scale:g})")
    loading = {**env, "DEBUG": "true"}
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(loading, "load_demo", "--force", quiet=True)
    _manage(loading, "generate_scale_data", "--scale", f"{args.scale:g}", "--force", "--if-missing")
    setup = _prepare(env, args.users)

    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    print(f"== Serving with gunicorn ({args.workers} workers) on {host}")
    log = (BENCH_DIR / "gunicorn.log").open("w")
    gunicorn = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "partnership.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--no-control-socket",  # its default path is shared by every gunicorn of the user
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_up(host, gunicorn)
        print(
            f"== locust: {args.users} users for {args.seconds} s "
            f"(a pause of {args.wait:g} s on average between a user's requests)"
        )
        stats = _run_locust(args, host, setup, env)
    finally:
        _stop(gunicorn)
        log.close()

    rows = _table(stats)
    total = time.monotonic() - started
    run = _render_run(args, setup, rows, total)
    print()
    print(run)
    if not args.no_docs:
        _write_docs(run)
        print(f"Written to {DOCS.relative_to(BASE_DIR)}.")
    failures = sum(row["failures"] for row in rows)
    if failures:
        print(f"{failures} request(s) failed: see {BENCH_DIR.relative_to(BASE_DIR)}/locust.log")
    return 1 if not any(row["name"] == FLOOR and row["requests"] for row in rows) else 0


# Setting up -------------------------------------------------------------------------------


def _fresh_sqlite(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def _production_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "partnership.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(BASE_DIR),
        }
    )
    return env


def _manage(env: dict, *command: str, quiet: bool = False) -> None:
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *command],
        cwd=BASE_DIR,
        env=env,
        capture_output=quiet,
        text=True,
        check=False,
    )
    if result.returncode:
        if quiet:
            print(result.stdout, result.stderr, sep="\n")
        sys.exit(f"manage.py {command[0]} failed")


def _prepare(env: dict, users: int) -> dict:
    """In this process: the accounts to sign in as, an API token, the data's counts."""
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connection, connections
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from partnership.accounts.models import Role, RoleGrant, User
    from partnership.demo.personas import DEMO_PASSWORD, PERSONAS_BY_KEY, totp_key
    from partnership.directory.models import AgencyToken, Organisation, Person
    from partnership.governance.models import Group, Membership
    from partnership.trail.models import AuditEntry

    lead = User.objects.get(email=PERSONAS_BY_KEY["business_unit"].email)
    accounts = [(lead.email, TOTPDevice.objects.get(user=lead, confirmed=True).key)]
    # One account per simulated user: a two-factor code is good once per 30-second step.
    password = make_password(DEMO_PASSWORD)
    for n in range(1, users):
        user, _ = User.objects.get_or_create(
            email=f"scale-bench-{n:02d}@kscp.example.org",
            defaults={
                "full_name": f"Bench Business Manager {n}",
                "job_title": lead.job_title,
                "organisation": lead.organisation,
                "password": password,
            },
        )
        RoleGrant.objects.get_or_create(user=user, role=Role.BUSINESS_UNIT)
        device, _ = TOTPDevice.objects.get_or_create(
            user=user,
            name="Bench authenticator",
            defaults={"key": totp_key(user.email), "confirmed": True},
        )
        accounts.append((user.email, device.key))
    _, raw_token = AgencyToken.issue(
        organisation=lead.organisation or Organisation.objects.partners().first(),
        name=f"Benchmark {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}",
        created_by=lead,
    )
    counts = {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "with an authenticator": TOTPDevice.objects.filter(confirmed=True).count(),
        "people": Person.objects.count(),
        "groups": Group.objects.count(),
        "current memberships": Membership.objects.current().count(),
        "audit entries": AuditEntry.objects.count(),
        "API tokens": AgencyToken.objects.count(),
    }
    from partnership.training.models import Session

    # Bookings go to the upcoming session with the most places: they measure booking
    # throughput (the row lock and the places constraint), booked or waitlisted alike.
    booking_session = (
        Session.objects.filter(starts_at__gt=dt.datetime.now(dt.UTC)).order_by("-capacity").first()
    )
    version = ".".join(str(part) for part in connection.get_database_version())
    database = f"{connection.display_name} {version}"
    connections.close_all()
    return {
        "accounts": accounts,
        "password": DEMO_PASSWORD,
        "token": raw_token,
        "booking_session": booking_session.pk if booking_session else "",
        "counts": counts,
        "database": database,
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(host: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at once: see {BENCH_DIR / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"{host}{FLOOR}", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    sys.exit(f"gunicorn did not answer within {seconds:g} s")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # gunicorn's graceful stop, workers included
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)  # its own session: gunicorn and its workers
        server.wait()


# Load and figures -----------------------------------------------------------------------


def _run_locust(args, host: str, setup: dict, env: dict) -> Path:
    prefix = BENCH_DIR / "locust"
    for old in BENCH_DIR.glob("locust_*.csv"):
        old.unlink()
    locust_env = {
        **env,
        "BENCH_ACCOUNTS": ";".join(f"{email}={key}" for email, key in setup["accounts"]),
        "BENCH_PASSWORD": setup["password"],
        "BENCH_API_TOKEN": setup["token"],
        "BENCH_BOOKING_SESSION": str(setup["booking_session"]),
        "BENCH_WAIT": str(args.wait),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "-u",
        str(args.users),
        "-r",
        f"{args.spawn_rate:g}",
        "-t",
        f"{args.seconds}s",
        "--stop-timeout",
        "5",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    with (BENCH_DIR / "locust.log").open("w") as log:
        try:
            subprocess.run(  # noqa: S603 - fixed arguments
                command,
                cwd=BASE_DIR,
                env=locust_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=args.seconds + 120,
                check=False,  # locust exits 1 when any request failed; the table says so
            )
        except subprocess.TimeoutExpired:
            print("locust ran past its time and was stopped")
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        sys.exit(f"locust wrote no statistics: see {BENCH_DIR / 'locust.log'}")
    return stats


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _table(stats: Path) -> list[dict]:
    """Locust's statistics, one row per page in the order they are listed, the floor last."""
    with stats.open(newline="") as file:
        found = {row["Name"]: row for row in csv.DictReader(file) if row["Name"] != "Aggregated"}
    order = [p for p in PAGES if p != FLOOR] + [FLOOR] + SIGN_IN_STEPS
    order += sorted(set(found) - set(order) - {"(warm-up)"})
    rows = []
    for name in order:
        row = found.get(name, {})
        rows.append(
            {
                "name": name,
                "requests": int(_number(row.get("Request Count")) or 0),
                "failures": int(_number(row.get("Failure Count")) or 0),
                "p50": _number(row.get("50%")),
                "p95": _number(row.get("95%")),
                "rps": _number(row.get("Requests/s")),
            }
        )
    floor = next((row["p50"] for row in rows if row["name"] == FLOOR), None)
    for row in rows:
        row["ratio"] = row["p50"] / floor if floor and row["p50"] is not None else None
    return rows


def _render_run(args, setup: dict, rows: list[dict], total: float) -> str:
    def ms(value):
        return "–" if value is None else f"{value:,.0f}"

    counts = ", ".join(f"{count:,} {kind}" for kind, count in setup["counts"].items())
    lines = [
        RUN_MARK,
        f"### {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- Machine: {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {setup['database']}; load average "
        f"{args.load_before:.1f} before the run",
        f"- Scale {args.scale:g}: {counts}",
        f"- Load: {args.users} users for {args.seconds} s, a pause of {args.wait:g} s on "
        f"average between requests; gunicorn with {args.workers} sync workers; "
        f"whole run {total:.0f} s",
        "",
        "| Page | p50 (ms) | p95 (ms) | Requests/s | p50 ÷ floor | Requests | Failures |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        name = f"`{row['name']}`"
        if row["name"] == FLOOR:
            name += " (floor)"
        elif row["name"] == API:
            name += " (token)"
        ratio = "–" if row["ratio"] is None else f"{row['ratio']:.1f}×"
        rps = "–" if row["rps"] is None else f"{row['rps']:.1f}"
        lines.append(
            f"| {name} | {ms(row['p50'])} | {ms(row['p95'])} | {rps} | {ratio} "
            f"| {row['requests']:,} | {row['failures']:,} |"
        )
    return "\n".join(lines) + "\n"


# The docs -------------------------------------------------------------------------------

INTRO = """# Benchmarks

How fast the main pages are, on a large partnership's data, under a modest load.

`make bench` (that is, `python -m partnership.bench`) builds a fresh SQLite database under
`var/bench/` (or uses `DATABASE_URL` if it is set), migrates it, loads the Knowsley demo and
the scale data (`manage.py generate_scale_data`: at scale 1 about 200 organisations, 5,000
users and 20,000 audit entries), and serves it with gunicorn (2 sync workers, DEBUG off,
production-like settings) on a free port of 127.0.0.1. Locust then runs headless for a fixed
time: each simulated user is a business-unit administrator who signs in through the real
forms (email and password, then a two-factor code), waits until every user has signed in,
reads each page once unmeasured (a warm-up: the first request in each gunicorn worker
compiles templates), then reads the main pages in turn with a short random pause between
requests, so that the figures measure the pages rather than a queue. The first user is the
demo's business-unit persona; the others are copies of it made for the bench
(`scale-bench-NN@kscp.example.org`), because a two-factor code is good only once per
30-second step. `/api/v1/organisations` is called with an agency token issued for the run
and no session, as an agency's system would call it. The `sign-in:` rows come from one
sign-in per user, so from few requests; checking the password (Argon2, slow on purpose)
dominates them.

The **floor** is `/health/`: one indexed query and a minimal template, requested with the same
signed-in session as the pages, so it carries the fixed cost of every request (session, user,
roles, second factor, saving the session). A page's *p50 ÷ floor* is how many times that cost
the page takes: well above 1 is the page's own work, its queries and its template.

Settings, as environment variables (or `make bench BENCH_ARGS="--scale 0.2 --users 5"`):

| Variable | Default | What |
| --- | --- | --- |
| `BENCH_SCALE` | 1 | How many times a large partnership's year of data to make |
| `BENCH_USERS` | 10 | Simultaneous simulated users (locust `-u`) |
| `BENCH_SECONDS` | 90 | How long locust runs (`-t`), sign-ins and the warm-up included |
| `BENCH_WAIT` | 0.5 | Mean pause between one user's requests, in seconds |

The run takes about a minute at the defaults. Figures are for comparing runs on the same
machine, not promises: a 2-core machine that also runs locust (and whatever else is running:
see the load average) is noisy, so compare ratios to the floor rather than raw milliseconds,
and run it twice before believing a change. Locust's logs, its CSV files and
gunicorn's log are kept in `var/bench/`.

## Latest run

"""


def _write_docs(run: str) -> None:
    earlier: list[str] = []
    lighthouse = ""
    if DOCS.exists():
        text = DOCS.read_text()
        if LIGHTHOUSE_MARK in text:
            text, lighthouse = text.split(LIGHTHOUSE_MARK, 1)
            lighthouse = f"\n{LIGHTHOUSE_MARK}{lighthouse}"
        for block in text.split(RUN_MARK)[1:]:
            block = block.split(PREVIOUS)[0].strip()
            if block:
                earlier.append(f"{RUN_MARK}\n{block}\n")
    parts = [INTRO, run]
    if earlier:
        parts += ["\n", PREVIOUS, "\n\n", "\n".join(earlier)]
    parts.append(lighthouse)
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text("".join(parts))


if __name__ == "__main__":
    sys.exit(main())
