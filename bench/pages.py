"""How fast the pages answer at a large agency's size, under concurrent clients.

Loads, into a throw-away database (a fresh SQLite file and DATA_DIR in a temporary
directory, never a configured database), the demo agency plus PEOPLE people
(HR roster, CLETS accounts, NexTEST, training, background checks and signed
forms, through the imports) and a ROWS-row CLETS query log (``querylog import``:
the encrypted archive); serves it with gunicorn as the README documents
(``gunicorn accdesk.wsgi --bind 127.0.0.1:PORT --workers 3``, behind a TLS proxy:
``ACCDESK_BEHIND_PROXY=1`` and ``X-Forwarded-Proto: https`` on each request); signs
in as the demo ACC (password and TOTP code); then, page by page, times one client
alone and CLIENTS concurrent clients for SECONDS, against a bare Django view that
goes through the same middleware (session, sign-in, MFA, CSRF, CSP...). Prints
per page the one-client median, p50/p95/p99 under load and the p95 ratio to the
bare view's (the goal of issue 18: <= 3x, and <= 50 ms for one client).

    .venv/bin/python bench/pages.py          # short: 500 people, 100 k rows, 5 s
    .venv/bin/python bench/pages.py --full   # 5,000 / 1 M, then 500 / 100 k, 30 s
    .venv/bin/python bench/pages.py --people 5000 --rows 1000000 --seconds 30

``--full`` runs both sizes and prints, per page, how much slower the large agency's
page is than the small one's (the goal: within 1.5x). It prints, it never asserts;
the machine's cores and load average are printed with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from querylog_synth import FIRST, LAST, generate  # noqa: E402

DEMO_ORI = "CA0990000"
# The bench's own settings and URLs: the project's, plus one bare view at
# /bench/bare/ behind the same middleware. Written into the temporary directory.
SETTINGS = """
from accdesk.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
"""
URLS = """
from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("", include("accdesk.urls"))]
handler500 = "accdesk.dashboard.views.server_error"
handler400 = "accdesk.dashboard.bad_request.bad_request"
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--full",
        action="store_true",
        help="5,000 people / 1 M rows, then 500 / 100 k, 30 s a page (issue 18)",
    )
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    args = parser.parse_args()
    _setup_django()
    print(
        f"cores: {os.cpu_count()}  Python {sys.version.split()[0]}  "
        f"load average: {_load()}",
        flush=True,
    )
    sizes = [(args.people, args.rows)]
    seconds = args.seconds
    if args.full:
        sizes, seconds = [(5000, 1_000_000), (500, 100_000)], 30.0
    results = []
    for people, rows in sizes:
        results.append(_run(people, rows, seconds, args))
    if len(results) == 2:
        _compare(sizes, results)


@dataclass
class Figures:
    one: float  # one client, median, ms
    p50: float
    p95: float
    p99: float
    requests: int
    errors: int
    size: int  # bytes of the page


def _run(people: int, rows: int, seconds: float, args) -> dict[str, Figures]:  # noqa: ANN001
    with tempfile.TemporaryDirectory(prefix="pages-bench-") as tmp:
        env = _environment(Path(tmp))
        started = time.monotonic()
        print(f"\n== {people:,} people, {rows:,} log rows", flush=True)
        _load_data(Path(tmp), env, people, rows)
        print(f"loaded in {time.monotonic() - started:.0f} s", flush=True)
        port = _free_port()
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "accdesk.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--pythonpath",
                tmp,
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            _wait_for(port)
            cookie = _sign_in(port, env)
            pages = _pages(env)
            if args.pages:
                wanted = set(args.pages.split(","))
                pages = {k: v for k, v in pages.items() if k == "bare" or k in wanted}
            print(
                f"{args.clients} clients, {seconds:g} s a page, {args.workers} "
                f"gunicorn workers; load average: {_load()}",
                flush=True,
            )
            print(HEADER, flush=True)
            figures: dict[str, Figures] = {}
            for name, url in pages.items():  # "bare" first: the ratios need it
                figures[name] = _measure(port, cookie, url, args.clients, seconds)
                print(_line(name, figures[name], figures["bare"].p95), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(f"load average after: {_load()}", flush=True)
        return figures


def _setup_django() -> None:
    """Django in this process, only to build the files from the demo's own tables
    (no database is opened here: the server and the commands have their own)."""
    scratch = tempfile.mkdtemp(prefix="pages-bench-scratch-")
    os.environ["DATA_DIR"] = scratch
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/unused.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "accdesk.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _environment(tmp: Path) -> dict[str, str]:
    (tmp / "bench_site.py").write_text(SETTINGS)
    (tmp / "bench_urls.py").write_text(URLS)
    env = {
        **os.environ,
        "DATA_DIR": str(tmp / "data"),
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "DJANGO_SETTINGS_MODULE": "bench_site",
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
        "ACCDESK_BEHIND_PROXY": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DEBUG", None)
    (tmp / "data").mkdir()
    return env


def _accdesk(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "accdesk", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"accdesk {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


# -- The data: the demo agency, PEOPLE more people, a ROWS-row log -------------------


def _load_data(tmp: Path, env: dict[str, str], people: int, rows: int) -> None:
    _accdesk(env, "migrate", "-v0")
    shown = _accdesk(env, "demo")
    for label in ("Sign in as", "Password"):
        SIGN_IN[label] = re.search(rf"{label}:\s+(\S+)", shown).group(1)
    today = dt.date.fromisoformat(
        _accdesk(env, "shell", "-c", _TODAY).strip().splitlines()[-1]
    )
    files = _roster_files(tmp, people, today)
    for kind in ("roster", "accounts", "nextest", "training", "background", "forms"):
        t = time.monotonic()
        _accdesk(env, "import", kind, str(files[kind]), "--agency", DEMO_ORI)
        print(f"  import {kind}: {time.monotonic() - t:.1f} s", flush=True)
    log = tmp / "querylog.csv"
    generate(rows, log)
    t = time.monotonic()
    _accdesk(env, "querylog", "import", str(log), "--agency", DEMO_ORI)
    print(
        f"  querylog import ({rows:,} rows): {time.monotonic() - t:.1f} s", flush=True
    )
    log.unlink()


SIGN_IN: dict[str, str] = {}  # the demo ACC's, as `accdesk demo` prints them
_TODAY = (
    "from accdesk.agency.models import Agency; "
    f"print(Agency.objects.get(ori='{DEMO_ORI}').today())"
)


def _roster_files(tmp: Path, n: int, today: dt.date) -> dict[str, Path]:
    """The demo agency's files plus ``n`` generated people, about a third with
    something to fix (separated with an account, inactive, NexTEST or training
    lapsed, a reinvestigation due, a statement missing). The first 300 accounts
    are the log's operators (OP0000...)."""
    from accdesk.personnel.demo import csv_bytes, tables

    rng = random.Random(18)
    out = tables(today)

    def ago(days: int) -> str:
        return (today - dt.timedelta(days=days)).isoformat()

    levels = ["general"] * 6 + ["privileged", "security", "unescorted", ""]
    accounts = 0
    for k in range(n):
        eid = f"B{k:05d}"
        separated = rng.random() < 0.06
        level = rng.choice(levels)
        admin = k % 25 == 0
        hired = rng.randint(200, 6000)
        out["roster"].append(
            {
                "employee_id": eid,
                "last_name": rng.choice(LAST).title(),
                "first_name": rng.choice(FIRST).title(),
                "employment_status": "separated" if separated else "active",
                "hire_date": ago(hired),
                "separation_date": ago(rng.randint(1, 60)) if separated else "",
                "role_level": level,
                "administrator": "yes" if admin else "no",
                "sworn": "yes" if rng.random() < 0.6 else "no",
                "employer": "agency",
                "supervisor_employee_id": f"B{k - k % 20:05d}" if k % 20 else "",
            }
        )
        if level or rng.random() < 0.3:
            for check in ("state", "fbi"):
                cleared = rng.randint(30, 2100)
                out["background"].append(
                    {
                        "employee_id": eid,
                        "check": check,
                        "submitted_date": ago(cleared + 20),
                        "result": "no_record",
                        "decision": "cleared",
                        "decision_date": ago(cleared),
                        "rap_back": "yes" if rng.random() < 0.5 else "no",
                    }
                )
        if level:
            out["training"].append(
                {
                    "employee_id": eid,
                    "course": "security_awareness",
                    "level": level,
                    "completed_date": ago(rng.randint(1, 420)),
                    "expiration_date": "",
                    "score": "90",
                }
            )
            if rng.random() < 0.95:
                out["forms"].append(
                    {
                        "employee_id": eid,
                        "form": "employee_statement",
                        "signed_date": ago(hired - 1),
                    }
                )
        if admin:
            out["forms"].append(
                {
                    "employee_id": eid,
                    "form": "areas_of_liability",
                    "signed_date": ago(100),
                }
            )
        if level and rng.random() < 0.65:
            operator = f"OP{accounts:04d}" if accounts < 300 else f"BO{accounts:05d}"
            accounts += 1
            access = "full" if rng.random() < 0.7 else "ltf"
            created = rng.randint(100, min(hired, 4000))
            out["accounts"].append(
                {
                    "operator_id": operator,
                    "employee_id": eid,
                    "access_level": access,
                    "status": "active",
                    "created_date": ago(created),
                    "last_activity_date": ago(rng.choice([1, 2, 5, 10, 30, 100])),
                    "disabled_date": "",
                }
            )
            completed = rng.randint(1, 400)
            out["nextest"].append(
                {
                    "operator_id": operator,
                    "test": "Full Access" if access == "full" else "Less than Full",
                    "completed_date": ago(completed),
                    "score": "92",
                    "expiration_date": "",
                }
            )
    files = {}
    for kind, table in out.items():
        files[kind] = tmp / f"{kind}.csv"
        files[kind].write_bytes(csv_bytes(table))
    return files


# -- Serving, signing in --------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _get(port, "/signin/", "")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


HEADERS = {"X-Forwarded-Proto": "https"}  # what the TLS proxy adds


def _request(
    port: int, method: str, path: str, cookie: str, body: str = ""
) -> tuple[int, dict[str, list[str]], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {**HEADERS, "Host": f"127.0.0.1:{port}", "Cookie": cookie}
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"https://127.0.0.1:{port}{path}"
        headers["Origin"] = f"https://127.0.0.1:{port}"
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        data = response.read()
        found: dict[str, list[str]] = {}
        for key, value in response.getheaders():
            found.setdefault(key.lower(), []).append(value)
        return response.status, found, data
    finally:
        conn.close()


def _get(port: int, path: str, cookie: str) -> tuple[int, dict, bytes]:
    return _request(port, "GET", path, cookie)


class _Jar:
    """Cookies by name (the session's are Secure: the proxy speaks HTTPS)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def take(self, headers: dict[str, list[str]]) -> None:
        for line in headers.get("set-cookie", []):
            name, _, rest = line.partition("=")
            self.values[name.strip()] = rest.split(";", 1)[0]

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.values.items())


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _sign_in(port: int, env: dict[str, str]) -> str:
    jar = _Jar()

    def step(path: str, fields: dict[str, str] | None = None) -> tuple[int, bytes]:
        status, headers, body = _get(port, path, jar.header())
        jar.take(headers)
        if fields is None:
            return status, body
        token = _CSRF.search(body)
        assert token, f"no CSRF token on {path}"
        form = {"csrfmiddlewaretoken": token.group(1).decode(), **fields}
        status, headers, body = _request(
            port, "POST", path, jar.header(), urlencode(form)
        )
        jar.take(headers)
        return status, body

    step("/signin/", {"acknowledge": "1"})
    status, _ = step(
        "/signin/", {"email": SIGN_IN["Sign in as"], "password": SIGN_IN["Password"]}
    )
    assert status == 302, f"password step answered {status}"
    code = _accdesk(env, "demo", "--code").strip().splitlines()[-1].strip()
    status, _ = step("/signin/code/", {"code": code})
    assert status == 302, f"code step answered {status}"
    status, _, _ = _get(port, f"/a/{DEMO_ORI}/", jar.header())
    assert status == 200, f"not signed in: the dashboard answered {status}"
    return jar.header()


def _pages(env: dict[str, str]) -> dict[str, str]:
    pk = _accdesk(
        env,
        "shell",
        "-c",
        "from accdesk.personnel.models import Person; "
        f"print(Person.objects.filter(agency__ori='{DEMO_ORI}', "
        "employee_id='B00007').values_list('pk', flat=True).first())",
    ).split()[-1]
    a = f"/a/{DEMO_ORI}"
    return {
        "bare": "/bench/bare/",
        "worklist": f"{a}/roster/worklist/",
        "query-log findings": f"{a}/querylogs/findings/",
        "leads": f"{a}/querylogs/leads/",
        "roster": f"{a}/roster/",
        "query-log overview": f"{a}/querylogs/",
        "dashboard": f"{a}/",
        "change record": f"{a}/changes/",
        "person": f"{a}/roster/people/{pk}/",
        "release log": f"{a}/releases/",
        "misuse cases": f"{a}/investigations/",
    }


# -- Measuring ------------------------------------------------------------------------


def _measure(
    port: int, cookie: str, path: str, clients: int, seconds: float
) -> Figures:
    # Warm each worker (its DuckDB connection, caches, the stored worklist).
    size = 0
    for _ in range(6):
        status, _, body = _get(port, path, cookie)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        size = len(body)
    one = []
    for _ in range(10):
        t = time.perf_counter()
        _get(port, path, cookie)
        one.append((time.perf_counter() - t) * 1000)
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        mine = []
        while time.monotonic() < deadline:
            t = time.perf_counter()
            try:
                status, _, _ = _get(port, path, cookie)
            except OSError:
                status = 0
            mine.append((time.perf_counter() - t) * 1000)
            if status != 200:
                with lock:
                    errors[0] += 1
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    q = statistics.quantiles(times, n=100, method="inclusive")
    return Figures(
        statistics.median(one), q[49], q[94], q[98], len(times), errors[0], size
    )


HEADER = (
    "\n| Page | KB | 1 client | p50 | p95 | p99 | requests | errors | p95 × bare |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def _line(name: str, f: Figures, bare: float) -> str:
    return (
        f"| {name} | {f.size / 1024:,.0f} | {f.one:,.0f} ms | {f.p50:,.0f} ms | "
        f"{f.p95:,.0f} ms | {f.p99:,.0f} ms | {f.requests:,} | {f.errors} | "
        f"{f.p95 / bare:.1f}× |"
    )


def _compare(sizes, results) -> None:  # noqa: ANN001
    (big, _), (small, _) = sizes
    print(
        f"\n| Page | 1 client: {big:,} / {small:,} people | p95: {big:,} / {small:,} |"
    )
    print("|---|---|---|")
    large, little = results
    for name in large:
        if name in little:
            print(
                f"| {name} | {large[name].one / little[name].one:.2f}× | "
                f"{large[name].p95 / little[name].p95:.2f}× |"
            )


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
