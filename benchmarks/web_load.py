"""The site under load, served by gunicorn as in production (prints figures; not a test).

    make loadtest [LOADTEST_ARGS="--database both"]
    .venv/bin/python -m benchmarks.web_load [--suppliers 10000] [--workers N] [--threads N] [--preload | --no-preload]
                                            [--clients 1,10,50] [--seconds 9] [--rounds 3] [--warmup 1]
                                            [--database sqlite|postgres|both] [--refdata] [--json PATH]

Corpus: the demo (`flask seed-demo --suppliers N`, default 10,000 suppliers, the 40 demo tenders) in an
isolated site under a temporary directory: a new SQLite file, or a PostgreSQL database `web_load` created and
dropped on 127.0.0.1:5432 (`--database postgres|both`, when the server answers). The site is set up with the
venv's `flask` (`db upgrade`, `seed-demo`, `refdata load` with `--refdata`, and `search build` when that command
exists: whether the engine index was prebuilt is printed), with a random SECRET_KEY, the default Config
(MARKETPLACE_ENV unset) and no Redis (rate limits counted in memory per worker: the benchmark signs in twice,
far below the login limits).

Gunicorn runs as deployed: the project's gunicorn.conf.py (read from the project directory) with the options
given here on top; the effective workers, threads and preload are printed (gunicorn's own reading of both).

Measures, side by side in one run:
- cold start: from starting gunicorn to the first search page answered to the signed-in demo buyer (the
  buyer signs in as soon as the port answers; that sign-in is part of the figure, and printed apart), then
  each worker's first search as gunicorn logged it (the first one is the cold start's);
- for each concurrency level (default 1, 10 and 50 clients: one client gives each page's own latency, more
  show how pages share the machine) and each page (home, supplier search with rotating French trade queries, a
  tender's shortlist, the entrepreneur's Opportunités, a supplier sheet): requests,
  errors (any answer but 200, listed), requests/s, p50/p95/p99 latency, and requests/s as a % of the home
  page's at the same level. Each client is a thread with its own keep-alive connection (http.client) and the
  user's session cookie. The pages take turns (`--rounds`, each turn `--warmup` seconds of load, then a share
  of the `--seconds` measured: requests started in that window, latency seen by the client, connection,
  queueing and transfer included), so that a drift in the machine's speed does not fall on one page;
- memory: RSS, PSS and private memory of the gunicorn master and of each worker (/proc/<pid>/smaps_rollup)
  once every worker has answered a search (the warm-up), and again after the load; a worker's private memory
  is what one more worker adds.

Gunicorn's default sync workers answer `Connection: close`: keep-alive then only holds with `--threads` > 1
(the gthread worker); the client reconnects when told to, and the reconnection counts in the latency.
The load generator is Python threads on the same machine (2 cores here): it competes with the server for the
CPU, so absolute figures are pessimistic; compare pages within one run (the % of the home page), not runs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager, suppress
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import quote, urlencode
from urllib.request import HTTPCookieProcessor, build_opener

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from marketplace.demo.showcase import BUYER_EMAIL, ENTREPRENEUR_EMAIL, demo_password  # noqa: E402

BIN = Path(sys.executable).parent  # the venv's flask and gunicorn, next to its python
HOST = "127.0.0.1"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/web_load"
SEARCH = "/acheteur/fournisseurs"
QUERIES = ("nettoyage", "traiteur bio", "plomberie", "espaces verts", "menuiserie", "repassage")
SEARCHES = tuple(f"{SEARCH}?q={quote(q)}" for q in QUERIES)
LOGIN = "/compte/connexion"
# Flask-Login's strong session protection ties the session to the browser: every request sends this one.
USER_AGENT = "marche-web-load/1"
REQUEST_TIMEOUT = 600  # seconds: a cold worker fits its engine inside the request
# Gunicorn's access log names the worker (<pid>) of each request: it tells when every worker has been warmed.
ACCESS_FORMAT = "%(p)s %(s)s %(m)s %(U)s %(M)s"
ACCESS_LINE = re.compile(r"<(\d+)> (\d+) GET (\S+) (\d+)")
# Variables of the caller's shell that would tie the benchmark's site to shared services.
NOT_INHERITED = ("MARKETPLACE_ENV", "REDIS_URL", "JOBS_REDIS_URL", "RATELIMIT_STORAGE_URI", "FLASK_APP",
                 "GUNICORN_CMD_ARGS")


# --- the isolated site --------------------------------------------------------------------------------------

def site_env(tmp: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(FLASK_APP="wsgi", DATABASE_URL=database_url, SECRET_KEY=secrets.token_hex(32),
               SEARCH_INDEX_DIR=str(tmp / "search-index"), MAIL_FILE_DIR=str(tmp / "outbox"))
    return env


def flask(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result


def set_up(env: dict, args) -> dict:
    """Schema, demo data, reference data (optional) and the engine index (when the command exists); timed."""
    steps = {"db upgrade": ("db", "upgrade"), "seed-demo": ("seed-demo", "--suppliers", str(args.suppliers))}
    if args.refdata:
        steps["refdata load"] = ("refdata", "load", args.shared_data)
    if flask(env, "search", "--help", check=False).returncode == 0:
        steps["search build"] = ("search", "build")
    timings = {}
    for name, command in steps.items():
        start = time.perf_counter()
        flask(env, *command)
        timings[name] = time.perf_counter() - start
        if args.verbose:
            print(f"  flask {name}: {timings[name]:.1f} s", file=sys.stderr)
    return timings


@contextmanager
def postgres_database(url: str):
    """A fresh database named by ``url`` (dropped first if left behind), dropped on the way out."""
    import psycopg
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = target.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    name = target.database

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_answers(url: str) -> bool:
    from sqlalchemy.engine import make_url

    target = make_url(url)
    with suppress(OSError), socket.create_connection((target.host or HOST, target.port or 5432), timeout=2):
        return True
    return False


# --- gunicorn -----------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def gunicorn_command(args, port: int, tmp: Path) -> list[str]:
    """The options given here override the project's gunicorn.conf.py (read from the project directory)."""
    command = [str(BIN / "gunicorn"), "--bind", f"{HOST}:{port}",
               "--access-logfile", str(tmp / "access.log"), "--access-logformat", ACCESS_FORMAT]
    if args.timeout is not None:
        command += ["--timeout", str(args.timeout)]
    if args.workers is not None:
        command += ["--workers", str(args.workers)]
    if args.threads is not None:
        command += ["--threads", str(args.threads)]
    if args.preload:
        command.append("--preload")
    from gunicorn.config import Config

    if "control_socket" in Config().settings:  # recent gunicorns: else one ~/.gunicorn socket for every server
        command += ["--control-socket", str(tmp / "gunicorn.ctl")]
    return [*command, "wsgi:app"]


# Gunicorn's own reading of its command line and of ./gunicorn.conf.py, without loading the app.
SETTINGS_PROBE = """
from gunicorn.app.base import Application

class Probe(Application):
    def init(self, parser, opts, args):
        return None

    def load(self):
        return None

cfg = Probe().cfg
print(cfg.workers, cfg.threads, cfg.worker_class_str, int(cfg.preload_app), cfg.timeout, cfg.config or "-")
"""


def effective_settings(command: list[str], env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", SETTINGS_PROBE, *command[1:]], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    return {"workers": int(out[0]), "threads": int(out[1]), "worker_class": out[2], "preload": out[3] == "1",
            "timeout": int(out[4]), "config": out[5]}


def start_gunicorn(command: list[str], env: dict, tmp: Path) -> subprocess.Popen:
    with (tmp / "gunicorn.log").open("ab") as log:  # the child keeps its own descriptor
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log,
                                start_new_session=True)  # its own process group: stopped whole


def stop(process: subprocess.Popen) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def workers_of(master: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == master:  # field 4, after "(command name)"
                    children.append(int(entry.name))
    return sorted(children)


def memory_of(pid: int) -> dict[str, float]:
    """Resident, proportional (shared pages split between their users) and private memory, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])  # kB
    return {"rss": fields["Rss"] / 1024, "pss": fields["Pss"] / 1024,
            "private": (fields["Private_Clean"] + fields["Private_Dirty"]) / 1024}


def memory_snapshot(master: int) -> list[dict]:
    processes = [("master", master)] + [(f"worker {i}", pid) for i, pid in enumerate(workers_of(master), 1)]
    return [{"process": name, "pid": pid, **memory_of(pid)} for name, pid in processes]


def first_searches(access_log: Path) -> dict[int, int]:
    """Each worker's first search answered 200, in ms as gunicorn timed it."""
    firsts = {}
    for match in ACCESS_LINE.finditer(access_log.read_text()):
        pid, status, path, ms = match.groups()
        if status == "200" and path == SEARCH:
            firsts.setdefault(int(pid), int(ms))
    return firsts


# --- signed-in users and the pages' addresses ---------------------------------------------------------------

class Browser:
    """Set-up requests of one user (cookies kept; redirects followed). Not used under load."""

    def __init__(self, base: str):
        self.base, self.jar = base, CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.jar))
        self.opener.addheaders = [("User-Agent", USER_AGENT)]

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=REQUEST_TIMEOUT) as response:
            return response.read().decode()

    def sign_in(self, email: str) -> None:
        form = re.search(r'<input[^>]*name="csrf_token"[^>]*>', self.get(LOGIN))
        token = re.search(r'value="([^"]+)"', form.group(0)).group(1)
        data = urlencode({"csrf_token": token, "email": email, "password": demo_password()}).encode()
        with self.opener.open(self.base + LOGIN, data=data, timeout=REQUEST_TIMEOUT) as response:
            response.read()
            if LOGIN in response.url:
                raise RuntimeError(f"could not sign in as {email}")

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def ids(html: str, prefix: str) -> list[int]:
    return list(dict.fromkeys(int(i) for i in re.findall(rf'href="{re.escape(prefix)}(\d+)"', html)))


def shortlist_of(buyer: Browser) -> str:
    """The shortlist page of the first published tender of the demo buyer that lists suppliers."""
    for tender in ids(buyer.get("/acheteur/appels-d-offres?statut=published"), "/acheteur/appels-d-offres/"):
        path = f"/acheteur/appels-d-offres/{tender}/fournisseurs"
        if path in buyer.get(path[: -len("/fournisseurs")]) and ids(buyer.get(path), f"{SEARCH}/"):
            return path
    raise RuntimeError("no published tender of the demo buyer has a shortlist")


def supplier_sheets(buyer: Browser) -> list[str]:
    found = [f"{SEARCH}/{i}" for path in SEARCHES[:2] for i in ids(buyer.get(path), f"{SEARCH}/")[:5]]
    if not found:
        raise RuntimeError("the supplier search found no supplier")
    return found


# --- load ---------------------------------------------------------------------------------------------------

def fetch(connection: http.client.HTTPConnection, path: str, cookie: str) -> int | str:
    """The status of one GET (the exception's name when it failed), the body read whole but not parsed."""
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "User-Agent": USER_AGENT})
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException) as error:
        connection.close()  # reconnects at the next request
        return type(error).__name__


def fetch_once(port: int, path: str, cookie: str, statuses: list) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        statuses.append(fetch(connection, path, cookie))
    finally:
        connection.close()


def client(port: int, paths: list[str], cookie: str, offset: int, record_from: float, stop_at: float,
           samples: list) -> None:
    """GET the paths in turn until ``stop_at``; (latency s, status) of the requests started from ``record_from``."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    i = offset
    try:
        while (start := time.perf_counter()) < stop_at:
            status = fetch(connection, paths[i % len(paths)], cookie)
            if start >= record_from:
                samples.append((time.perf_counter() - start, status))
            i += 1
    finally:
        connection.close()


def run_clients(port: int, paths: list[str], cookie: str, clients: int, warmup: float, seconds: float):
    """(samples, measured seconds) of ``clients`` threads: the window runs until the last one has stopped."""
    record_from = time.perf_counter() + warmup
    samples: list = []
    threads = [threading.Thread(target=client, daemon=True,
                                args=(port, paths, cookie, k, record_from, record_from + seconds, samples))
               for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, time.perf_counter() - record_from


def percentile(values: list[float], q: float) -> float:
    return values[max(0, math.ceil(q * len(values)) - 1)] if values else float("nan")


def measure(port: int, pages: dict, clients: int, args) -> list[dict]:
    """One row per page at this concurrency level. The pages take turns, ``args.rounds`` times, each turn a share of
    ``args.seconds`` after ``args.warmup`` seconds of load: a machine whose speed drifts (other work, CPU boost)
    slows every page alike rather than the one measured at that moment, so the % of the home page holds."""
    measured = {page: ([], 0.0) for page in pages}
    for _ in range(args.rounds):
        for page, (paths, user) in pages.items():
            samples, elapsed = run_clients(port, paths, user.cookie, clients, args.warmup, args.seconds / args.rounds)
            measured[page] = (measured[page][0] + samples, measured[page][1] + elapsed)
    rows = []
    for page, (samples, elapsed) in measured.items():
        latencies = sorted(1000 * latency for latency, _ in samples)
        errors = Counter(str(status) for _, status in samples if status != 200)
        rows.append({"page": page, "clients": clients, "requests": len(samples), "errors": sum(errors.values()),
                     "error_kinds": dict(errors), "rps": len(samples) / elapsed, "p50": percentile(latencies, 0.50),
                     "p95": percentile(latencies, 0.95), "p99": percentile(latencies, 0.99)})
    return rows


def warm_workers(port: int, cookie: str, master: int, access_log: Path, timeout: float = 600) -> dict[int, int]:
    """Concurrent searches until every worker has answered one (each fits or loads its engine then)."""
    deadline = time.monotonic() + timeout
    while True:
        workers, firsts = workers_of(master), first_searches(access_log)
        if workers and set(workers) <= set(firsts):
            return {pid: firsts[pid] for pid in workers}
        if time.monotonic() > deadline:
            raise RuntimeError(f"workers {sorted(set(workers) - set(firsts))} never answered a search")
        statuses: list = []
        threads = [threading.Thread(target=fetch_once, daemon=True, args=(port, path, cookie, statuses))
                   for path in SEARCHES[: len(workers) + 1]]  # one search each, at the same time
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failed := [status for status in statuses if status != 200]:
            raise RuntimeError(f"the warm-up searches answered {failed}")


# --- one run on one database --------------------------------------------------------------------------------

def run_site(args, database: str, database_url: str, tmp: Path) -> dict:
    env = site_env(tmp, database_url)
    if args.preload is False:
        env["GUNICORN_PRELOAD"] = "0"  # the project's gunicorn.conf.py preloads unless told not to
    result = {"database": database, "suppliers": args.suppliers, "setup_seconds": set_up(env, args)}
    result["index_prebuilt"] = "search build" in result["setup_seconds"]
    port = free_port()
    base = f"http://{HOST}:{port}"
    command = gunicorn_command(args, port, tmp)
    result["gunicorn"] = effective_settings(command, env)
    if args.preload is not None and result["gunicorn"]["preload"] != args.preload:
        raise RuntimeError(f"gunicorn's preload is {result['gunicorn']['preload']}, not {args.preload}")
    started = time.perf_counter()
    server = start_gunicorn(command, env, tmp)
    try:
        while True:  # the port answers once the master listens
            if server.poll() is not None:
                raise RuntimeError("gunicorn stopped:\n" + (tmp / "gunicorn.log").read_text()[-3000:])
            with suppress(OSError), socket.create_connection((HOST, port), timeout=1):
                break
            time.sleep(0.05)
        port_open = time.perf_counter() - started
        buyer = Browser(base)
        buyer.sign_in(BUYER_EMAIL)
        signed_in = time.perf_counter() - started
        buyer.get(SEARCHES[0])
        result["cold_start"] = {"seconds": time.perf_counter() - started, "port_open": port_open,
                                "buyer_signed_in": signed_in}
        entrepreneur = Browser(base)
        entrepreneur.sign_in(ENTREPRENEUR_EMAIL)
        firsts = warm_workers(port, buyer.cookie, server.pid, tmp / "access.log")
        result["worker_first_search_ms"] = list(firsts.values())
        result["memory_after_warmup"] = memory_snapshot(server.pid)
        pages = {"home": (["/"], buyer), "search": (list(SEARCHES), buyer),
                 "shortlist": ([shortlist_of(buyer)], buyer),
                 "opportunites": (["/entrepreneur/opportunites"], entrepreneur),
                 "supplier sheet": (supplier_sheets(buyer), buyer)}
        rows = []
        for clients in args.clients:
            rows += measure(port, pages, clients, args)
            if args.verbose:
                print(f"  measured {clients} clients", file=sys.stderr)
        result["rows"] = rows
        result["memory_after_load"] = memory_snapshot(server.pid)
    finally:
        stop(server)
    return result


# --- report -------------------------------------------------------------------------------------------------

def print_result(result: dict) -> None:
    setup = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result["setup_seconds"].items())
    g = result["gunicorn"]
    print(f"\n== {result['database']}: demo with {result['suppliers']} suppliers; gunicorn {g['workers']} workers "
          f"x {g['threads']} threads ({g['worker_class']}), preload {'on' if g['preload'] else 'off'}, "
          f"config file {g['config']}")
    print(f"set-up: {setup}")
    print("engine index prebuilt (flask search build): "
          + ("yes" if result["index_prebuilt"] else "no (no `flask search` command): each worker fits its own"))
    cold = result["cold_start"]
    print(f"cold start (gunicorn started -> first search answered): {cold['seconds']:.2f} s "
          f"(port open {cold['port_open']:.2f} s, buyer signed in {cold['buyer_signed_in']:.2f} s)")
    print("first search of each worker (gunicorn's time): "
          + ", ".join(f"{ms / 1000:.2f} s" for ms in result["worker_first_search_ms"]))
    print(f"\n{'page':<15} {'clients':>7} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} "
          f"{'p95 ms':>7} {'p99 ms':>7} {'% home':>7}")
    home = {row["clients"]: row["rps"] for row in result["rows"] if row["page"] == "home"}
    for row in result["rows"]:
        share = 100 * row["rps"] / home[row["clients"]] if home.get(row["clients"]) else float("nan")
        print(f"{row['page']:<15} {row['clients']:>7} {row['requests']:>8} {row['errors']:>6} {row['rps']:>7.1f} "
              f"{row['p50']:>7.1f} {row['p95']:>7.1f} {row['p99']:>7.1f} {share:>6.0f}%")
    for row in result["rows"]:
        if row["errors"]:
            kinds = ", ".join(f"{kind} x{count}" for kind, count in row["error_kinds"].items())
            print(f"ERRORS {row['page']} ({row['clients']} clients): {kinds}")
    for moment in ("after_warmup", "after_load"):
        snapshot = result[f"memory_{moment}"]
        print(f"\nmemory {moment.replace('_', ' ')} (MB, /proc/<pid>/smaps_rollup)")
        print(f"{'process':<10} {'pid':>8} {'RSS':>8} {'PSS':>8} {'private':>8}")
        for p in snapshot:
            print(f"{p['process']:<10} {p['pid']:>8} {p['rss']:>8.1f} {p['pss']:>8.1f} {p['private']:>8.1f}")
        print(f"{'sum':<10} {'':>8} " + " ".join(f"{sum(p[k] for p in snapshot):>8.1f}"
                                                  for k in ("rss", "pss", "private")))
        workers = [p["private"] for p in snapshot if p["process"] != "master"]
        if workers:
            print(f"one more worker adds about {sum(workers) / len(workers):.1f} MB (a worker's private memory, "
                  "mean)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=10_000, help="demo suppliers (flask seed-demo)")
    parser.add_argument("--workers", type=int, help="default: gunicorn.conf.py's (WEB_CONCURRENCY, else 2 per core)")
    parser.add_argument("--threads", type=int,
                        help="per worker (> 1: gunicorn's gthread worker); default: gunicorn.conf.py's "
                             "(GUNICORN_THREADS, else 1: sync workers)")
    preload = parser.add_mutually_exclusive_group()
    preload.add_argument("--preload", action="store_true", default=None,
                         help="gunicorn --preload: the app loaded once, before the fork")
    preload.add_argument("--no-preload", dest="preload", action="store_false",
                         help="each worker loads the app (GUNICORN_PRELOAD=0); default: as gunicorn.conf.py says")
    parser.set_defaults(preload=None)
    parser.add_argument("--timeout", type=int, help="gunicorn --timeout; default: gunicorn.conf.py's (120 s)")
    parser.add_argument("--clients", default="1,10,50", help="concurrency levels, comma-separated")
    parser.add_argument("--seconds", type=float, default=9.0, help="measured seconds per page and level")
    parser.add_argument("--rounds", type=int, default=3, help="turns the pages take at each level (the seconds shared)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of load before each turn")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="database created, then dropped")
    parser.add_argument("--refdata", action="store_true", help="load the reference files (slower set-up)")
    parser.add_argument("--shared-data", default=os.environ.get("SHARED_DATA_DIR", str(ROOT.parent / "shared" /
                                                                                        "data")))
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument("--verbose", action="store_true", help="progress on stderr")
    args = parser.parse_args(argv)
    args.clients = [int(c) for c in args.clients.split(",")]
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = []
    for database in databases:
        if database == "postgres" and not postgres_answers(args.postgres_url):
            if args.database == "postgres":
                raise SystemExit(f"PostgreSQL does not answer at {args.postgres_url}")
            print("\n== postgres: no server answers: skipped")
            continue
        with tempfile.TemporaryDirectory(prefix="web-load-") as name:
            tmp = Path(name)
            if database == "sqlite":
                result = run_site(args, database, f"sqlite:///{tmp / 'site.sqlite3'}", tmp)
            else:
                with postgres_database(args.postgres_url) as url:
                    result = run_site(args, database, url, tmp)
        print_result(result)
        results.append(result)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
