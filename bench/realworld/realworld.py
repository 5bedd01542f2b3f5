#!/usr/bin/env python3
"""Real-code evaluation: score a scanner run against the hand labels.

    realworld.py extract GITDIR DEST   write HEAD's tree (blobs a clone lacks are
                                       left out and named on stderr)
    realworld.py score [-v] [OUT] [SET]
                                       score OUT/*.history.json, OUT/*.head.json
                                       against SET/labels.tsv (OUT: bench/realworld/out;
                                       SET: this directory, or `heldout/`); -v lists
                                       every wrong leak and every true part missed

labels.tsv has one row per reported location (and per credential the scanner
missed, source `missed`), read by hand: repository, commit, path, line, rule,
part, the status reported, the class it really is, where it lives, whether the
reported venue is right, and a note. No secret values: the labels say where a
value is and what it is, never what it is.

Strict precision counts a reported leak as true only when it is a real (or
testnet) credential of the reported venue. Recall counts labelled real and
testnet credential parts (reported or missed) that the run reports as a leak.
"""

import csv
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
TRUE = {"real", "testnet"}
CLASSES = ["real", "testnet", "fixture", "example", "placeholder", "noncredential"]


def slug(repo):
    return repo.replace("/", "+")


def extract(gitdir, dest):
    """HEAD's tree into dest, skipping blobs the clone does not hold."""
    git = ["git", "--git-dir", gitdir]
    tree = subprocess.run(git + ["ls-tree", "-r", "-z", "HEAD"], capture_output=True, check=True).stdout
    entries = []
    for e in tree.split(b"\0"):
        if not e:
            continue
        meta, path = e.split(b"\t", 1)
        mode, kind, oid = meta.split(b" ")
        if kind == b"blob" and mode != b"120000":
            entries.append((oid.decode(), path.decode("utf-8", "replace")))
    cat = subprocess.Popen(git + ["cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    missing = 0
    for oid, path in entries:
        cat.stdin.write(oid.encode() + b"\n")
        cat.stdin.flush()
        header = cat.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            missing += 1
            continue
        data = cat.stdout.read(int(header[2]))
        cat.stdout.read(1)
        target = os.path.join(dest, path)
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
    cat.stdin.close()
    cat.wait()
    if missing:
        print(f"{gitdir}: {missing} blobs of HEAD are not in this clone", file=sys.stderr)


def read_tsv(name, where=HERE):
    with open(os.path.join(where, name), newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def reported(out, repos):
    """Every reported location: (finding index, source, repo, commit, path, line, part, status, rule)."""
    rows = []
    n = 0
    for r in repos:
        for source in ("history", "head"):
            p = os.path.join(out, f"{slug(r['repo'])}.{source}.json")
            if not os.path.exists(p):
                continue
            with open(p) as f:
                report = json.load(f)
            for finding in report["findings"]:
                n += 1
                for loc in finding["locations"]:
                    path = loc["path"]
                    if source == "head":
                        path = path.split("/", 1)[1] if "/" in path else path
                        commit = r["commit"]
                    else:
                        commit = (loc.get("commit") or {}).get("sha", "")
                    rows.append((n, source, r["repo"], commit, path, loc["line"], loc["part"],
                                 finding["status"], loc.get("rule_id") or finding["rule_id"]))
    return rows


def score(out, where=HERE, verbose=False):
    labels = read_tsv("labels.tsv", where)
    repos = read_tsv("repos.tsv", where)
    by_place = {}
    for lab in labels:
        if lab["source"] == "missed":
            continue
        key = (lab["source"], lab["repo"], lab["commit"], lab["path"], int(lab["line"]))
        by_place.setdefault(key + (lab["part"],), lab)
        by_place.setdefault(key, lab)
        # History reports a value once, at the earliest commit whose copy is
        # a leak; another version of the rules may pick another commit of
        # the same place.
        by_place.setdefault(("loose", lab["repo"], lab["path"], int(lab["line"])), lab)
    locs = reported(out, repos)
    if not locs and not any(os.path.exists(os.path.join(out, f"{slug(r['repo'])}.history.json")) for r in repos):
        sys.exit(f"no results in {out}: run bench/realworld/run.sh first")
    findings = defaultdict(list)
    for loc in locs:
        findings[loc[0]].append(loc)
    classes = Counter()
    strict_true = 0
    leaks = 0
    unlabelled = []
    wrong = []
    kind_of = {r["repo"]: r["kind"] for r in repos}
    per_kind = defaultdict(lambda: [0, 0])
    for _, ls in sorted(findings.items()):
        if ls[0][7] != "leak":
            continue
        leaks += 1
        first = ls[0]
        per_kind[kind_of[first[2]]][0] += 1
        key = first[1:6]
        lab = (
            by_place.get(key + (first[6],))
            or by_place.get(key)
            or by_place.get(("loose", first[2], first[4], first[5]))
        )
        if lab is None:
            classes["unlabelled"] += 1
            unlabelled.append(first)
            continue
        wrong_venue = lab["venue"] != "ok" and lab["class"] in TRUE
        cls = "wrong venue" if wrong_venue else lab["class"]
        classes[cls] += 1
        if verbose and cls not in TRUE:
            wrong.append((cls, first, lab["note"]))
        if lab["class"] in TRUE and not wrong_venue:
            strict_true += 1
            per_kind[kind_of[first[2]]][1] += 1
    # Recall over labelled true parts: reported ones and missed ones.
    found_loose = {(loc[2], loc[4], loc[5]) for loc in locs if loc[7] == "leak"}
    want = [lab for lab in labels if lab["class"] in TRUE]
    got = 0
    missed = []
    for lab in want:
        line = int(lab["line"])
        hit = (lab["repo"], lab["path"], line) in found_loose
        got += hit
        if not hit:
            missed.append(lab)
    print(f"reported leaks (findings): {leaks}")
    for c in CLASSES + ["wrong venue", "unlabelled"]:
        if classes[c]:
            print(f"  {c:<14} {classes[c]}")
    if leaks:
        print(f"strict precision: {strict_true}/{leaks} = {strict_true / leaks:.3f}")
    for kind, (n, t) in sorted(per_kind.items()):
        print(f"  {kind:<16} {t}/{n} true")
    if want:
        print(f"recall of labelled real/testnet parts: {got}/{len(want)} = {got / len(want):.3f}")
    by_source = Counter(lab["source"] for lab in missed)
    print(f"  not reported: {dict(by_source)}")
    if verbose:
        print("reported leaks that are not true credentials:")
        for cls, u, note in sorted(wrong, key=lambda w: (w[0], w[1][2], w[1][4])):
            print(f"  {cls:<13} {u[1]} {u[2]} {u[3][:12]} {u[4]}:{u[5]} {u[8]}  # {note[:90]}")
        print("labelled true parts not reported as leaks:")
        for lab in missed:
            print(f"  {lab['source']} {lab['repo']} {lab['commit'][:12]} {lab['path']}:{lab['line']}"
                  f" {lab['rule']}  # {lab['note'][:90]}")
    if unlabelled:
        print(f"{len(unlabelled)} findings have no label: read them and add rows to labels.tsv, e.g.:")
        for u in unlabelled if verbose else unlabelled[:20]:
            print(f"  {u[1]} {u[2]} {u[3][:12]} {u[4]}:{u[5]} {u[8]}")


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "extract" and len(sys.argv) == 4:
        extract(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 2 and sys.argv[1] == "score":
        args = [a for a in sys.argv[2:] if a != "-v"]
        score(
            args[0] if args else os.path.join(HERE, "out"),
            args[1] if len(args) > 1 else HERE,
            verbose="-v" in sys.argv[2:],
        )
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
