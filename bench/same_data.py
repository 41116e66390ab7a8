#!/usr/bin/env python3
"""Checks that copnet and PostGraphile answer a workload with the same data: the scalar
leaves of both answers, in document order (field names differ between the two schemas),
must be equal. Usage: same_data.py COPNET_URL POSTGRAPHILE_URL WORKLOAD_NAME [THREAD_ID THREAD_UUID]
(`$THREAD` in a workload's variables is the thread's global ID for copnet, its UUID for
PostGraphile)."""
import json
import sys
import urllib.request


def answer(url, workload, thread):
    w = json.load(open(workload))
    variables = {k: thread if v == "$THREAD" else v for k, v in w.get("variables", {}).items()}
    body = json.dumps({"query": w["query"], "variables": variables}).encode()
    request = urllib.request.Request(url + "/graphql", body, {"content-type": "application/json"})
    reply = json.load(urllib.request.urlopen(request))
    if reply.get("errors"):
        sys.exit(f"{url}: {reply['errors']}")
    return reply["data"]


def leaves(value, out, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            leaves(item, out, f"{path}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            leaves(item, out, f"{path}[{i}]")
    else:
        out.append((path, value))
    return out


ours_url, theirs_url, name = sys.argv[1:4]
thread_id, thread_uuid = (sys.argv[4:6] + ["", ""])[:2]
ours = leaves(answer(ours_url, f"bench/workloads/copnet/{name}.json", thread_id), [])
theirs = leaves(answer(theirs_url, f"bench/workloads/postgraphile/{name}.json", thread_uuid), [])
print(f"workload {name}: copnet {len(ours)} leaves, PostGraphile {len(theirs)}", file=sys.stderr)
if len(ours) != len(theirs):
    sys.exit(f"workload {name}: different numbers of values")
for (ours_path, a), (theirs_path, b) in zip(ours, theirs):
    if a != b:
        sys.exit(f"workload {name}: {ours_path} = {a!r} but {theirs_path} = {b!r}")
