#!/usr/bin/env python3
"""Real-file recall: score a scanner run on committed files against hand labels.

    recall.py build CLONES OUT   write every labelled file version of labels.tsv
                                 into OUT/files/OWNER+NAME/COMMIT12/PATH, from
                                 clones fetched by the developer (CLONES/OWNER+NAME,
                                 bare or work tree, OWNER+NAME/repo also works);
                                 files a clone lacks are named on stderr
    recall.py scan OUT           run the scanner (TS_BIN, default
                                 target/release/tradesecrets) over OUT/files with
                                 default options; the JSON report goes to OUT/report.json
    recall.py score [-v] OUT     recall and precision of OUT/report.json, per venue
                                 and per carrier kind; -v lists misses and wrong leaks

labels.tsv has one row per credential part (or placeholder) on a line of a
file version: repository, commit, path, line, venue, part, class (real,
testnet, placeholder, badchecksum, publicdev), carrier (the file kind) and a
note on the shape. No secret values and no file contents are committed: the
labels say where a value is and what it is, never what it is.

Recall counts real and testnet parts that the run reports as a leak on their
line with the labelled venue and part (strict) or on their line at all
(loose). Strict precision counts a reported leak as true when one of its
locations is a labelled true part of the reported venue; a leak on a
placeholder, bad-checksum or public development line is false, and a leak on
an unlabelled line is listed and counted false until somebody labels it.
"""

import json
import os
import subprocess
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "..", "realworld"))
from realworld import read_tsv, slug  # noqa: E402

TRUE = {"real", "testnet"}
# The scanner's part names; labels may say which kind of private key.
PARTS = {"project_id": "key", "evm_private_key": "private_key", "wif": "private_key",
         "xprv": "private_key", "solana_keypair": "private_key"}
# Label venues that one rule family covers.
VENUE_OF = {"bscscan": "etherscan", "polygonscan": "etherscan", "huobi": "htx", "gate": "gateio", "solana": "wallet"}


def norm_part(p):
    return PARTS.get(p, p)


def norm_venue(v):
    v = v.lower()
    return VENUE_OF.get(v, v)


def file_of(lab):
    return os.path.join(slug(lab["repo"]), lab["commit"][:12], lab["path"])


def clone_dir(clones, repo):
    d = os.path.join(clones, slug(repo))
    return os.path.join(d, "repo") if os.path.isdir(os.path.join(d, "repo")) else d


def build(clones, out):
    labels = read_tsv("labels.tsv", HERE)
    done = set()
    missing = 0
    for lab in labels:
        rel = file_of(lab)
        if rel in done:
            continue
        done.add(rel)
        git = ["git", "-C", clone_dir(clones, lab["repo"])]
        r = subprocess.run(git + ["show", f"{lab['commit']}:{lab['path']}"], capture_output=True)
        if r.returncode != 0:
            missing += 1
            print(f"missing {lab['repo']} {lab['commit'][:12]} {lab['path']}", file=sys.stderr)
            continue
        target = os.path.join(out, "files", rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(r.stdout)
    print(f"{len(done) - missing} files written to {out}/files ({missing} missing)")


def scan(out):
    ts = os.environ.get("TS_BIN") or os.path.join(ROOT, "target", "release", "tradesecrets")
    if not os.path.exists(ts):
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    with open(os.path.join(out, "report.json"), "w") as f:
        r = subprocess.run([ts, "scan", "files", "--format", "json"], cwd=out, stdout=f)
    if r.returncode not in (0, 1):
        sys.exit(f"scanner failed with status {r.returncode}")


def venue_of(finding, loc):
    rule = loc.get("rule_id") or finding["rule_id"]
    fam = rule.split(".", 1)[0]
    if fam == "generic":
        word = "".join(c for c in (finding.get("venue") or "").lower() if c.isalnum())
        return word or "generic"
    return fam


def score(out, verbose=False):
    labels = read_tsv("labels.tsv", HERE)
    with open(os.path.join(out, "report.json")) as f:
        report = json.load(f)
    by_line = defaultdict(list)
    for lab in labels:
        by_line[(file_of(lab), int(lab["line"]))].append(lab)
    # Every reported leak location, by file and line.
    got = defaultdict(list)
    leaks = []
    for finding in report["findings"]:
        if finding["status"] != "leak":
            continue
        locs = []
        for loc in finding["locations"]:
            path = loc["path"].split("files/", 1)[-1]
            locs.append((path, loc["line"], venue_of(finding, loc), loc["part"]))
            got[(path, loc["line"])].append(locs[-1])
        leaks.append((finding, locs))
    # Recall over labelled true parts.
    want = [lab for lab in labels if lab["class"] in TRUE]
    strict = loose = 0
    per_venue = defaultdict(lambda: [0, 0])
    per_carrier = defaultdict(lambda: [0, 0])
    missed = []
    for lab in want:
        here = got.get((file_of(lab), int(lab["line"])), [])
        ok = any(v == norm_venue(lab["venue"]) and p == norm_part(lab["part"]) for _, _, v, p in here)
        strict += ok
        loose += bool(here)
        for table, k in ((per_venue, norm_venue(lab["venue"])), (per_carrier, lab["carrier"])):
            table[k][0] += 1
            table[k][1] += ok
        if not ok:
            missed.append((lab, here))
    # Precision over reported leaks.
    classes = Counter()
    wrong = []
    for finding, locs in leaks:
        cls = None
        for path, line, venue, part in locs:
            labs = by_line.get((path, line), [])
            if any(lab["class"] in TRUE and norm_venue(lab["venue"]) == venue for lab in labs):
                cls = "true"
                break
            if labs and cls is None:
                cls = "wrong venue" if any(lab["class"] in TRUE for lab in labs) else labs[0]["class"]
        cls = cls or "unlabelled"
        classes[cls] += 1
        if cls != "true":
            wrong.append((cls, locs[0], finding["rule_id"]))
    n = len(want)
    print(f"labelled true parts: {n} in {len(per_venue)} venues,"
          f" {len({file_of(lab) for lab in want})} files, {len({lab['repo'] for lab in want})} repositories")
    if n:
        print(f"recall strict (venue and part right): {strict}/{n} = {strict / n:.3f}")
        print(f"recall loose (reported on the line):  {loose}/{n} = {loose / n:.3f}")
    total = len(leaks)
    if total:
        print(f"reported leaks: {total}; strict precision {classes['true']}/{total} = {classes['true'] / total:.3f}")
        for c, k in sorted(classes.items()):
            if c != "true":
                print(f"  {c:<12} {k}")
    for title, table in (("per venue", per_venue), ("per carrier", per_carrier)):
        print(f"{title}:")
        for k, (a, b) in sorted(table.items()):
            print(f"  {k:<14} {b}/{a}")
    if verbose:
        print("true parts not reported (strict):")
        for lab, here in missed:
            seen = ", ".join(f"{v}.{p}" for _, _, v, p in here) or "-"
            print(f"  {file_of(lab)}:{lab['line']} {lab['venue']}.{norm_part(lab['part'])}"
                  f" [{lab['carrier']}] got {seen}  # {lab['note'][:80]}")
        print("reported leaks that are not true parts:")
        for cls, (path, line, venue, part), rule in sorted(wrong):
            print(f"  {cls:<12} {path}:{line} {rule}")


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "build":
        build(a[1], a[2])
    elif len(a) == 2 and a[0] == "scan":
        scan(a[1])
    elif a and a[0] == "score":
        rest = [x for x in a[1:] if x != "-v"]
        if len(rest) != 1:
            sys.exit(__doc__)
        score(rest[0], verbose="-v" in a)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
