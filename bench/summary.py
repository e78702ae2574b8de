#!/usr/bin/python3
"""Summary of one bench/writeback.sh run: bench/summary.py <fs> <dir> [System.map].

Reads <dir>/about.txt (what was measured, copied to the top of the summary)
and <dir>/console.txt (the guests' "bench:" lines, each prefixed with the
kernel, the boot and the host's load) and writes, in <dir>:
  runs.tsv     one row per run (the first run of a workload in a boot is
               not kept)
  counts.txt   the counted runs: plug callbacks and punted bios
  summary.txt  per workload: medians and ranges, patched/pristine ratios,
               Mann-Whitney U on elapsed time, and the verdict against the
               targets (requests per MiB within pristine's range or at most
               5 % above its median; no slowdown significant at 95 %)
  <fs>.png     per workload, elapsed time and write requests per MiB of
               every kept run, pristine beside patched
Code addresses in the counted runs (the bench kernels have no KALLSYMS,
so the trace events print the callback as one) are named from System.map,
the patched kernel's, when it is given.  The summary is printed too.  Python's standard library, and matplotlib for
the plot (without it the plot is left out, with a note).
"""
import bisect
import json
import math
import re
import statistics as st
import sys

KERNELS = ("pristine", "patched")


def mann_whitney(a, b):
    """Two-sided p of the Mann-Whitney U test (normal approximation with
    tie correction and continuity correction); U is a's."""
    n1, n2 = len(a), len(b)
    if n1 == 0 or n2 == 0:
        return float("nan"), float("nan")
    both = sorted([(x, 0) for x in a] + [(x, 1) for x in b])
    ranks = [0.0] * len(both)
    ties = []
    i = 0
    while i < len(both):
        j = i
        while j + 1 < len(both) and both[j + 1][0] == both[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        ties.append(j - i + 1)
        i = j + 1
    r1 = sum(r for r, (_, g) in zip(ranks, both) if g == 0)
    u1 = r1 - n1 * (n1 + 1) / 2
    n = n1 + n2
    var = n1 * n2 / 12 * ((n + 1) - sum(t ** 3 - t for t in ties) / (n * (n - 1)))
    if var <= 0:
        return u1, 1.0
    z = (abs(u1 - n1 * n2 / 2) - 0.5) / math.sqrt(var)
    return u1, max(0.0, min(1.0, math.erfc(max(z, 0) / math.sqrt(2))))


def pct(d, key):
    """A percentile of fio's latency dict in microseconds, or None."""
    try:
        return d["percentile"][key] / 1000
    except (KeyError, TypeError):
        return None


def symbolizer(path):
    """A function naming kernel text addresses from System.map, or None."""
    if not path:
        return None
    syms = []
    for line in open(path):
        f = line.split()
        if len(f) == 3 and f[1] in "tT":
            syms.append((int(f[0], 16), f[2]))
    syms.sort()
    keys = [a for a, _ in syms]

    def name(m):
        addr = int(m.group(0), 16)
        i = bisect.bisect_right(keys, addr) - 1
        if i < 0:
            return m.group(0)
        off = addr - keys[i]
        return syms[i][1] + (f"+{off:#x}" if off else "")
    return lambda text: re.sub(r"0xffffffff[0-9a-f]{8}", name, text)


def main():
    fs, out = sys.argv[1], sys.argv[2]
    named = symbolizer(sys.argv[3] if len(sys.argv) > 3 else None)
    runs, jsons, counts, order = {}, {}, [], []
    for line in open(f"{out}/console.txt", errors="replace"):
        f = line.rstrip("\n").split(" ", 5)
        if len(f) < 6 or f[3] != "bench:":
            continue
        kern, boot, load, rest = f[0], int(f[1]), float(f[2]), f[4] + " " + f[5]
        w = rest.split()
        if w[0] == "run" and w[2] != "count":
            v = dict(zip(w[3::2], w[4::2]))
            runs[(kern, boot, w[1], int(w[2]))] = (load, v)
            if w[1] not in order:
                order.append(w[1])
        elif w[0] == "json" and w[2] != "count":
            try:
                jsons[(kern, boot, w[1], int(w[2]))] = json.loads(rest.split(" ", 3)[3])
            except (ValueError, IndexError):
                pass  # a kernel message inside the line: no latencies
        elif w[0] == "count":
            c = f"{kern} boot {boot} {w[1].rstrip(':')}: {' '.join(w[2:])}"
            counts.append(named(c) if named else c)

    rows = []
    for (kern, boot, wl, i), (load, v) in sorted(runs.items()):
        j = jsons.get((kern, boot, wl, i))
        job = j["jobs"][0] if j and j.get("jobs") else {}
        wr, sy = job.get("write", {}), job.get("sync", {})
        mib = wr.get("io_kbytes", 0) / 1024
        rows.append(dict(
            fs=fs, kernel=kern, boot=boot, workload=wl, run=i, kept=int(i > 1),
            ms=int(v["upms"]), MiB=round(mib, 3), wreq=int(v["wreq"]), wsect=int(v["wsect"]),
            wmerge=int(v["wmerge"]), flush=int(v["flush"]),
            sync_p50_us=pct(sy.get("lat_ns"), "50.000000"),
            sync_p99_us=pct(sy.get("lat_ns"), "99.000000"),
            sync_max_us=(sy.get("lat_ns", {}).get("max", 0) / 1000) if sy.get("lat_ns") else None,
            write_p99_us=pct(wr.get("clat_ns"), "99.000000"),
            hostload=load))
    cols = list(rows[0].keys()) if rows else []
    with open(f"{out}/runs.tsv", "w") as t:
        t.write("\t".join(cols) + "\n")
        for r in rows:
            t.write("\t".join("" if r[c] is None else str(r[c]) for c in cols) + "\n")
    with open(f"{out}/counts.txt", "w") as c:
        c.write("\n".join(counts) + ("\n" if counts else ""))

    lines = []
    p = lines.append
    try:
        lines.extend(open(f"{out}/about.txt").read().splitlines())
    except OSError:
        pass
    kept = [r for r in rows if r["kept"]]
    loads = sorted(r["hostload"] for r in kept) or [0]
    p(f"{fs}: {len(kept)} kept runs (the first run of each workload in a boot dropped); "
      f"host load at boot {loads[0]:.2f}-{loads[-1]:.2f}")
    verdicts = []
    for wl in order:
        p("")
        p(f"== {wl}")
        p(f"{'kernel':9} {'runs':>4} | {'ms med':>8} {'min-max':>15} {'spread':>6} | "
          f"{'req/MiB med':>11} {'min-max':>13} | {'sect/MiB':>8} | {'sync p50/p99 us':>17} | {'write p99 us':>12}")
        med = {}
        for k in KERNELS:
            rs = [r for r in kept if r["kernel"] == k and r["workload"] == wl and r["MiB"] > 0]
            if not rs:
                continue
            ms = [r["ms"] for r in rs]
            rq = [r["wreq"] / r["MiB"] for r in rs]
            se = [r["wsect"] / r["MiB"] for r in rs]
            s50 = [r["sync_p50_us"] for r in rs if r["sync_p50_us"] is not None]
            s99 = [r["sync_p99_us"] for r in rs if r["sync_p99_us"] is not None]
            w99 = [r["write_p99_us"] for r in rs if r["write_p99_us"] is not None]
            med[k] = dict(ms=ms, rq=rq, msm=st.median(ms), rqm=st.median(rq),
                          s99=st.median(s99) if s99 else None)
            sync = f"{st.median(s50):8.0f}/{st.median(s99):<8.0f}" if s50 and s99 else f"{'-':>17}"
            w = f"{st.median(w99):12.0f}" if w99 else f"{'-':>12}"
            p(f"{k:9} {len(rs):4} | {st.median(ms):8.0f} {min(ms):7.0f}-{max(ms):<7.0f} "
              f"{(max(ms) - min(ms)) / st.median(ms):6.1%} | {st.median(rq):11.3f} "
              f"{min(rq):6.3f}-{max(rq):<6.3f} | {st.median(se):8.1f} | {sync} | {w}")
        if len(med) != 2:
            p("(needs both kernels)")
            continue
        a, b = med["pristine"], med["patched"]
        u, pv = mann_whitney(b["ms"], a["ms"])
        line = (f"patched/pristine: elapsed {b['msm'] / a['msm']:.3f}, requests/MiB "
                f"{b['rqm'] / a['rqm']:.3f}")
        if a["s99"] and b["s99"]:
            line += f", sync p99 {b['s99'] / a['s99']:.3f}"
        p(line)
        p(f"Mann-Whitney U on elapsed: U={u:.0f} (n={len(b['ms'])},{len(a['ms'])}), two-sided p={pv:.3f}")
        rq_ok = b["rqm"] <= max(max(a["rq"]), a["rqm"] * 1.05)
        slow = pv < 0.05 and b["msm"] > a["msm"]
        few = min(len(a["ms"]), len(b["ms"])) < 18
        v = (f"{wl}: requests/MiB {'OK' if rq_ok else 'MISS'} "
             f"(patched median {b['rqm']:.3f}, pristine max {max(a['rq']):.3f}, +5 % {a['rqm'] * 1.05:.3f}); "
             f"elapsed {'MISS (slower, p<0.05)' if slow else 'OK'}"
             f"{' (fewer than 18 runs per kernel: not the target test)' if few else ''}")
        p(v)
        verdicts.append(v)
    if counts:
        p("")
        p("== plug callbacks and punted bios (the counted runs)")
        lines.extend(counts)
    p("")
    p("== verdicts")
    lines.extend(verdicts)

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(2, len(order), figsize=(3 * len(order) + 1, 6), squeeze=False)
        for c, wl in enumerate(order):
            for r, (key, label) in enumerate((("ms", "elapsed ms"), ("rq", "write requests / MiB"))):
                ax = axes[r][c]
                top = 0
                for x, k in enumerate(KERNELS):
                    rs = [q for q in kept if q["kernel"] == k and q["workload"] == wl and q["MiB"] > 0]
                    ys = [q["ms"] if key == "ms" else q["wreq"] / q["MiB"] for q in rs]
                    if ys:
                        top = max(top, max(ys))
                        ax.scatter([x + (i % 7 - 3) * 0.03 for i in range(len(ys))], ys, s=10,
                                   color=("tab:blue", "tab:orange")[x])
                        ax.hlines(st.median(ys), x - 0.3, x + 0.3, color="black")
                ax.set_xticks([0, 1], KERNELS)
                ax.set_xlim(-0.6, 1.6)
                # From 0, with room above: equal values sit inside the frame.
                ax.set_ylim(0, top * 1.1 if top > 0 else 1)
                if r == 0:
                    ax.set_title(wl)
                if c == 0:
                    ax.set_ylabel(label)
        fig.suptitle(f"{fs}: every kept run, median as a bar")
        fig.tight_layout()
        fig.savefig(f"{out}/{fs}.png", dpi=80)
        p(f"plot: {out}/{fs}.png")
    except ImportError:
        p("plot: left out (no matplotlib: apt-get install python3-matplotlib)")

    text = "\n".join(lines) + "\n"
    open(f"{out}/summary.txt", "w").write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
