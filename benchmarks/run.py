#!/usr/bin/env python3
"""Runs the benchmark scenarios against our gateway and the Node peer, in alternating rounds, and writes
docs/benchmarks.md.

    python3 benchmarks/run.py --quick          # a few minutes, small sizes
    python3 benchmarks/run.py --full           # every size of the scenarios

Each server is pinned to core 1 (taskset; the JVM also gets -XX:ActiveProcessorCount=1); the load generator and
Redis share core 0. Server CPU time comes from /proc/<pid>/stat, read around the measured phase, which the load
generator marks with MEASURE_START / MEASURE_END.
"""
import argparse, json, os, platform, signal, socket, statistics, subprocess, sys, tempfile, time

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
    try:
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
    write_report(results, args, " ".join(sys.argv))


def write_report(results, args, command):
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
    lines += ["", "Raw results (one JSON line per run):", "", "```"] + [json.dumps(r) for r in results] + ["```", ""]
    with open(args.out, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
