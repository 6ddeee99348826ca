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


def run_loadgen(scenario, port, redis_url, server_pid, connections, rate, messages, warmup, hosts=4):
    cmd = ["taskset", "-c", "0", "java", "-Xmx2g", "-jar", LOADGEN, scenario,
           "--url", f"ws://127.0.0.1:{port}", "--connections", str(connections), "--rate", str(rate),
           "--messages", str(messages), "--warmup", str(warmup), "--redis", redis_url, "--secret", SECRET,
           "--hosts", str(hosts), "--room", f"bench-{port}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    cpu_start = cpu_end = None
    result = None
    for line in proc.stdout:
        line = line.strip()
        if line == "MEASURE_START":
            cpu_start = cpu_seconds(server_pid)
        elif line == "MEASURE_END":
            cpu_end = cpu_seconds(server_pid)
        elif line.startswith("{"):
            result = json.loads(line)
    proc.wait()
    if result is None:
        raise RuntimeError("the load generator printed no result")
    result["server_cpu_s"] = (cpu_end or cpu_start) - cpu_start
    result["deliveries_per_cpu_s"] = result["deliveries"] / max(result["server_cpu_s"], 1e-9)
    return result


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
        server.send_signal(signal.SIGKILL)
        server.wait()


def slope(points):
    """Least-squares slope of (x, y) points: KB per connection."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else (ys[0] / xs[0] if xs[0] else 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--quick", action="store_true", help="the default: small sizes, a few minutes")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default=os.path.join(ROOT, "docs/benchmarks.md"))
    args = parser.parse_args()
    sizes = [1000, 5000, 10000] if args.full else [1000]
    rates = [20, 50, 100] if args.full else [20, 50]
    messages_for = lambda rate: rate * (10 if args.full else 5)

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
    idle = []
    try:
        for n in ([1000, 5000, 10000, 19000] if args.full else [1000, 5000]):
            for kind in ("ours", "peer"):
                r = idle_hold(kind, n, redis_url, logdir)
                idle.append(r)
                print(json.dumps(r), flush=True)
        for n in sizes:
            for rate in rates:
                for round_no in range(args.rounds):
                    for kind in ("ours", "peer"):
                        port = free_port()
                        server = start_server(kind, port, redis_url, logdir)
                        try:
                            r = run_loadgen("fanout", port, redis_url, server.pid, n, rate, messages_for(rate),
                                            warmup=rate * 2)
                        finally:
                            server.send_signal(signal.SIGKILL)
                            server.wait()
                        r.update(server=kind, round=round_no, subscribers=n, rate=rate)
                        results.append(r)
                        print(json.dumps(r), flush=True)
    finally:
        redis.kill()
    write_report(results, idle, args, " ".join(sys.argv))


def write_report(results, idle, args, command):
    def group(kind, n, rate):
        return [r for r in results if r["server"] == kind and r["subscribers"] == n and r["rate"] == rate]

    def med(rows, key):
        values = [r[key] for r in rows]
        return statistics.median(values), min(values), max(values)

    lines = ["# Benchmarks", "",
             f"Generated by `python3 benchmarks/run.py {'--full' if args.full else '--quick'}` "
             f"({args.rounds} rounds, servers alternating) on {time.strftime('%Y-%m-%d')}.", "",
             f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
             f"{platform.system()} {platform.release()}; "
             f"{subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]}; "
             f"node {subprocess.run(['node', '-v'], capture_output=True, text=True).stdout.strip()}. "
             "Each server pinned to one core (taskset -c 1; JVM -XX:ActiveProcessorCount=1); the load generator "
             "and Redis on the other core.", "",
             "## (b) Room fan-out through Redis", "",
             "One publisher sends to one room of N subscribers at a fixed rate; latency is measured from the "
             "intended send time. Medians over the rounds, with [min-max].", "",
             "| N | msgs/s | server | deliveries/s | p50 ms | p99 ms | p99.9 ms | deliveries per server CPU-s | lost |",
             "|---|---|---|---|---|---|---|---|---|"]
    ratios = []
    for n in sorted({r["subscribers"] for r in results}):
        for rate in sorted({r["rate"] for r in results}):
            per = {}
            for kind in ("ours", "peer"):
                rows = group(kind, n, rate)
                if not rows:
                    continue
                d = med(rows, "deliveries_per_s")
                p50, p99, p999 = med(rows, "p50_ms"), med(rows, "p99_ms"), med(rows, "p999_ms")
                cpu = med(rows, "deliveries_per_cpu_s")
                lost = sum(r["lost"] for r in rows)
                per[kind] = cpu[0]
                lines.append(f"| {n} | {rate} | {kind} | {d[0]:,.0f} | {p50[0]:.2f} [{p50[1]:.2f}-{p50[2]:.2f}] | "
                             f"{p99[0]:.2f} [{p99[1]:.2f}-{p99[2]:.2f}] | {p999[0]:.2f} | "
                             f"{cpu[0]:,.0f} [{cpu[1]:,.0f}-{cpu[2]:,.0f}] | {lost} |")
            if "ours" in per and "peer" in per:
                ratios.append((n, rate, per["ours"] / per["peer"]))
    lines += ["", "Ratio ours/peer of deliveries per server CPU-second (goal: at least 1.5):", ""]
    lines += [f"- N={n}, {rate} msgs/s: **{ratio:.2f}x**" for n, rate, ratio in ratios]
    lines += ["", "## (a) Idle hold", "",
              "N authenticated idle connections on one instance; the server's memory minus the same server with "
              "none. Heap is measured after a forced GC (jcmd); RSS from /proc. Per connection = the slope of a "
              "least-squares line over the sizes.", "",
              "| server | N | heap KB | RSS KB | connected |", "|---|---|---|---|---|"]
    for r in idle:
        heap = "-" if r["heap_kb"] is None else f"{r['heap_kb']:,}"
        lines.append(f"| {r['server']} | {r['connections']:,} | {heap} | {r['rss_kb']:,} | {r['greeted']:,} |")
    for kind in ("ours", "peer"):
        rows = [r for r in idle if r["server"] == kind]
        if len(rows) >= 2:
            rss = slope([(r["connections"], r["rss_kb"]) for r in rows])
            text = f"- {kind}: RSS {rss:.1f} KB per connection"
            if kind == "ours" and all(r["heap_kb"] is not None for r in rows):
                text += f", heap {slope([(r['connections'], r['heap_kb']) for r in rows]):.1f} KB per connection " \
                        "(goal: at most 6 KB)"
            lines.append(text)
    lines += ["", "Raw results (one JSON line per run):", "", "```"] + [json.dumps(r) for r in results + idle] \
        + ["```", ""]
    with open(args.out, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
