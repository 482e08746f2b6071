"""Hostile input under `newsclaims serve`: does the service stay responsive while its worker
chews on pathological articles, and do they end (done or failed: timeout) without stalling the
normal article submitted after them?

`serve` runs for real (uvicorn, its supervised in-process worker and extraction processes, a
SQLite store in a temporary folder, no online prices). The script submits 10 pathological
articles of about 1 MB each (runs of quotation marks, numbers, punctuation, parentheses, tickers,
money amounts, ...) and then one normal article, probes /healthz every 10 ms until every article
has ended, and prints the /healthz latency p50/p99/max and each article's end state and time.
Goal (issue 10): /healthz p99 under 100 ms.

    uv run python bench/serve_hostile.py [--timeout 10] [--size 1000000] [--processes 2]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
NORMAL = (
    "Shares of Apple (AAPL) rose 2% on Tuesday after the company reported quarterly revenue of "
    '$94 billion. "Demand stayed strong," said Jane Carter, an analyst at Harbor Capital.'
)
# Each unit is repeated up to --size characters.
HOSTILE = {
    "quotes": '" ',
    "curly quotes": "\u201c\u201d \u2018",
    "numbers": "1 2.5 3,000 -4 ",
    "percents": "1.2% 3% -0.5% ",
    "money": "$1.2 billion $3 million ",
    "punctuation": "!?.,;:-- ",
    "parentheses": "((AAPL) (",
    "tickers": "AAPL MSFT NVDA SPY QQQ ",
    "said": 'said "Yes," said ',
    "dates": "on Tuesday, October 8, 2025, year-to-date, ",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def cli(env: dict[str, str], *args: str) -> str:
    argv = [sys.executable, "-m", "cli.main", *args]
    return subprocess.run(
        argv, cwd=REPO, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def probe(base: str, stop: threading.Event, latencies: list[float]) -> None:
    """GET /healthz every 10 ms; each answer's latency in ms (a failure counts as 10 s)."""
    with httpx.Client(timeout=10) as client:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                ok = client.get(f"{base}/healthz").status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append((time.perf_counter() - started) * 1000 if ok else 10_000.0)
            stop.wait(0.01)


def hostile(unit: str, size: int) -> str:
    """``unit`` repeated to at most ``size`` UTF-8 bytes (the submit limit counts bytes)."""
    return unit * (size // len(unit.encode()))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=10.0, help="article budget in seconds")
    parser.add_argument("--size", type=int, default=1_000_000, help="characters per hostile text")
    parser.add_argument("--processes", type=int, default=2, help="extraction processes")
    parser.add_argument("--deadline", type=float, default=900.0, help="give up after (s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSCLAIMS_")}
        env |= {
            "NEWSCLAIMS_DATABASE_URL": f"sqlite:///{Path(tmp) / 'hostile.db'}",
            "NEWSCLAIMS_ONLINE_PRICES": "false",
            "NEWSCLAIMS_POLL_SECONDS": "0.2",
            "NEWSCLAIMS_ARTICLE_TIMEOUT_SECONDS": str(args.timeout),
            "NEWSCLAIMS_EXTRACT_PROCESSES": str(args.processes),
        }
        key = cli(env, "keys", "create", "--role", "admin")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "serve", "--port", str(port)],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=open(Path(tmp) / "serve.log", "w"),
        )  # fmt: skip
        try:
            run(base, key, args)
        finally:
            serve.terminate()
            serve.wait(timeout=120)


def run(base: str, key: str, args: argparse.Namespace) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    for _ in range(600):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    latencies: list[float] = []
    stop = threading.Event()
    prober = threading.Thread(target=probe, args=(base, stop, latencies))
    prober.start()
    submitted: dict[str, tuple[str, float]] = {}  # name -> (location, submitted at)
    texts = {name: hostile(unit, args.size) for name, unit in HOSTILE.items()}
    texts["normal (after them)"] = NORMAL
    with httpx.Client(timeout=60, headers=headers) as client:
        for i, (name, text) in enumerate(texts.items()):
            body = {"text": text, "title": f"hostile {i}: {name}", "published": "2025-10-08"}
            made = client.post(f"{base}/v1/articles", json=body)
            if made.status_code not in (200, 202):
                print(f"{name:<20} rejected {made.status_code}: {made.json().get('detail')}")
                continue
            submitted[name] = (made.headers["Location"], time.monotonic())
        ended: dict[str, tuple[str, float, str]] = {}
        deadline = time.monotonic() + args.deadline
        while len(ended) < len(submitted) and time.monotonic() < deadline:
            time.sleep(0.5)
            for name, (location, at) in submitted.items():
                if name in ended:
                    continue
                article = client.get(f"{base}{location}").json()
                if article["state"] in ("done", "failed"):
                    error = (article.get("error") or "")[:60]
                    ended[name] = (article["state"], time.monotonic() - at, error)
    stop.set()
    prober.join()
    for name in submitted:
        state, took, error = ended.get(name, ("unfinished", float("nan"), ""))
        print(f"{name:<20} {state:<10} {took:7.1f} s  {error}")
    print(
        f"/healthz: {len(latencies)} probes, p50 {statistics.median(latencies):.1f} ms, "
        f"p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies):.1f} ms"
    )


if __name__ == "__main__":
    main()
