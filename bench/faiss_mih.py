#!/usr/bin/env python3
"""FAISS's multi-index hashing on the data of caseroom's hashindex benchmark (issue 6).

    faiss_mih.py BASE.bin QUERIES.bin [QUERIES_TIMED]

BASE.bin and QUERIES.bin are raw 32-byte PDQ hashes, as written by
CASEROOM_BENCH_MIH_DUMP=DIR go test ./hashindex -bench Query. Builds
faiss.IndexBinaryMultiHash(256, 16, 16) -- 16 tables keyed by 16 bits, the same split
as hashindex -- with nflip = 1 (every key within one bit is probed, which by the
pigeonhole principle finds every hash within 31 bits), runs range searches at radius
31, and prints one line: build time, median and p99 latency of single queries, the
batch rate on all cores, and whether a sample of results equals brute force.

FAISS's binary range_search keeps distances strictly below its threshold (checked
below on a pair at distance exactly 31), so radius 31 is threshold 32.

Needs python3-faiss (Debian: apt-get install python3-faiss) and numpy.
"""
import resource
import sys
import time

import faiss
import numpy as np

RADIUS = 31
POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint16)


def brute_force(base, q, radius):
    """Ids of base within radius of q, in blocks to bound memory."""
    found = []
    for start in range(0, len(base), 1 << 20):
        block = base[start:start + (1 << 20)]
        d = POPCOUNT[np.bitwise_xor(block, q)].sum(axis=1)
        found.extend((np.nonzero(d <= radius)[0] + start).tolist())
    return set(found)


def check_threshold_is_strict():
    index = faiss.IndexBinaryMultiHash(256, 16, 16)
    index.nflip = 1
    a = np.zeros((1, 32), dtype=np.uint8)
    b = a.copy()
    bits = np.unpackbits(b[0])
    for table in range(15):  # 2 bits apart in each of the first 15 tables, 1 in the last
        bits[16 * table:16 * table + 2] = 1
    bits[16 * 15] = 1
    b[0] = np.packbits(bits)
    assert POPCOUNT[np.bitwise_xor(a, b)].sum() == 31
    index.add(b)
    at31 = index.range_search(a, 31)[0][-1]
    at32 = index.range_search(a, 32)[0][-1]
    assert (at31, at32) == (0, 1), f"threshold 31 found {at31}, 32 found {at32}"


def main():
    base = np.fromfile(sys.argv[1], dtype=np.uint8).reshape(-1, 32)
    queries = np.fromfile(sys.argv[2], dtype=np.uint8).reshape(-1, 32)
    timed = int(sys.argv[3]) if len(sys.argv) > 3 else 4000
    check_threshold_is_strict()

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    index = faiss.IndexBinaryMultiHash(256, 16, 16)
    index.nflip = 1
    index.add(base)
    build = time.perf_counter() - t
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    threshold = RADIUS + 1

    # Single queries, one call each (FAISS goes parallel only above 100 queries a call).
    times, matches = [], 0
    for i in range(timed):
        q = queries[i % len(queries)][None, :]
        t0 = time.perf_counter()
        lims, _, _ = index.range_search(q, threshold)
        times.append(time.perf_counter() - t0)
        matches += int(lims[-1])
    times.sort()

    # The whole query set in one call, on all cores (OpenMP).
    reps = 3
    t0 = time.perf_counter()
    for _ in range(reps):
        lims, dists, ids = index.range_search(queries, threshold)
    qps = reps * len(queries) / (time.perf_counter() - t0)

    sample = range(0, len(queries), max(1, len(queries) // (20 if len(base) > 2_000_000 else 100)))
    exact = all(
        set(ids[lims[i]:lims[i + 1]].tolist()) == brute_force(base, queries[i], RADIUS) for i in sample
    )
    print(
        f"faiss n={len(base)} build-s={build:.2f} median-µs={times[len(times) // 2] * 1e6:.1f} "
        f"p99-µs={times[len(times) * 99 // 100] * 1e6:.1f} queries/s={qps:.0f} "
        f"matches/query={matches / timed:.4f} maxrss-growth-B/hash={(rss1 - rss0) * 1024 / len(base):.0f} "
        f"threads={faiss.omp_get_max_threads()} exact-on-sample={'yes' if exact else 'NO'}"
    )
    if not exact:
        sys.exit(1)


if __name__ == "__main__":
    main()
