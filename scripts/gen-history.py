#!/usr/bin/env python3
"""Builds a large synthetic git history, to measure how a history scan's time
and memory grow with a repository.

Usage: scripts/gen-history.py DIR [--commits N] [--files N] [--lines N]
                              [--noise-files N] [--noise-kib N]
                              [--secrets N] [--seed N] [--repack]

DIR becomes a new repository (it must not exist). Each commit edits one file:
it rewrites, inserts or deletes a few lines, so every commit adds a commit, a
blob and the trees on the file's path (three levels), about five objects; one
million objects is about 200,000 commits. `--noise-files` commits add a file
of `--noise-kib` KiB of random bytes each (a binary, which compresses not at
all), once, so the packs are large as well as numerous. `--secrets` plants that many generated (random, never real)
exchange key pairs in random commits.
`--repack` repacks with long delta chains (`git repack -adf --depth=250`),
as an aggressively packed repository has them.

The history is written with `git fast-import`, so it is a real repository
with real packs; the same arguments give the same repository.
"""

import argparse
import os
import random
import string
import subprocess
import sys

WORDS = (
    "order price amount symbol market limit side buy sell fee balance account "
    "trade ticker depth candle interval retry timeout client request response "
    "config value result error handler update cancel status position wallet"
).split()


def line(rng: random.Random) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8)))
    indent = " " * (4 * rng.randint(0, 3))
    return f"{indent}{words} = {rng.randint(0, 99999)}\n"


def token(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(n))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--commits", type=int, default=200_000)
    ap.add_argument("--files", type=int, default=2_000)
    ap.add_argument("--lines", type=int, default=60, help="lines per file at first")
    ap.add_argument("--noise-files", type=int, default=0)
    ap.add_argument("--noise-kib", type=int, default=256)
    ap.add_argument("--secrets", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repack", action="store_true")
    args = ap.parse_args()
    if os.path.exists(args.dir):
        sys.exit(f"{args.dir}: exists")
    rng = random.Random(args.seed)
    subprocess.run(["git", "init", "-q", "-b", "main", args.dir], check=True)
    imp = subprocess.Popen(
        ["git", "-C", args.dir, "fast-import", "--quiet", "--depth=50"],
        stdin=subprocess.PIPE,
    )
    out = imp.stdin

    def put(s: str) -> None:
        out.write(s.encode())

    def data(raw: bytes) -> None:
        out.write(b"data %d\n" % len(raw))
        out.write(raw)
        out.write(b"\n")

    paths = [
        f"src/mod{i % 17:02d}/part{i % 5}/file{i:05d}.py" for i in range(args.files)
    ]
    files = [[line(rng) for _ in range(args.lines)] for _ in range(args.files)]
    noise_at = set(rng.sample(range(args.commits), min(args.noise_files, args.commits)))
    plain = [c for c in range(args.commits) if c not in noise_at]
    secret_at = set(rng.sample(plain, min(args.secrets, len(plain))))
    when = 1_600_000_000
    for c in range(args.commits):
        when += rng.randint(30, 3600)
        put("commit refs/heads/main\n")
        put(f"committer Synthetic Author <synthetic@example.com> {when} +0000\n")
        if c in noise_at:
            data(f"add noise {c}".encode())
            put(f"M 100644 inline data/noise{c:07d}.bin\n")
            data(rng.randbytes(args.noise_kib * 1024))
            put("\n")
            continue
        f = rng.randrange(args.files)
        body = files[f]
        if c in secret_at:
            body.insert(
                rng.randint(0, len(body)),
                f'BINANCE_API_KEY = "{token(rng, 64)}"\nBINANCE_API_SECRET = "{token(rng, 64)}"\n',
            )
        else:
            op = rng.random()
            at = rng.randrange(len(body)) if body else 0
            if op < 0.5 and body:
                body[at] = line(rng)
            elif op < 0.85 or len(body) < 10:
                body.insert(at, line(rng))
            else:
                del body[at]
        data(f"change {c} to {paths[f]}".encode())
        put(f"M 100644 inline {paths[f]}\n")
        data("".join(body).encode())
        put("\n")
    out.close()
    if imp.wait() != 0:
        sys.exit("git fast-import failed")
    if args.repack:
        subprocess.run(
            ["git", "-C", args.dir, "repack", "-adfq", "--depth=250", "--window=50"],
            check=True,
        )
    subprocess.run(["git", "-C", args.dir, "count-objects", "-vH"], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
