"""Reading, checking and deriving a large LA's SSDA903 extract in-process: `python -m benchmarks.ssda903`.

The extract is synthetic and deterministic, shaped like a large LA's: 9,000 children in the header file and
16,000 episodes in all the 903's columns, dates written DD/MM/YYYY as the 903 writes them. It times
read_extract + derive for five collection years (the best of a few runs, tracemalloc off), then runs once more
under tracemalloc for the peak memory, and prints the figures derived.

`--http` times the whole request instead, as an LA's BI job makes it: a `datapack serve` process on a fresh
database (SQLite, or `--postgres URL`'s server), the extract posted to `/local-authorities/341/ssda903` for the
five years (parse, check, derive, store, answer), then posted again (every record unchanged). It prints each
request's wall time, the server's CPU time for it and the server's peak resident memory before and after.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from statistics import median

import httpx

from app.ssda903.derive import DerivedYear, derive
from app.ssda903.extract import read_extract
from benchmarks.server import ROOT, Server, fresh_postgres

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
YEARS = range(2019, 2024)
# Where a child's next episode takes them, weighted roughly as an LA's looked-after population is placed.
MOVES = [("C2", "U1"), ("C2", "U4"), ("C2", "P1"), ("C1", "P1"), ("C1", "U1"), ("V2", "U1"), ("V2", "P1"),
         ("E1", "A3"), ("C2", "K1"), ("C2", "H5")]
WEIGHTS = [30, 15, 10, 6, 10, 14, 3, 5, 5, 2]
LEFT = ["E4A", "E4B", "E13", "E41", "E45", "E46", "E17", "E11", "E3", "E8"]
ETHNIC = ["WBRI"] * 12 + ["WOTH", "MWBC", "MOTH", "APKN", "AOTH", "BAFR", "BCRB", "CHNE", "OOTH", "NOBT"]


def uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def synthetic(children: int = 9_000, episodes: int = 16_000, seed: int = 903) -> tuple[bytes, bytes]:
    rng = random.Random(seed)
    header, rows = [HEADER], [EPISODES]
    per_child = episodes / children
    for n in range(children):
        ref = f"{100000 + n}"
        born = date(2003, 1, 1) + timedelta(days=rng.randint(0, 7300))
        header.append(f"{ref},{rng.choice('12')},{uk(born)},{rng.choice(ETHNIC)},A{n:012d},,")
        day = max(born, date(2014, 4, 1)) + timedelta(days=rng.randint(0, 2500))
        # Each child's count of episodes, so the file holds about `episodes` in all.
        count = int(per_child) + (rng.random() < per_child % 1)
        for k in range(count):
            ls, place = rng.choices(MOVES, WEIGHTS)[0]
            end = day + timedelta(days=rng.randint(20, 900))
            last = k == count - 1
            dec, rec = ("", "") if last and rng.random() < 0.4 else (uk(end), "X1" if not last else rng.choice(LEFT))
            rows.append(f"{ref},{uk(day)},{'S' if k == 0 else 'P'},{ls},N1,{place},PR1,{dec},{rec},,M1 1AA,M2 2BB,SC000001")
            day = end
    return ("\r\n".join(header) + "\r\n").encode(), ("\r\n".join(rows) + "\r\n").encode()


def read_and_derive(header: bytes, episodes: bytes) -> list[DerivedYear]:
    extract, problems = read_extract(header, episodes)
    if extract is None:
        raise SystemExit(f"the synthetic extract has problems: {problems[:3]}")
    return derive(extract, YEARS)


def server_cpu_seconds(server: Server) -> float:
    """User + system CPU of the server process so far (fields 14 and 15 of /proc/PID/stat, in clock ticks)."""
    assert server.process is not None
    fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def la_key(database_url: str) -> str:
    created = subprocess.run([sys.executable, "-m", "app.cli", "clients", "create", "--role", "la", "--la", "341",
                              "--name", "benchmark 903"], env={**os.environ, "DATABASE_URL": database_url},
                             cwd=ROOT, check=True, capture_output=True, text=True)
    return created.stdout.strip().splitlines()[-1]


def over_http(header: bytes, episodes: bytes, postgres: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database_url = fresh_postgres(postgres, "bench_ssda903") if postgres else f"sqlite:///{folder}/bench.db"
        with Server(database_url) as server:
            key = la_key(database_url)
            at_rest = server.peak_rss_mb()
            print(f"server on {database_url.split(':')[0]}: peak resident memory at rest {at_rest:.0f} MB")
            for attempt in ("first send", "sent again"):
                cpu_before, started = server_cpu_seconds(server), time.perf_counter()
                response = httpx.post(f"{server.url}/api/v1/local-authorities/341/ssda903",
                                      params={"years": f"{YEARS.start}:{YEARS.stop - 1}"},
                                      headers={"Authorization": f"Bearer {key}"}, timeout=120,
                                      files={"header": ("header.csv", header, "text/csv"),
                                             "episodes": ("episodes.csv", episodes, "text/csv")})
                wall = time.perf_counter() - started
                body = response.json()
                if response.status_code != 201:
                    raise SystemExit(f"{response.status_code}: {str(body)[:500]}")
                print(f"  {attempt}: {response.status_code} in {wall * 1000:.0f} ms wall, "
                      f"{(server_cpu_seconds(server) - cpu_before) * 1000:.0f} ms server CPU; created "
                      f"{body['created']}, revised {body['revised']}, unchanged {body['unchanged']}; "
                      f"server peak resident memory {server.peak_rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=9_000)
    parser.add_argument("--episodes", type=int, default=16_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--http", action="store_true", help="Time the whole request against a real server.")
    parser.add_argument("--postgres", help="With --http: a PostgreSQL server URL to make a fresh database on.")
    args = parser.parse_args()
    header, episodes = synthetic(args.children, args.episodes)
    if args.http:
        print(f"extract: {args.children:,} children ({len(header) / 1e6:.2f} MB), {args.episodes:,} episodes "
              f"({len(episodes) / 1e6:.2f} MB); years {YEARS.start}-{YEARS.stop - 1}")
        over_http(header, episodes, args.postgres)
        return
    timings, cpu = [], []
    for _ in range(args.runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        derived = read_and_derive(header, episodes)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    tracemalloc.start()
    read_and_derive(header, episodes)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"extract: {args.children:,} children ({len(header) / 1e6:.2f} MB), {args.episodes:,} episodes "
          f"({len(episodes) / 1e6:.2f} MB); years {YEARS.start}-{YEARS.stop - 1}")
    # CPU time beside wall time: on a shared machine the wall time also counts what others ran meanwhile.
    print(f"read_extract + derive, {args.runs} runs: wall best {min(timings) * 1000:.0f} ms, median "
          f"{median(timings) * 1000:.0f} ms; CPU best {min(cpu) * 1000:.0f} ms, median {median(cpu) * 1000:.0f} ms; "
          f"peak memory {peak / 1e6:.1f} MB (tracemalloc)")
    for year in derived:
        counts = year.counts
        print(f"  {year.snapshot_date}: cla {counts['cla_total']:,}, with parents {counts['placed_with_parents']}, "
              f"full at home {counts['full_care_orders_at_home']}, interim at home {counts['interim_care_orders_at_home']}, "
              f"made {counts['orders_made_in_year']} (from interim {counts['interim_orders_became_full_orders']}), "
              f"discharged {counts['discharges']['total']} (SGO {counts['discharges']['to_special_guardianship_order']}, "
              f"CAO {counts['discharges']['to_child_arrangements_order']})")


if __name__ == "__main__":
    main()
