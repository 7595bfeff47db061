"""Detection benchmark: our detection against the official `twilio` SDK (the `bench` extra) reading the same
resources from the same loopback server, in one run.

20 top-level accounts, each with 1,200 numbers and 150 Bundles (27,000 items), served by tests/fake_twilio.py
on 127.0.0.1 with 30 ms added to every response. Per account both sides read the same five resources: the
account, its numbers (every page), the Bundles list, the balance and the Accounts list (sub-accounts).

  ours           services/detect.read_accounts (PageSize=1000, PARALLEL_ACCOUNTS at once)
  SDK (a)        as a user would write it: one Client per account, one account after another, default pages (50)
  SDK (b)        tuned like ours: page_size=1000, PARALLEL_ACCOUNTS accounts at once (a ThreadPoolExecutor)

Ours and (b): median of 7 rounds, alternating, each a fresh process timing its second run (the first warms up
imports, metadata and connections); (a): 1 cold run (it takes ~20 s). Peak RSS is that process's; the server
runs in this one and counts the requests. Ours also turns what it read into findings
(each number's kind through phonenumbers, the Bundles' numbers); the SDK builds its record objects.
Targets (the issue): ≤ 0.15× (a) and ≤ 1.0× (b) in wall time; < 2 requests per 1,000 items;
peak memory < 150 MB.
Usage: python bench/detect.py
       python bench/detect.py --one ours|sdk-default|sdk-tuned [--runs N]   (one variant, its own server)
"""

from __future__ import annotations

import os
import sys

# Loopback only: no proxy from the environment, no Twilio edge or region rewriting the SDK's host names.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
for _variable in ("TWILIO_EDGE", "TWILIO_REGION"):
    os.environ.pop(_variable, None)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # tests.fake_twilio

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from contextlib import contextmanager, nullcontext  # noqa: E402

from kwc_desktop.services.detect import PARALLEL_ACCOUNTS  # noqa: E402
from tests.fake_twilio import FakeAccount, FakeTwilio, company  # noqa: E402

ACCOUNTS = 20
NUMBERS = 1200
BUNDLES = 150
DELAY_S = 0.03
PAGE_SIZE = 1000  # ours (services/twilio.PAGE_SIZE) and SDK (b)
ITEMS = ACCOUNTS * (NUMBERS + BUNDLES)
RUNS = {"ours": 2, "sdk-tuned": 2, "sdk-default": 1}  # per process; the first of two is a warm-up
ROUNDS = 7  # ours and SDK (b), alternating, each in a fresh process
NAMES = {"ours": f"ours ({PARALLEL_ACCOUNTS} accounts at once)",
         "sdk-default": "SDK (a) defaults, one by one",
         "sdk-tuned": f"SDK (b) PageSize {PAGE_SIZE}, {PARALLEL_ACCOUNTS} at once"}

Counts = dict[str, list[int]]  # Account SID -> [numbers, Bundles] read


def accounts_of(fake: FakeTwilio, numbers: int = NUMBERS, bundles: int = BUNDLES) -> list[FakeAccount]:
    """The bench's accounts. SIDs and tokens depend on the position only: a child process rebuilds them
    without the numbers and Bundles the parent's server holds."""
    return company(fake, ACCOUNTS, numbers=numbers, bundles=bundles)


def peak_mb() -> float:
    """This process's peak RSS. On Linux from VmHWM: ru_maxrss would include the parent's peak (it is kept
    across fork and exec, and the parent holds the server's 27,000 items)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


# --- the three variants (run in a child process) ---------------------------------------------------------


def ours(accounts: list[FakeAccount], base: str) -> Callable[[], tuple[Counts, int]]:
    from kwc_desktop.domain.sid import parse_sid
    from kwc_desktop.services.detect import AccountRead, Target, read_accounts
    from kwc_desktop.services.program_store import load_program
    from kwc_desktop.services.twilio import BaseUrls, Credentials

    program = load_program()  # loaded at start-up in the app: not part of the detection
    urls = BaseUrls(base, base, base)
    targets = [Target(f"A{n}", parse_sid(a.sid), Credentials(parse_sid(a.sid), a.sid, a.token))
               for n, a in enumerate(accounts)]

    def run() -> tuple[Counts, int]:
        reads: list[AccountRead] = []
        made = read_accounts(targets, program, reads.append, lambda: False, urls)
        counts: Counts = {}
        for read in reads:
            assert read.sid is not None and not read.findings.errors, read.findings.errors
            assert read.findings.numbers is not None and read.findings.balance is not None
            counts[read.sid.value] = [sum(read.findings.numbers.counts.values()), len(read.findings.bundles)]
        return counts, made

    return run


def sdk(accounts: list[FakeAccount], base: str, tuned: bool) -> Callable[[], tuple[Counts, int]]:
    from twilio.rest import Client

    def read_one(account: FakeAccount) -> tuple[str, list[int]]:
        client = Client(account.sid, account.token, account.sid)
        client.api.base_url = base  # the only line a user would not write: the loopback server
        client.numbers.base_url = base
        pages = {"page_size": PAGE_SIZE} if tuned else {}
        mine = client.api.v2010.accounts(account.sid)
        fetched = mine.fetch()
        numbers = mine.incoming_phone_numbers.list(**pages)
        bundles = client.numbers.v2.regulatory_compliance.bundles.list(**pages)
        balance = mine.balance.fetch()
        client.api.v2010.accounts.list(**pages)  # sub-accounts
        assert fetched.sid == account.sid and balance.balance is not None
        return account.sid, [len(numbers), len(bundles)]

    def run() -> tuple[Counts, int]:
        if not tuned:
            return dict(read_one(a) for a in accounts), -1
        with ThreadPoolExecutor(max_workers=PARALLEL_ACCOUNTS) as pool:
            return dict(pool.map(read_one, accounts)), -1

    return run


def child(variant: str, base: str | None, runs: int) -> dict:
    """Run one variant `runs` times; what it measured, as JSON for the parent."""
    logging.getLogger("twilio").setLevel(logging.ERROR)
    with nullcontext(None) if base else serving() as own:
        accounts = accounts_of(own) if own else accounts_of(FakeTwilio("http://unused"), 0, 0)
        base = base or own.base  # type: ignore[union-attr]
        run = ours(accounts, base) if variant == "ours" else sdk(accounts, base, tuned=variant == "sdk-tuned")
        before_mb = peak_mb()
        times, counts, made = [], {}, []
        for _ in range(runs):
            start = time.perf_counter()
            counts, requests = run()
            times.append(time.perf_counter() - start)
            made.append(requests)
    return {"times": times, "counts": counts, "made": made, "peak_mb": peak_mb(), "before_mb": before_mb}


# --- the parent: the server, the children, the table -------------------------------------------------------


@contextmanager
def serving() -> Iterator[FakeTwilio]:
    from pytest_httpserver import HTTPServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        fake = FakeTwilio(server.url_for("/"), delay_s=DELAY_S)
        server.expect_request(re.compile(".*")).respond_with_handler(fake)
        yield fake
    finally:
        server.clear()
        if server.is_running():
            server.stop()


def measure(fake: FakeTwilio, variant: str) -> dict:
    """One child process: a warm-up run (imports, metadata, first connections), then the timed runs."""
    with fake.lock:
        before = fake.requests
        fake.most_in_flight = 0
    runs = RUNS[variant]
    done = subprocess.run([sys.executable, os.path.abspath(__file__), "--one", variant, "--base", fake.base,
                           "--runs", str(runs), "--json"], check=True, stdout=subprocess.PIPE, text=True)
    result = json.loads(done.stdout.splitlines()[-1])
    made = fake.requests - before
    assert made % runs == 0, f"{variant}: {made} requests over {runs} runs"
    result["requests"] = made // runs
    result["in_flight"] = fake.most_in_flight
    if runs > 1:
        result["times"] = result["times"][1:]  # the first run warmed up
    return result


def merged(rounds: list[dict]) -> dict:
    first = rounds[0]
    return {**first, "times": [t for r in rounds for t in r["times"]], "peak_mb": max(r["peak_mb"] for r in rounds),
            "before_mb": max(r["before_mb"] for r in rounds), "in_flight": max(r["in_flight"] for r in rounds),
            "made": [m for r in rounds for m in r["made"]]}


def main() -> int:
    with serving() as fake:
        expected = {a.sid: [NUMBERS, BUNDLES] for a in accounts_of(fake)}
        rounds: dict[str, list[dict]] = {"ours": [], "sdk-tuned": []}
        for _round in range(ROUNDS):  # alternating, so a noisy moment of the machine hits both sides
            for variant in rounds:
                rounds[variant].append(measure(fake, variant))
        results = {variant: merged(r) for variant, r in rounds.items()}
        results["sdk-default"] = measure(fake, "sdk-default")
    for variant, result in results.items():  # an honest comparison: every side read every item
        assert result["counts"] == expected, f"{variant} did not read every number and Bundle"
    assert all(made == results["ours"]["requests"] for made in results["ours"]["made"]), "ours miscounts"

    wall = {variant: statistics.median(r["times"]) for variant, r in results.items()}
    print(f"Detection: {ACCOUNTS} accounts × ({NUMBERS:,} numbers, {BUNDLES} Bundles) = {ITEMS:,} items, "
          f"{DELAY_S * 1000:.0f} ms added to every response")
    print(f"{'':36s} {'wall time':>10s} {'requests':>9s} {'per 1,000 items':>16s} {'peak RSS':>10s} "
          f"{'before run':>10s} {'most at once':>12s}")
    for variant, result in results.items():
        runs = len(result["times"])
        print(f"{NAMES[variant]:36s} {wall[variant]:8.2f} s {result['requests']:9d} "
              f"{result['requests'] * 1000 / ITEMS:16.2f} {result['peak_mb']:7.1f} MB {result['before_mb']:7.1f} MB "
              f"{result['in_flight']:12d}   ({'median of ' + str(runs) if runs > 1 else '1 run'})")

    lists_floor = ACCOUNTS * (math.ceil(NUMBERS / PAGE_SIZE) + math.ceil(BUNDLES / PAGE_SIZE))
    floor = lists_floor + ACCOUNTS * 3  # + the account, the balance and the Accounts list: one request each
    made = results["ours"]["requests"]
    per_thousand = made * 1000 / ITEMS
    print(f"floor at PageSize={PAGE_SIZE}: the lists alone {lists_floor} requests "
          f"({lists_floor * 1000 / ITEMS:.2f} per 1,000 items); with the 3 single reads per account {floor} "
          f"({floor * 1000 / ITEMS:.2f}); ours made {made} ({made - floor:+d} from that floor)")

    checks = [
        (f"ours / SDK (a) wall time: {wall['ours'] / wall['sdk-default']:.3f}", "≤ 0.15",
         wall["ours"] <= 0.15 * wall["sdk-default"]),
        (f"ours / SDK (b) wall time: {wall['ours'] / wall['sdk-tuned']:.3f}", "≤ 1.00",
         wall["ours"] <= 1.0 * wall["sdk-tuned"]),
        (f"requests per 1,000 items: {per_thousand:.2f}", "< 2", per_thousand < 2),
        (f"peak memory (ours): {results['ours']['peak_mb']:.1f} MB", "< 150 MB", results["ours"]["peak_mb"] < 150),
    ]
    for text, target, ok in checks:
        print(f"{text:44s} target {target:9s} {'ok' if ok else 'MISSED'}")
    if per_thousand >= 2 and lists_floor * 1000 / ITEMS >= 2:
        print(f"(< 2 per 1,000 items cannot be met at {NUMBERS:,} numbers and {BUNDLES} Bundles an account: "
              f"the lists alone need {lists_floor * 1000 / ITEMS:.2f})")
    ok = all(met for _, _, met in checks)
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


def cli() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", choices=sorted(RUNS), help="run one variant (its own server unless --base)")
    parser.add_argument("--base", help="the server to read (the parent's)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line (for the parent)")
    args = parser.parse_args()
    if args.one is None:
        return main()
    result = child(args.one, args.base, args.runs)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{NAMES[args.one]}: {', '.join(f'{t:.2f} s' for t in result['times'])}; "
              f"peak RSS {result['peak_mb']:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
