#!/usr/bin/env python3
"""Turns bench/run.sh's results (JSON lines) into the markdown table of BENCHMARKS.md."""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by = {r["label"]: r for r in rows}


def cell(value, digits=1):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


print("| workload | server | ok req/s | p50 ms | p99 ms | CPU ms/req | RSS MiB | failed |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    if "ok_per_second" not in r:
        continue
    server, _, workload = r["label"].partition(" ")
    print(
        f"| {workload} | {server} | {cell(r['ok_per_second'])} | {cell(r['p50_ms'], 2)} | "
        f"{cell(r['p99_ms'], 2)} | {cell(r['server_cpu_ms_per_request'], 2)} | "
        f"{r.get('server_rss_mib') or '–'} | {r['failed']} |"
    )
print()
print("| workload | SQL statements per request | pgbench tx/s (copnet's SQL) | copnet req/s ÷ pgbench | copnet ÷ PostGraphile |")
print("|---|---:|---:|---:|---:|")
for r in rows:
    if not r["label"].startswith("pgbench"):
        continue
    workload = r["label"].rsplit(" ", 1)[1]
    ours = by.get(f"copnet {workload}")
    theirs = by.get(f"postgraphile {workload}")
    vs_db = ours["ok_per_second"] / r["tps"] if ours and r["tps"] else None
    vs_pg = ours["ok_per_second"] / theirs["ok_per_second"] if ours and theirs and theirs["ok_per_second"] else None
    print(
        f"| {workload} | {r['statements']} | {cell(r['tps'])} | "
        f"{cell(vs_db, 2) if vs_db else '–'} | {cell(vs_pg, 2) if vs_pg else '–'} |"
    )

cache = [r for r in rows if r["label"].startswith("cache ")]
if cache:
    print()
    print("| workload | copnet req/s | copnet+cache req/s | cached ÷ uncached | cache hit ratio |")
    print("|---|---:|---:|---:|---:|")
    for r in cache:
        workload = r["label"][len("cache "):]
        plain = by.get(f"copnet {workload}")
        cached = by.get(f"copnet+cache {workload}")
        ratio = (
            cached["ok_per_second"] / plain["ok_per_second"]
            if plain and cached and plain["ok_per_second"]
            else None
        )
        hit = r["hit_ratio"]
        print(
            f"| {workload} | {cell(plain and plain['ok_per_second'])} | "
            f"{cell(cached and cached['ok_per_second'])} | {cell(ratio, 2) if ratio else '–'} | "
            f"{cell(hit * 100) + ' %' if hit is not None else '–'} |"
        )

# A run with failed requests, or a workload that never succeeded, measured nothing: say so
# and fail (the smoke run in CI relies on this).
bad = [
    r["label"]
    for r in rows
    if "ok_per_second" in r and (r["failed"] > 0 or r["ok"] == 0)
] + [r["label"] for r in rows if r["label"].startswith("pgbench") and not r["tps"]]
if bad:
    print(f"\nFAILED: {', '.join(bad)}", file=sys.stderr)
    sys.exit(1)
