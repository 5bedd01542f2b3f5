#!/usr/bin/env python3
"""Scores the `testnet` mark of findings against hand labels.

    TS_BIN=path/to/tradesecrets python3 testnet.py MIRRORS

MIRRORS holds one bare clone per repository, named `owner+name` (each with
its git directory at `owner+name/repo` or `owner+name` itself). Each
repository's history is scanned; every finding whose introducing commit and
place are labelled is compared with its label. Prints strict precision and
recall of `testnet: true`, and every disagreement and unlabelled finding.
"""
import json, os, subprocess, sys
from collections import defaultdict

here = os.path.dirname(os.path.abspath(__file__))
labels = defaultdict(dict)
for line in open(os.path.join(here, "labels.tsv")):
    if line.startswith("#") or not line.strip():
        continue
    repo, commit, path, ln, cls, _note = line.rstrip("\n").split("\t")
    labels[repo][(commit, path, int(ln))] = cls

mirrors = sys.argv[1]
binary = os.environ.get("TS_BIN", "tradesecrets")
tp = fp = fn = 0
for repo, want in sorted(labels.items()):
    d = os.path.join(mirrors, repo.replace("/", "+"))
    if os.path.isdir(os.path.join(d, "repo")):
        d = os.path.join(d, "repo")
    out = subprocess.run([binary, "git", d, "--format", "json", "-q"], capture_output=True, text=True)
    seen = set()
    for f in json.loads(out.stdout)["findings"]:
        loc = f["locations"][0]
        key = ((loc.get("commit") or {}).get("sha", "")[:12], loc["path"], loc["line"])
        got = bool(f.get("testnet"))
        cls = want.get(key)
        if cls is None:
            print(f"unlabelled {repo} {key} testnet={got}")
            continue
        seen.add(key)
        if got and cls == "testnet":
            tp += 1
        elif got:
            fp += 1
            print(f"false testnet {repo} {key}")
        elif cls == "testnet":
            fn += 1
            print(f"missed testnet {repo} {key}")
    for key in set(want) - seen:
        print(f"label without finding {repo} {key}")
p = tp / (tp + fp) if tp + fp else 1.0
r = tp / (tp + fn) if tp + fn else 1.0
print(f"testnet mark: precision {tp}/{tp + fp} = {p:.3f}, recall {tp}/{tp + fn} = {r:.3f}")
