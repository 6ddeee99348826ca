#!/usr/bin/env python3
"""Runs the benchmark scenarios against our gateway and the Node peer, in alternating rounds, and writes
docs/benchmarks.md.

    python3 benchmarks/run.py --quick          # a few minutes, small sizes
    python3 benchmarks/run.py --full           # every size of the scenarios

Each server is pinned to core 1 (taskset; the JVM also gets -XX:ActiveProcessorCount=1); the load generator and
Redis share core 0. Server CPU time comes from /proc/<pid>/stat, read around the measured phase, which the load
generator marks with MEASURE_START / MEASURE_END.
"""
import argparse, json, os, re, platform, signal, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(ROOT, "realtime-launcher/target/realtime-launcher.jar")
LOADGEN = os.path.join(ROOT, "benchmarks/loadgen/target/realtime-loadgen.jar")
PEER = os.path.join(ROOT, "benchmarks/peer-node")
SECRET = "benchmark-secret-that-is-long-enough-for-hs256"
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def wait_for(proc, log, text, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {open(log).read()[-2000:]}")
        if text in open(log).read():
            return
        time.sleep(0.05)
    raise RuntimeError(f"server not ready: {open(log).read()[-2000:]}")


def start_server(kind, port, redis_url, logdir):
    log = os.path.join(logdir, f"{kind}-{port}.log")
    env = dict(os.environ, PORT=str(port), HOST="0.0.0.0", REDIS_URL=redis_url, JWT_SECRET_KEY=SECRET,
               MAX_CONNECTIONS_PER_USER="100000", IDLE_TIMEOUT="600s", HEARTBEAT_INTERVAL="300s")
    if kind == "ours":
        cmd = ["taskset", "-c", "1", "java", "-XX:ActiveProcessorCount=1", "-Xms1g", "-Xmx4g",
               "-jar", LAUNCHER]
        ready = "Listening on"
    else:
        cmd = ["taskset", "-c", "1", "node", "server.js"]
        ready = "peer listening"
    proc = subprocess.Popen(cmd, cwd=PEER if kind == "peer" else ROOT, env=env,
                            stdout=open(log, "w"), stderr=subprocess.STDOUT)
    wait_for(proc, log, ready)
    return proc


def run_loadgen(scenario, url, redis_url, server_pids, extra, hosts=4):
    """Runs one load generator scenario; server CPU seconds are summed over server_pids during the measured phase
    (MEASURE_START..MEASURE_END, or the whole run when the scenario prints no markers)."""
    cmd = ["taskset", "-c", "0", "java", "-Xmx3g", "-jar", LOADGEN, scenario, "--url", url, "--redis", redis_url,
           "--secret", SECRET, "--hosts", str(hosts)] + [str(x) for x in extra]
    cpu = lambda: sum(cpu_seconds(pid) for pid in server_pids)
    cpu_start = cpu()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    cpu_end = None
    result = None
    for line in proc.stdout:
        line = line.strip()
        if line == "MEASURE_START":
            cpu_start = cpu()
        elif line == "MEASURE_END":
            cpu_end = cpu()
        elif line.startswith("{"):
            result = json.loads(line)
            cpu_end = cpu_end if cpu_end is not None else cpu()
    proc.wait()
    if result is None:
        raise RuntimeError(f"the load generator printed no result: {' '.join(cmd)}")
    result["server_cpu_s"] = (cpu_end if cpu_end is not None else cpu()) - cpu_start
    return result


def fanout(kind, n, rate, messages, redis_url, logdir):
    """Scenario (b): one room of n subscribers on one instance, one publisher at a fixed rate."""
    port = free_port()
    server = start_server(kind, port, redis_url, logdir)
    try:
        r = run_loadgen("fanout", f"ws://127.0.0.1:{port}", redis_url, [server.pid],
                        ["--connections", n, "--rate", rate, "--messages", messages, "--warmup", rate,
                         "--room", f"bench-{port}"])
    finally:
        stop(server)
    r["deliveries_per_cpu_s"] = r["deliveries"] / max(r["server_cpu_s"], 1e-9)
    return r


def notify(kind, users, rate, messages, redis_url, logdir):
    """Scenario (c): two instances on one Redis (both pinned to the server core), users spread over both, each
    notification to a random user."""
    ports = [free_port(), free_port()]
    servers = [start_server(kind, port, redis_url, logdir) for port in ports]
    try:
        r = run_loadgen("notify", ",".join(f"ws://127.0.0.1:{p}" for p in ports), redis_url,
                        [s.pid for s in servers],
                        ["--connections", users, "--rate", rate, "--messages", messages, "--warmup", rate])
    finally:
        for s in servers:
            stop(s)
    return r


def storm(kind, rate, seconds, warmup, redis_url, logdir):
    """Scenario (d): new authenticated connections at a fixed rate on a fresh instance."""
    port = free_port()
    server = start_server(kind, port, redis_url, logdir)
    try:
        r = run_loadgen("storm", f"ws://127.0.0.1:{port}", redis_url, [server.pid],
                        ["--rate", rate, "--seconds", seconds, "--warmup", warmup], hosts=8)
    finally:
        stop(server)
    r["connects_per_cpu_s"] = r["connected"] / max(r["server_cpu_s"], 1e-9)
    return r


def stop(server):
    server.send_signal(signal.SIGKILL)
    server.wait()


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def java_heap_after_gc_kb(pid):
    """Used heap after a full GC: the sum over the heap's generations (Serial, Parallel) or G1's one line."""
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True)
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True).stdout
    used = 0
    found = False
    for line in out.splitlines():
        text = line.strip()
        if (text.endswith(")") or "[" in text) and ("generation" in text or text.startswith("garbage-first heap")
                                                   or text.startswith("PSYoungGen") or text.startswith("ParOldGen")):
            match = re.search(r"used (\d+)K", text)
            if match:
                used += int(match.group(1))
                found = True
    return used if found else -1


def idle_hold(kind, n, redis_url, logdir):
    """Scenario (a): server memory with n idle authenticated connections, minus the same server with none."""
    port = free_port()
    server = start_server(kind, port, redis_url, logdir)
    try:
        time.sleep(1)
        base_heap = java_heap_after_gc_kb(server.pid) if kind == "ours" else -1
        base_rss = rss_kb(server.pid)
        per_process = 9_000
        holders = []
        for start in range(0, n, per_process):
            count = min(per_process, n - start)
            holders.append(subprocess.Popen(
                ["taskset", "-c", "0", "java", "-Xmx3g", "-jar", LOADGEN, "hold", "--url", f"ws://127.0.0.1:{port}",
                 "--connections", str(count), "--hosts", "8", "--first-user", str(start), "--secret", SECRET],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True))
        greeted = 0
        for h in holders:
            line = h.stdout.readline().split()
            greeted += int(line[1]) if len(line) > 1 and line[0] == "READY" else 0
        time.sleep(1)
        heap = java_heap_after_gc_kb(server.pid) if kind == "ours" else -1
        rss = rss_kb(server.pid)
        for h in holders:
            h.stdin.close()
            h.wait()
        return {"scenario": "idle", "server": kind, "connections": n, "greeted": greeted,
                "heap_kb": heap - base_heap if heap >= 0 and base_heap >= 0 else None, "rss_kb": rss - base_rss}
    finally:
        stop(server)


def slope(points):
    """Least-squares slope of (x, y) points: KB per connection."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else (ys[0] / xs[0] if xs[0] else 0)


QUICK = dict(idle=[1000, 3000], fanout=[(1000, 50)], fanout_seconds=3,
             notify_users=1000, notify=[5000], notify_seconds=2, storm=[5000], storm_seconds=1, storm_warmup=1000)
# Fan-out rates per room size keep the offered load (N x rate deliveries/s) at 20k, 50k and 100k per second.
FULL = dict(idle=[1000, 5000, 10000, 19000],
            fanout=[(1000, 20), (1000, 50), (1000, 100), (5000, 4), (5000, 10), (5000, 20),
                    (10000, 2), (10000, 5), (10000, 10)], fanout_seconds=10,
            notify_users=10000, notify=[1000, 5000], notify_seconds=10,
            storm=[1000, 2500, 5000, 7500, 10000], storm_seconds=1.5, storm_warmup=3000)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--quick", action="store_true", help="the default: small sizes, under 3 minutes")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="a,b,c,d", help="scenarios to run, e.g. b,c")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs/benchmarks.md"))
    args = parser.parse_args()
    plan = FULL if args.full else QUICK
    only = set(args.only.split(","))

    for jar in (LAUNCHER, LOADGEN):
        if not os.path.exists(jar):
            subprocess.run(["./mvnw", "-q", "-DskipTests", "package"], cwd=ROOT, check=True)
    if not os.path.isdir(os.path.join(PEER, "node_modules")):
        subprocess.run(["npm", "ci", "--silent"], cwd=PEER, check=True)

    logdir = tempfile.mkdtemp(prefix="bench-")
    redis_port = free_port()
    redis = subprocess.Popen(["taskset", "-c", "0", "redis-server", "--port", str(redis_port), "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    redis_url = f"redis://127.0.0.1:{redis_port}"
    results = []

    def record(r, **tags):
        r.update(tags)
        results.append(r)
        print(json.dumps(r), flush=True)

    started = time.time()
    try:
        if "a" in only:
            for n in plan["idle"]:
                for kind in ("ours", "peer"):
                    record(idle_hold(kind, n, redis_url, logdir), server=kind)
        if "b" in only:
            for n, rate in plan["fanout"]:
                for round_no in range(args.rounds):
                    for kind in ("ours", "peer"):
                        record(fanout(kind, n, rate, int(rate * plan["fanout_seconds"]), redis_url, logdir),
                               server=kind, round=round_no, subscribers=n, rate=rate)
        if "c" in only:
            for rate in plan["notify"]:
                for round_no in range(args.rounds):
                    for kind in ("ours", "peer"):
                        record(notify(kind, plan["notify_users"], rate, int(rate * plan["notify_seconds"]),
                                      redis_url, logdir), server=kind, round=round_no, rate=rate)
        if "d" in only:
            for round_no in range(args.rounds):
                for kind in ("ours", "peer"):
                    for rate in plan["storm"]:
                        r = storm(kind, rate, plan["storm_seconds"], plan["storm_warmup"], redis_url, logdir)
                        record(r, server=kind, round=round_no)
                        if r["failures"] > 0:
                            break  # errors appeared: the storm stops escalating for this server
    finally:
        redis.kill()
    command = "python3 benchmarks/run.py " + ("--full" if args.full else "--quick") + \
        (f" --rounds {args.rounds}" if args.rounds != 3 else "") + \
        (f" --only {args.only}" if args.only != "a,b,c,d" else "")
    write_report(results, command, time.time() - started, args.out)


def med(rows, key):
    values = [r[key] for r in rows]
    return statistics.median(values), min(values), max(values)


def spread(m, fmt):
    return f"{fmt.format(m[0])} [{fmt.format(m[1])}-{fmt.format(m[2])}]"


def write_report(results, command, seconds, out):
    of = lambda scenario: [r for r in results if r["scenario"] == scenario]
    goals = []
    lines = ["# Benchmarks", "",
             f"Generated by `{command}` on {time.strftime('%Y-%m-%d')} in {seconds / 60:.1f} minutes: every "
             "scenario against our gateway and the Node peer (`benchmarks/peer-node`: ws + ioredis + jose), in "
             "alternating runs (ours, peer, ours, peer, ...).", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
             f"{platform.system()} {platform.release()}; "
             f"{subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]}; "
             f"node {subprocess.run(['node', '-v'], capture_output=True, text=True).stdout.strip()}. "
             "Every server process is pinned to core 1 (`taskset -c 1`; the JVM also gets "
             "`-XX:ActiveProcessorCount=1`); the load generator and Redis share core 0. Server CPU time comes from "
             "/proc/<pid>/stat around the measured phase. Medians over the rounds, with [min-max].", "",
             "![latency percentiles against load](benchmarks-latency.svg)", ""]
    header = len(lines)

    # (a) idle hold
    idle = of("idle")
    if idle:
        lines += ["## (a) Idle hold", "",
                  "N authenticated idle connections (notifications endpoint) on one instance; the server's memory "
                  "minus the same server with none. Heap is measured after a forced GC (`jcmd GC.run`); RSS from "
                  "/proc. Per connection = the slope of a least-squares line over the sizes.", "",
                  "| server | N | connected | heap KB | RSS KB |", "|---|---|---|---|---|"]
        for r in idle:
            heap = "-" if r["heap_kb"] is None else f"{r['heap_kb']:,}"
            lines.append(f"| {r['server']} | {r['connections']:,} | {r['greeted']:,} | {heap} | {r['rss_kb']:,} |")
        lines.append("")
        per = {}
        for kind in ("ours", "peer"):
            rows = [r for r in idle if r["server"] == kind]
            if len(rows) >= 2:
                per[kind] = slope([(r["connections"], r["rss_kb"]) for r in rows])
                text = f"- {kind}: RSS {per[kind]:.1f} KB per connection"
                if kind == "ours" and all(r["heap_kb"] is not None for r in rows):
                    heap = slope([(r["connections"], r["heap_kb"]) for r in rows])
                    text += f", heap {heap:.1f} KB per connection"
                    most = max(r["greeted"] for r in rows)
                    goals.append(("idle connections held by one JVM, heap per connection",
                                  "19,000, heap <= 6 KB", f"{most:,} held, {heap:.1f} KB heap",
                                  most >= 19000 and heap <= 6))
                lines.append(text)
        if "ours" in per and "peer" in per:
            lines.append(f"- RSS ratio ours/peer: {per['ours'] / per['peer']:.2f}x (the peer has no heap figure)")
        lines.append("")

    # (b) fan-out
    fan = of("fanout")
    if fan:
        lines += ["## (b) Room fan-out through Redis", "",
                  "One publisher sends to one room of N subscribers at a fixed rate through Redis; latency is "
                  "measured from the intended send time (a late publisher counts against the server).", "",
                  "| N | msgs/s | server | deliveries/s | p50 ms | p99 ms | p99.9 ms | deliveries per server CPU-s "
                  "| lost |", "|---|---|---|---|---|---|---|---|---|"]
        ratios = []
        for n, rate in sorted({(r["subscribers"], r["rate"]) for r in fan}):
            per = {}
            for kind in ("ours", "peer"):
                rows = [r for r in fan if r["server"] == kind and r["subscribers"] == n and r["rate"] == rate]
                if rows:
                    cpu = med(rows, "deliveries_per_cpu_s")
                    per[kind] = cpu[0]
                    lines.append(f"| {n:,} | {rate} | {kind} | {med(rows, 'deliveries_per_s')[0]:,.0f} | "
                                 f"{spread(med(rows, 'p50_ms'), '{:.2f}')} | {spread(med(rows, 'p99_ms'), '{:.2f}')} | "
                                 f"{med(rows, 'p999_ms')[0]:.2f} | {spread(cpu, '{:,.0f}')} | "
                                 f"{sum(r['lost'] for r in rows)} |")
            if len(per) == 2:
                ratios.append((n, rate, per["ours"] / per["peer"]))
        lines += ["", "Ratio ours/peer of deliveries per server CPU-second:", ""]
        lines += [f"- N={n:,}, {rate} msgs/s: **{x:.2f}x**" for n, rate, x in ratios]
        lines.append("")
        if ratios:
            worst = min(x for _, _, x in ratios)
            lost = sum(r["lost"] for r in fan if r["server"] == "ours")
            goals.append(("room fan-out deliveries per server CPU-second", ">= 1.5x the peer",
                          f"{worst:.2f}x to {max(x for _, _, x in ratios):.2f}x; {lost} lost", worst >= 1.5))

    # (c) notifications on two instances
    note = of("notify")
    if note:
        users = note[0]["connections"]
        lines += ["## (c) Per-user notifications, two instances", "",
                  f"Two instances of the same server on one Redis (both pinned to core 1), {users:,} users spread "
                  "over them, each notification published to a random user's channel at a fixed rate.", "",
                  "| msgs/s | server | p50 ms | p99 ms | p99.9 ms | max ms | delivered | lost | server CPU-s |",
                  "|---|---|---|---|---|---|---|---|---|"]
        worst = {}
        for rate in sorted({r["rate"] for r in note}):
            for kind in ("ours", "peer"):
                rows = [r for r in note if r["server"] == kind and r["rate"] == rate]
                if rows:
                    p99 = med(rows, "p99_ms")
                    worst[(kind, rate)] = p99[0]
                    lines.append(f"| {rate:,} | {kind} | {spread(med(rows, 'p50_ms'), '{:.2f}')} | "
                                 f"{spread(p99, '{:.2f}')} | {med(rows, 'p999_ms')[0]:.2f} | "
                                 f"{med(rows, 'max_ms')[0]:.2f} | {sum(r['deliveries'] for r in rows):,} | "
                                 f"{sum(r['lost'] for r in rows)} | {med(rows, 'server_cpu_s')[0]:.2f} |")
        top = max(r["rate"] for r in note)
        if ("ours", top) in worst and ("peer", top) in worst:
            lost = sum(r["lost"] for r in note if r["server"] == "ours")
            goals.append((f"publish-to-deliver p99, 2 instances, {top:,}/s", "< 5 ms",
                          f"{worst[('ours', top)]:.2f} ms ({worst[('ours', top)] / worst[('peer', top)]:.2f}x the "
                          f"peer's {worst[('peer', top)]:.2f} ms); {lost} lost",
                          worst[("ours", top)] < 5 and lost == 0))
        lines.append("")

    # (d) storm
    st = of("storm")
    if st:
        lines += ["## (d) Connection storm", "",
                  "New clients at a fixed rate on a fresh instance, each with its own JWT (HS256) and user; a "
                  "connect counts when the `connected` frame arrives (HTTP upgrade, JWT verification, Redis "
                  "subscription). Each server's rates go up until errors appear. The clients are raw NIO sockets "
                  "on one selector thread, so the generator is not the bottleneck.", "",
                  "| target/s | server | connected/s | errors | p50 ms | p99 ms | connects per server CPU-s |",
                  "|---|---|---|---|---|---|---|"]
        best = {}
        for rate in sorted({r["rate"] for r in st}):
            for kind in ("ours", "peer"):
                rows = [r for r in st if r["server"] == kind and r["rate"] == rate]
                if rows:
                    errors = sum(r["failures"] for r in rows)
                    got = med(rows, "connects_per_s")
                    lines.append(f"| {rate:,} | {kind} | {spread(got, '{:,.0f}')} | {errors} | "
                                 f"{spread(med(rows, 'p50_ms'), '{:.1f}')} | {spread(med(rows, 'p99_ms'), '{:.1f}')} | "
                                 f"{med(rows, 'connects_per_cpu_s')[0]:,.0f} |")
                    if errors == 0:
                        best[kind] = max(best.get(kind, 0), got[0])
        lines.append("")
        if "ours" in best:
            ratio = f" ({best['ours'] / best['peer']:.2f}x the peer's {best['peer']:,.0f})" if best.get("peer") else ""
            goals.append(("connection storm with HS256", ">= 5,000 connects/s with 0 errors",
                          f"{best['ours']:,.0f} connects/s with 0 errors{ratio}", best["ours"] >= 5000))

    lines[header:header] = ["## Goals", "", "| metric | goal | measured | |", "|---|---|---|---|"] + \
        [f"| {m} | {g} | {v} | {'met' if ok else '**missed**'} |" for m, g, v, ok in goals] + [""]
    lines += ["## Raw results", "", "One JSON line per run:", "", "```"] + [json.dumps(r) for r in results] + ["```", ""]
    with open(out, "w") as f:
        f.write("\n".join(lines))
    write_plot(results, os.path.join(os.path.dirname(out), "benchmarks-latency.svg"))
    print(f"wrote {out}")


def write_plot(results, path):
    panels = []
    note = [r for r in results if r["scenario"] == "notify"]
    if note:
        panels.append(dict(title="(c) notifications, 2 instances", xlabel="notifications/s",
                           series=_series(note, lambda r: r["rate"])))
    fan = [r for r in results if r["scenario"] == "fanout"]
    if fan:
        panels.append(dict(title="(b) room fan-out", xlabel="offered deliveries/s (N x msgs/s)",
                           series=_series(fan, lambda r: r["subscribers"] * r["rate"])))
    st = [r for r in results if r["scenario"] == "storm"]
    if st:
        panels.append(dict(title="(d) connection storm: connect latency", xlabel="target connects/s",
                           series=_series(st, lambda r: r["rate"], ("p50", "p99"))))
    if panels:
        plot.write_svg(panels, path)


def _series(rows, load, percentiles=("p50", "p99", "p99.9")):
    keys = {"p50": "p50_ms", "p99": "p99_ms", "p99.9": "p999_ms"}
    out = []
    for kind in ("ours", "peer"):
        for pct in percentiles:
            by_load = {}
            for r in rows:
                if r["server"] == kind:
                    by_load.setdefault(load(r), []).append(r[keys[pct]])
            out.append(dict(server=kind, percentile=pct,
                            points=[(x, statistics.median(v)) for x, v in sorted(by_load.items())]))
    return out


if __name__ == "__main__":
    main()
