#!/usr/bin/env python3
"""Runs the benchmark scenarios against our gateway and the Node peer, in alternating rounds, and writes
docs/benchmarks.md (and docs/benchmarks-latency.svg beside it). Scenario (e), the publish path with notification
history on and off, runs against ours only: the peer has no history.

    python3 benchmarks/run.py --quick          # a few minutes, small sizes
    python3 benchmarks/run.py --full           # every size of the scenarios

Each server is pinned to core 1 (taskset; the JVM also gets -XX:ActiveProcessorCount=1); the load generator and
Redis share core 0, Redis at a real-time priority (chrt -f 10). Server CPU time comes from /proc/<pid>/stat, read
around the measured phase, which the load generator marks with MEASURE_START / MEASURE_END.
"""
import argparse, json, os, re, platform, signal, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot  # noqa: E402
import cluster  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(ROOT, "realtime-launcher/target/realtime-launcher.jar")
OURS = os.path.join(ROOT, "bin/realtime")  # runs LAUNCHER (or $REALTIME_JAR) as an operator would
LOADGEN = os.path.join(ROOT, "benchmarks/loadgen/target/realtime-loadgen.jar")
PEER = os.path.join(ROOT, "benchmarks/peer-node")
SECRET = "benchmark-secret-that-is-long-enough-for-hs256"
API_KEY = "benchmark-publish-api-key-0123456789"  # REALTIME_API_KEY for scenario (e)
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


def redis_priority():
    """Redis shares core 0 with the load generator. At the normal priority the scheduler took the core from Redis in
    the middle of commands: Redis's SLOWLOG showed a ZADD, a ZSCORE and short scripts taking 12 to 18 ms in (c), a
    pause in every delivery of both servers. In a deployment Redis has its own machine; here it gets a real-time
    priority (SCHED_FIFO 10, above every other process of the run), so that it runs whenever it has work, and the
    load generator takes what is left of the core. Without the privilege (chrt fails) Redis runs as before."""
    try:
        subprocess.run(["chrt", "-f", "10", "true"], check=True, capture_output=True)
        return ["chrt", "-f", "10"]
    except (OSError, subprocess.CalledProcessError):
        print("warning: Redis runs at the normal priority (chrt -f needs CAP_SYS_NICE)", file=sys.stderr)
        return []


def start_server(kind, port, redis_url, logdir, settings=None):
    log = os.path.join(logdir, f"{kind}-{port}.log")
    env = dict(os.environ, PORT=str(port), HOST="0.0.0.0", REDIS_URL=redis_url, JWT_SECRET_KEY=SECRET,
               MAX_CONNECTIONS_PER_USER="100000", IDLE_TIMEOUT="600s", HEARTBEAT_INTERVAL="300s", **(settings or {}))
    if kind == "ours":  # the documented command, with its JVM defaults (or JAVA_OPTS when set), given one CPU
        env["JAVA_TOOL_OPTIONS"] = (env.get("JAVA_TOOL_OPTIONS", "") + " -XX:ActiveProcessorCount=1").strip()
        if os.environ.get("BENCH_JFR"):  # a directory: record with JFR, dumped there by stop() (for profiling)
            env["JAVA_TOOL_OPTIONS"] += " -XX:StartFlightRecording=settings=profile"
        cmd = ["taskset", "-c", "1", OURS]
        ready = "Listening on"
    else:
        cmd = ["taskset", "-c", "1", "node", "server.js"]
        ready = "peer listening"
    proc = subprocess.Popen(cmd, cwd=PEER if kind == "peer" else ROOT, env=env,
                            stdout=open(log, "w"), stderr=subprocess.STDOUT)
    proc.kind, proc.port = kind, port
    wait_for(proc, log, ready)
    return proc


# The load generator's JVM. Pinned to one core, the JVM picks the Serial collector with a small young generation, and
# its young pauses grew to 400-970 ms in (c) as the 10,000 clients' state (about 600 MB) filled the old generation;
# one inside the measured phase was the 600-850 ms "stall" of earlier full runs, charged to the server. Now the young
# generation (2 GB) outlasts any measured phase, and the load generator collects just before it (LoadGen.measureStart).
LOADGEN_JVM = ["java", "-XX:+UseSerialGC", "-Xms4g", "-Xmx4g", "-Xmn2g"]


def run_loadgen(scenario, url, redis_url, server_pids, extra, hosts=4, core=0, redis_pid=None, strace=False):
    """Runs one load generator scenario (pinned to `core`); server CPU seconds are summed over server_pids during the
    measured phase (MEASURE_START..MEASURE_END, or the whole run when the scenario prints no markers), and Redis's
    over the same phase when redis_pid is given."""
    cmd = ["taskset", "-c", str(core)] + LOADGEN_JVM + ["-jar", LOADGEN, scenario, "--url", url, "--redis",
           redis_url, "--secret", SECRET, "--hosts", str(hosts)] + [str(x) for x in extra]
    redis_pids = redis_pid if isinstance(redis_pid, list) else [redis_pid]  # one Redis, or a cluster's masters
    pids = [("server_cpu_s", list(server_pids))] + ([("redis_cpu_s", redis_pids)] if redis_pid else [])
    cpu = lambda: {key: sum(cpu_seconds(pid) for pid in group) for key, group in pids}
    cpu_start = cpu()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    pids.append(("loadgen_cpu_s", [proc.pid]))  # taskset execs the JVM: the same process
    cpu_start["loadgen_cpu_s"] = cpu_seconds(proc.pid)
    cpu_end = None
    result = None
    tracer = syscalls = None
    for line in proc.stdout:
        line = line.strip()
        if line == "MEASURE_START":
            tracer = Strace(server_pids[0]) if strace else None
            cpu_start = cpu()
        elif line == "MEASURE_END":
            cpu_end = cpu()
            syscalls = tracer.stop() if tracer else None
        elif line.startswith("{"):
            result = json.loads(line)
            cpu_end = cpu_end if cpu_end is not None else cpu()
    proc.wait()
    if result is None:
        raise RuntimeError(f"the load generator printed no result: {' '.join(cmd)}")
    cpu_end = cpu_end if cpu_end is not None else cpu()
    for key, _ in pids:
        result[key] = cpu_end[key] - cpu_start[key]
    if tracer:
        result["syscalls"] = syscalls
        writes = sum(syscalls.get(name, 0) for name in ("write", "writev", "sendmsg", "sendto"))
        result["writes_per_delivery"] = writes / max(result.get("deliveries", 0), 1)
    return result


class Strace:
    """`strace -c -f -p <pid>` over the measured phase: system calls by name. Tracing slows the server down, so a
    traced run's CPU and latency figures are not comparable with an untraced one's (run.py --strace)."""

    def __init__(self, pid):
        self.out = tempfile.mktemp(prefix="strace-")
        self.proc = subprocess.Popen(["strace", "-c", "-f", "-q", "-o", self.out, "-p", str(pid)],
                                     stderr=subprocess.DEVNULL)
        time.sleep(0.5)  # attached to every thread before the measured publications leave

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait()
        calls = {}
        for line in open(self.out):
            parts = line.split()
            if len(parts) >= 5 and parts[0][0].isdigit() and parts[-1] != "total":
                calls[parts[-1]] = int(parts[3])
        os.remove(self.out)
        return calls


def fanout(kind, n, rate, messages, redis_url, logdir, burst=1, strace=False):
    """Scenario (b): one room of n subscribers on one instance, one publisher at a fixed rate. Scenario (f) with
    burst > 1: the publications leave in bursts of that many back to back, at the same average rate."""
    port = free_port()
    server = start_server(kind, port, redis_url, logdir)
    try:
        r = run_loadgen("burst" if burst > 1 else "fanout", f"ws://127.0.0.1:{port}", redis_url, [server.pid],
                        ["--connections", n, "--rate", rate, "--messages", messages, "--warmup", rate,
                         "--room", f"bench-{port}"] + (["--burst", burst] if burst > 1 else []), strace=strace)
    finally:
        stop(server)
    r["deliveries_per_cpu_s"] = r["deliveries"] / max(r["server_cpu_s"], 1e-9)
    return r


# (c) warms up for this many seconds at the measured rate before the measured phase, for both servers alike: a JVM on
# one core is still compiling the notification path 1 s after its 10,000 connects (its C2 compiler thread was most of
# the CPU per notification then), and the goal is the steady-state cost of a notification, not the JIT's.
NOTIFY_WARMUP_SECONDS = 5


def notify(kind, users, rate, messages, redis_url, logdir, redis_pid=None):
    """Scenario (c): two instances on one Redis (both pinned to the server core), users spread over both, each
    notification to a random user, after NOTIFY_WARMUP_SECONDS of the same load."""
    ports = [free_port(), free_port()]
    servers = [start_server(kind, port, redis_url, logdir) for port in ports]
    try:
        r = run_loadgen("notify", ",".join(f"ws://127.0.0.1:{p}" for p in ports), redis_url,
                        [s.pid for s in servers],
                        ["--connections", users, "--rate", rate, "--messages", messages,
                         "--warmup", rate * NOTIFY_WARMUP_SECONDS], redis_pid=redis_pid)
    finally:
        for s in servers:
            stop(s)
    r["cpu_us_per_delivery"] = r["server_cpu_s"] / max(r["deliveries"], 1) * 1e6  # both instances' CPU
    return r


def wait_quiet(pid, busy=0.05, window=1.0, timeout=60):
    """Waits until the process used less than `busy` of a core over `window` seconds (its JIT compilers done, the
    last connections released), or the timeout."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        before = cpu_seconds(pid)
        time.sleep(window)
        if cpu_seconds(pid) - before < busy * window:
            return
    print(f"warning: process {pid} still busy after {timeout} s", file=sys.stderr)


def storms(kind, rates, seconds, warm, redis_url, logdir):
    """Scenario (d) for one server: a fresh instance is warmed by `warm` = (storms, connects, rate) warm-up storms,
    each closed and followed by a quiet server, then gets each rate in turn (every storm's clients closed and the
    server quiet before the next) until errors appear. Returns the warm-up storms' results, then the measured ones;
    the first warm-up storm is the fresh JVM's ("cold")."""
    port = free_port()
    server = start_server(kind, port, redis_url, logdir)
    results, first = [], 0
    try:
        storms_count, connects, warm_rate = warm
        plan = [("warm", warm_rate, connects / warm_rate)] * storms_count + [("measured", r, seconds) for r in rates]
        for phase, rate, secs in plan:
            r = run_loadgen("storm", f"ws://127.0.0.1:{port}", redis_url, [server.pid],
                            ["--rate", rate, "--seconds", secs, "--warmup", 0, "--first-user", first], hosts=8)
            first += int(rate * secs) + 1
            r["connects_per_cpu_s"] = r["connected"] / max(r["server_cpu_s"], 1e-9)
            r["phase"] = "cold" if not results else phase
            results.append(r)
            wait_quiet(server.pid)
            if phase == "measured" and r["failures"] > 0:
                break  # errors appeared: the storm stops escalating for this server
    finally:
        stop(server)
    return results


def redis_command(redis_url, *args):
    """One Redis command over a fresh connection (RESP by hand: the harness has no Redis client); returns the reply,
    bulk strings as bytes."""
    host, port = redis_url.split("//")[1].split(":")
    with socket.create_connection((host, int(port))) as s:
        parts = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        s.sendall(b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts))
        reply = s.makefile("rb")
        head = reply.readline()
        if head[:1] == b"-":
            raise RuntimeError(f"redis {args[0]}: {head.decode().strip()}")
        if head[:1] == b"$":
            size = int(head[1:])
            return None if size < 0 else reply.read(size + 2)[:-2]
        return head[1:].strip().decode()


def publish_paths(plan, rounds, redis_url, redis_pid, logdir, record):
    """Scenario (e): publications per second through the HTTP API and FCALL realtime_publish (and, with history off,
    a raw PUBLISH), with NOTIFICATION_HISTORY_SIZE=100 and 0. Two instances of ours, one per setting, both on core 1
    and both warmed up once (a JVM on one core needs tens of thousands of requests before its compiled code settles);
    the rounds then alternate between them. The HTTP senders share core 0 with Redis; for FCALL and PUBLISH no
    gateway is involved, so the senders move to core 1 and Redis has core 0 to itself. FCALL runs the Function that
    the instance of the same setting loaded (FUNCTION DUMP after its start, FUNCTION RESTORE before the run: there is
    one library per Redis). Each (setting, path) has its own users, whose histories the first run fills."""
    servers, functions = {}, {}
    try:
        for history in (100, 0):
            port = free_port()
            servers[history] = (port, start_server("ours", port, redis_url, logdir,
                                                   {"NOTIFICATION_HISTORY_SIZE": str(history),
                                                    "REALTIME_API_KEY": API_KEY}))
            functions[history] = redis_command(redis_url, "FUNCTION", "DUMP")
        fill = plan["publish_users"] * 100  # a full default history for every user
        for round_no in range(rounds):
            for history in (100, 0):
                port, server = servers[history]
                for path in ["http", "fcall"] + (["publish"] if history == 0 else []):
                    if path == "fcall":
                        redis_command(redis_url, "FUNCTION", "RESTORE", functions[history], "REPLACE")
                    warmup = plan["publish_warmup"]
                    if round_no == 0:
                        warmup = max(fill, plan["publish_server_warmup"] if path == "http" else 0)
                    r = run_loadgen("publish", f"http://127.0.0.1:{port}", redis_url, [server.pid],
                                    ["--path", path, "--api-key", API_KEY, "--publications", plan["publish"],
                                     "--warmup", warmup, "--users", plan["publish_users"],
                                     "--concurrency", plan["publish_concurrency"],
                                     "--user-prefix", f"pub-{port}-{path}-"],
                                    core=0 if path == "http" else 1, redis_pid=redis_pid)
                    for key in ("server_cpu_s", "redis_cpu_s"):
                        r[key.replace("_s", "_ms_per_1k")] = r[key] / r["publications"] * 1e6
                    record(r, server="ours", round=round_no, history=history if path != "publish" else None)
    finally:
        for _, server in servers.values():
            stop(server)


def stop(server):
    jfr = os.environ.get("BENCH_JFR")
    if jfr and getattr(server, "kind", None) == "ours":  # the recording, before SIGKILL loses it
        subprocess.run(["jcmd", str(server.pid), "JFR.dump", f"filename={os.path.abspath(jfr)}/ours-{server.port}.jfr"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server.send_signal(signal.SIGKILL)
    server.wait()


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def java_heap_after_gc_kb(pid):
    """Live heap: the total of `jcmd GC.class_histogram`, which counts the objects that survive a full GC. Any
    collector gives the same figure, to the byte (ZGC's own used-heap reading counts whole pages, in MB)."""
    out = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], capture_output=True, text=True).stdout
    for line in reversed(out.splitlines()):
        if line.startswith("Total"):
            return int(line.split()[2]) // 1024
    return -1


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
                ["taskset", "-c", "0"] + LOADGEN_JVM + ["-jar", LOADGEN, "hold", "--url", f"ws://127.0.0.1:{port}",
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


# (e): the first run of each path and setting warms up with 100 publications to each user, round-robin (and the HTTP
# path with at least publish_server_warmup, for the JIT), so that every history is full when the measured publications
# (to random users) start: each of them appends and trims one entry, a busy deployment's steady state. Later runs warm
# up with publish_warmup.
QUICK = dict(idle=[1000, 3000], fanout=[(1000, 50)], fanout_seconds=3,
             notify_users=1000, notify=[5000], notify_seconds=2, storm=[5000], storm_seconds=1, storm_warm=(1, 3000, 3000),
             publish=20000, publish_users=100, publish_warmup=2000, publish_server_warmup=60000, publish_concurrency=8,
             burst=[(1000, 20, 50)], burst_seconds=4, cluster_fanout=(1000, 50))
# Fan-out rates per room size keep the offered load (N x rate deliveries/s) at 20k, 50k and 100k per second.
FULL = dict(idle=[1000, 5000, 10000, 19000],
            fanout=[(1000, 20), (1000, 50), (1000, 100), (5000, 4), (5000, 10), (5000, 20),
                    (10000, 2), (10000, 5), (10000, 10)], fanout_seconds=10,
            notify_users=10000, notify=[1000, 5000], notify_seconds=10,
            storm=[1000, 2500, 5000, 7500, 10000], storm_seconds=1.5, storm_warm=(3, 7500, 2500),
            publish=100000, publish_users=1000, publish_warmup=5000, publish_server_warmup=40000,
            publish_concurrency=8, burst=[(1000, 20, 50), (1000, 100, 50), (5000, 20, 10)], burst_seconds=8,
            cluster_fanout=(5000, 10))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--quick", action="store_true", help="the default: small sizes, about 5 minutes")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="a,b,c,d,e,f,g", help="scenarios to run, e.g. b,c")
    parser.add_argument("--strace", action="store_true",
                        help="(b) and (f): count the server's system calls over the measured phase (strace -c -f); "
                             "traced runs are slower, so their CPU and latency figures do not compare")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs/benchmarks.md"))
    parser.add_argument("--report-from", metavar="REPORT",
                        help="run nothing: write --out again from the raw results of an earlier report (its JSON "
                             "lines), with this version's tables and goals")
    args = parser.parse_args()
    if args.report_from:
        rewrite_report(args.report_from, args.out)
        return
    plan = FULL if args.full else QUICK
    only = set(args.only.split(","))

    for jar in (LAUNCHER, LOADGEN):
        if not os.path.exists(jar):
            subprocess.run(["./mvnw", "-q", "-DskipTests", "package"], cwd=ROOT, check=True)
    if not os.path.isdir(os.path.join(PEER, "node_modules")):
        subprocess.run(["npm", "ci", "--silent"], cwd=PEER, check=True)

    logdir = tempfile.mkdtemp(prefix="bench-")
    redis_port = free_port()
    redis = subprocess.Popen(redis_priority() + ["taskset", "-c", "0", "redis-server", "--port", str(redis_port),
                                                 "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
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
                        record(fanout(kind, n, rate, int(rate * plan["fanout_seconds"]), redis_url, logdir,
                                      strace=args.strace), server=kind, round=round_no, subscribers=n, rate=rate)
        if "c" in only:
            for rate in plan["notify"]:
                for round_no in range(args.rounds):
                    for kind in ("ours", "peer"):
                        record(notify(kind, plan["notify_users"], rate, int(rate * plan["notify_seconds"]),
                                      redis_url, logdir, redis.pid), server=kind, round=round_no, rate=rate)
        if "d" in only:
            for round_no in range(args.rounds):
                for kind in ("ours", "peer"):
                    for r in storms(kind, plan["storm"], plan["storm_seconds"], plan["storm_warm"], redis_url,
                                    logdir):
                        record(r, server=kind, round=round_no)
        if "e" in only:  # ours only: the peer keeps no history
            publish_paths(plan, args.rounds, redis_url, redis.pid, logdir, record)
        if "f" in only:
            for n, burst, rate in plan["burst"]:
                for round_no in range(args.rounds):
                    for kind in ("ours", "peer"):
                        r = fanout(kind, n, rate, int(rate * plan["burst_seconds"]), redis_url, logdir, burst=burst,
                                   strace=args.strace)
                        record(r, server=kind, round=round_no, subscribers=n, rate=rate, burst=burst)
        if "g" in only:  # ours only: one Redis against a Redis Cluster of three masters
            cluster.compare(sys.modules[__name__], plan, args.rounds, redis_url, redis.pid, logdir, record)
    finally:
        redis.kill()
    command = "python3 benchmarks/run.py " + ("--full" if args.full else "--quick") + \
        (f" --rounds {args.rounds}" if args.rounds != 3 else "") + \
        (f" --only {args.only}" if args.only != "a,b,c,d,e,f,g" else "") + (" --strace" if args.strace else "")
    write_report(results, command, time.time() - started, args.out)


def plan_warm_text(results):
    """The warm-up storms of (d), as run: 'K x N connects at R/s'."""
    warm = [r for r in results if r["scenario"] == "storm" and r.get("phase") in ("cold", "warm")]
    rounds = max(1, len({(r["server"], r.get("round")) for r in warm}))
    if not warm:
        return "none"
    return f"{len(warm) // rounds} x {warm[0]['attempted']:,} connects at {warm[0]['rate']:,.0f}/s"


def rewrite_report(source, out):
    """The report again from the raw results, the command and the duration that an earlier report gives."""
    text = open(source).read()
    header = re.search(r"Generated by `([^`]*)` on \S+ in ([\d.]+) minutes", text)
    raw = text.split("## Raw results", 1)[1]
    results = [json.loads(line) for line in raw.splitlines() if line.startswith("{")]
    write_report(results, header.group(1), float(header.group(2)) * 60, out)


def ours_command():
    """How our server was started, for the report: the documented script and the JVM options it used."""
    if "JAVA_OPTS" in os.environ:
        opts = f"`JAVA_OPTS={os.environ['JAVA_OPTS']}` (set in the environment, replacing the script's defaults)"
    else:
        found = re.search(r'^DEFAULT_JAVA_OPTS="([^"]*)"', open(OURS).read(), re.M)
        opts = f"the script's default JVM options `{found.group(1) if found else '?'}`"
    jar = os.environ.get("REALTIME_JAR") or "realtime-launcher.jar"  # the script's override, when set
    return (f"`JAVA_TOOL_OPTIONS=-XX:ActiveProcessorCount=1 taskset -c 1 bin/realtime` (`java $JAVA_OPTS -jar "
            f"{jar}`, with {opts})")


def med(rows, key):
    values = [r[key] for r in rows]
    return statistics.median(values), min(values), max(values)


def core0(rows):
    """The median CPU-seconds of the load generator and Redis over the measured phase, or - when not recorded."""
    values = [r["loadgen_cpu_s"] + r["redis_cpu_s"] for r in rows if "loadgen_cpu_s" in r and "redis_cpu_s" in r]
    return f"{statistics.median(values):.2f}" if values else "-"


def spread(m, fmt):
    return f"{fmt.format(m[0])} [{fmt.format(m[1])}-{fmt.format(m[2])}]"


def write_report(results, command, seconds, out):
    of = lambda scenario: [r for r in results if r["scenario"] == scenario]
    goals = []
    lines = ["# Benchmarks", "",
             f"Generated by `{command}` on {time.strftime('%Y-%m-%d')} in {seconds / 60:.1f} minutes: every "
             "scenario against our gateway and the Node peer (`benchmarks/peer-node`: ws + ioredis + jose), in "
             "alternating runs (ours, peer, ours, peer, ...); (e) runs against ours only, as the peer keeps no "
             "history.", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
             f"{platform.system()} {platform.release()}; "
             f"{subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]}; "
             f"node {subprocess.run(['node', '-v'], capture_output=True, text=True).stdout.strip()}. "
             "Every server process is pinned to core 1 (`taskset -c 1`; the JVM also gets "
             "`-XX:ActiveProcessorCount=1`); the load generator and Redis share core 0, Redis at a real-time "
             "priority (`chrt -f 10`, as if on a machine of its own). Ours runs as "
             f"{ours_command()}, the peer as `taskset -c 1 node server.js`. Server CPU time comes from "
             "/proc/<pid>/stat around the measured phase. Medians over the rounds, with [min-max].", "",
             "![latency percentiles against load](benchmarks-latency.svg)", ""]
    header = len(lines)

    # (a) idle hold
    idle = of("idle")
    if idle:
        lines += ["## (a) Idle hold", "",
                  "N authenticated idle connections (notifications endpoint) on one instance; the server's memory "
                  "minus the same server with none. Heap is the live objects' bytes (the total of `jcmd GC.class_histogram`, "
                  "which collects fully first); RSS from "
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
        ratios, traced = [], []
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
                    if all("writes_per_delivery" in r for r in rows):
                        traced.append(f"- N={n:,}, {rate} msgs/s, {kind}: {med(rows, 'writes_per_delivery')[0]:.3f} "
                                      "write system calls per delivery (strace -c -f)")
            if len(per) == 2:
                ratios.append((n, rate, per["ours"] / per["peer"]))
        lines += ["", "Ratio ours/peer of deliveries per server CPU-second:", ""]
        lines += [f"- N={n:,}, {rate} msgs/s: **{x:.2f}x**" for n, rate, x in ratios] + traced
        lines.append("")
        if ratios:
            worst = min(x for _, _, x in ratios)
            lost = sum(r["lost"] for r in fan if r["server"] == "ours")
            goals.append(("room fan-out at a paced rate, deliveries per server CPU-second",
                          ">= 1.1x the peer in every run",
                          f"{worst:.2f}x to {max(x for _, _, x in ratios):.2f}x; {lost} lost", worst >= 1.1))

    # (c) notifications on two instances
    note = of("notify")
    if note:
        users = note[0]["connections"]
        lines += ["## (c) Per-user notifications, two instances", "",
                  f"Two instances of the same server on one Redis (both pinned to core 1), {users:,} users spread "
                  "over them, each notification published to a random user's channel at a fixed rate; each run first "
                  f"warms up for {NOTIFY_WARMUP_SECONDS} s at the same rate (the JIT compilers' work is not the "
                  "steady-state cost of a notification), then measures. The load generator and Redis share core 0: "
                  "their CPU-seconds over the measured phase are in the last column (10 s of it is the whole core), "
                  "as latency also waits for them.", "",
                  "| msgs/s | server | p50 ms | p99 ms | p99.9 ms | max ms | delivered | lost | server CPU-s "
                  "| server CPU µs per notification | load generator + Redis CPU-s |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
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
                                 f"{sum(r['lost'] for r in rows)} | {med(rows, 'server_cpu_s')[0]:.2f} | "
                                 f"{spread(med(rows, 'cpu_us_per_delivery'), '{:.0f}')} | {core0(rows)} |")
        top = max(r["rate"] for r in note)
        if ("ours", top) in worst and ("peer", top) in worst:
            lost = sum(r["lost"] for r in note if r["server"] == "ours")
            goals.append((f"publish-to-deliver p99, 2 instances, {top:,}/s", "< 5 ms",
                          f"{worst[('ours', top)]:.2f} ms ({worst[('ours', top)] / worst[('peer', top)]:.2f}x the "
                          f"peer's {worst[('peer', top)]:.2f} ms); {lost} lost",
                          worst[("ours", top)] < 5 and lost == 0))
            per = {kind: med([r for r in note if r["server"] == kind and r["rate"] == top], "cpu_us_per_delivery")[0]
                   for kind in ("ours", "peer")}
            goals.append((f"server CPU per notification, 2 instances, {top:,}/s", "<= the peer's",
                          f"{per['ours']:.0f} µs ({per['ours'] / per['peer']:.2f}x the peer's {per['peer']:.0f} µs)",
                          per["ours"] <= per["peer"]))
        lines.append("")

    # (d) storm
    st = [r for r in of("storm") if r.get("phase", "measured") == "measured"]
    cold = [r for r in of("storm") if r.get("phase") == "cold"]
    if st:
        lines += ["## (d) Connection storm", "",
                  "New clients at a fixed rate, each with its own JWT (HS256) and user; a connect counts when the "
                  "`connected` frame arrives (HTTP upgrade, JWT verification, Redis subscription). Each round starts "
                  "a fresh instance and warms it as the scenario defines (a warmed server): warm-up storms of "
                  f"{plan_warm_text(results)}, each closed and followed by a quiet server (under 5% of a core for "
                  "1 s, so the JIT compilers finished). Then the rates go up on that instance, each storm closed and "
                  "the server quiet before the next, until errors appear. The clients are raw NIO sockets on one "
                  "selector thread, so the generator is not the bottleneck.", "",
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
        if cold:
            lines += ["A fresh JVM's first storm (the first warm-up storm of each round), for comparison: a cold "
                      "instance spends most of it in the bytecode interpreter and the JIT compilers "
                      "(benchmarks/README.md).", "",
                      "| target/s | server | connected/s | errors | p50 ms | p99 ms | connects per server CPU-s |",
                      "|---|---|---|---|---|---|---|"]
            for kind in ("ours", "peer"):
                rows = [r for r in cold if r["server"] == kind]
                if rows:
                    lines.append(f"| {rows[0]['rate']:,.0f} | {kind} | {spread(med(rows, 'connects_per_s'), '{:,.0f}')}"
                                 f" | {sum(r['failures'] for r in rows)} | {spread(med(rows, 'p50_ms'), '{:.1f}')} | "
                                 f"{spread(med(rows, 'p99_ms'), '{:.1f}')} | "
                                 f"{med(rows, 'connects_per_cpu_s')[0]:,.0f} |")
            lines.append("")
        if "ours" in best:
            ratio = f" ({best['ours'] / best['peer']:.2f}x the peer's {best['peer']:,.0f})" if best.get("peer") else ""
            goals.append(("connection storm with HS256", ">= 1.5x the peer's connects/s with 0 errors",
                          f"{best['ours']:,.0f} connects/s with 0 errors{ratio}",
                          best["ours"] >= 1.5 * best.get("peer", float("inf"))))

    # (e) the publish path
    pub = of("publish")
    if pub:
        first = pub[0]
        lines += ["## (e) The publish path: the cost of history", "",
                  "Publications per second through each publishing path of ours, with notification history on "
                  "(`NOTIFICATION_HISTORY_SIZE=100`, the default) and off (`0`); the peer keeps no history, so (e) "
                  "runs against ours only. Two instances, one per setting, both on core 1, each warmed up once "
                  "(a JVM on one core needs some 40,000 requests before its compiled code settles); the rounds "
                  f"alternate between them. {first['concurrency']} senders in a closed loop (each sends its next "
                  f"publication when the answer to its last one arrives), {first['publications']:,} publications per "
                  "run to random users' channels (`notifications:user:{id}`). The first run of each path fills every "
                  "user's history (100 publications per user, round-robin), so each measured publication appends to "
                  "a full history and trims one entry: a busy deployment's steady state. No client is connected: "
                  "this is the cost of publishing, not of delivering (see (b) and (c)). Latency is one publish call, "
                  "from the request's first byte to the answer's last. The senders are raw sockets with prebuilt "
                  "requests (a few microseconds each), so the server is what is measured:", "",
                  "- **HTTP API**: `POST /api/v1/users/{id}/notifications` with the bearer key, HTTP/1.1 keep-alive, "
                  "one connection per sender (Grizzly closes a keep-alive connection after 256 requests; the sender "
                  "then reconnects within its next call, as a client library would). The senders share core 0 with "
                  "Redis; the gateway has core 1. The gateway runs its own copy of the publish script (`EVALSHA`).",
                  "- **FCALL**: `FCALL realtime_publish 1 notifications:user:{id} <frame>` straight to Redis, with a "
                  "frame like the one the HTTP API publishes; the Function is the one that the instance of the same "
                  "setting loaded at start. No gateway is involved, so the senders run on core 1 and Redis has "
                  "core 0.",
                  "- **raw PUBLISH**: `PUBLISH` of the same frame, the baseline: nothing stored or numbered.", "",
                  "CPU per 1,000 publications from /proc over the measured phase: the gateway's (HTTP only) and "
                  "Redis's.", "",
                  "| path | history | publications/s | p50 ms | p99 ms | gateway CPU-s per 1k | Redis CPU-s per 1k "
                  "| errors |", "|---|---|---|---|---|---|---|---|"]
        names = {"http": "HTTP API", "fcall": "FCALL realtime_publish", "publish": "raw PUBLISH"}
        rate = {}
        cpu = {}
        for path in ("http", "fcall", "publish"):
            for history in ((100, 0) if path != "publish" else (None,)):
                rows = [r for r in pub if r["path"] == path and r["history"] == history]
                if not rows:
                    continue
                got = med(rows, "publications_per_s")
                rate[(path, history)] = got[0]
                cpu[(path, history)] = med(rows, "server_cpu_ms_per_1k")[0]
                label = "not stored" if history is None else ("on (100)" if history else "off (0)")
                gateway = (f"{med(rows, 'server_cpu_ms_per_1k')[0] / 1000:.3f}" if path == "http" else "-")
                lines.append(f"| {names[path]} | {label} | {spread(got, '{:,.0f}')} | "
                             f"{spread(med(rows, 'p50_ms'), '{:.2f}')} | {spread(med(rows, 'p99_ms'), '{:.2f}')} | "
                             f"{gateway} | {med(rows, 'redis_cpu_ms_per_1k')[0] / 1000:.3f} | "
                             f"{sum(r['errors'] for r in rows)} |")
        lines += ["", "History on vs off, publications per second:", ""]
        for path in ("http", "fcall"):
            if (path, 100) in rate and (path, 0) in rate:
                rounds = sorted({r["round"] for r in pub})
                each = [next(r["publications_per_s"] for r in pub if r["path"] == path and r["history"] == 100
                             and r["round"] == n) / next(r["publications_per_s"] for r in pub if r["path"] == path
                                                         and r["history"] == 0 and r["round"] == n) for n in rounds]
                text = (f"- {names[path]}: **{rate[(path, 100)] / rate[(path, 0)]:.2f}x** "
                        f"({rate[(path, 100)]:,.0f}/s on, {rate[(path, 0)]:,.0f}/s off; round by round "
                        f"{', '.join(f'{x:.2f}x' for x in each)})")
                if path == "http":
                    text += (f"; gateway CPU per publication {cpu[(path, 100)] / cpu[(path, 0)]:.2f}x "
                             f"({cpu[(path, 100)]:.0f} µs on, {cpu[(path, 0)]:.0f} µs off)")
                lines.append(text)
        if ("fcall", 100) in rate and ("publish", None) in rate:
            lines.append(f"- FCALL with history vs a raw PUBLISH: "
                         f"{rate[('fcall', 100)] / rate[('publish', None)]:.2f}x")
        lines.append("")

    # (f) bursts
    bursts = of("burst")
    if bursts:
        lines += ["## (f) Room fan-out in bursts", "",
                  "As (b), but the publisher sends its publications in bursts of k back to back through Redis (each "
                  "stamped with the burst's intended time), the bursts spaced so that the average rate is msgs/s: "
                  "several frames wait for each socket at once. Order: each client checks that the sequence numbers "
                  "it gets only go up (out of order must be 0).", "",
                  "| N | k | msgs/s | server | deliveries/s | p50 ms | p99 ms | p99.9 ms | deliveries per server CPU-s "
                  "| writes per delivery | lost | out of order |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        ratios = []
        for n, burst, rate in sorted({(r["subscribers"], r["burst"], r["rate"]) for r in bursts}):
            per = {}
            for kind in ("ours", "peer"):
                rows = [r for r in bursts if r["server"] == kind and r["subscribers"] == n and r["burst"] == burst
                        and r["rate"] == rate]
                if rows:
                    cpu = med(rows, "deliveries_per_cpu_s")
                    per[kind] = cpu[0]
                    writes = (f"{med(rows, 'writes_per_delivery')[0]:.3f}" if all("writes_per_delivery" in r
                                                                                   for r in rows) else "-")
                    lines.append(f"| {n:,} | {burst} | {rate} | {kind} | {med(rows, 'deliveries_per_s')[0]:,.0f} | "
                                 f"{spread(med(rows, 'p50_ms'), '{:.2f}')} | {spread(med(rows, 'p99_ms'), '{:.2f}')} | "
                                 f"{med(rows, 'p999_ms')[0]:.2f} | {spread(cpu, '{:,.0f}')} | {writes} | "
                                 f"{sum(r['lost'] for r in rows)} | {sum(r.get('out_of_order', 0) for r in rows)} |")
            if len(per) == 2:
                ratios.append((n, burst, rate, per["ours"] / per["peer"]))
        lines += ["", "Ratio ours/peer of deliveries per server CPU-second:", ""]
        lines += [f"- N={n:,}, bursts of {burst}, {rate} msgs/s: **{x:.2f}x**" for n, burst, rate, x in ratios]
        lines.append("")
        if ratios:
            worst = min(x for *_, x in ratios)
            bad = sum(r["lost"] + r.get("out_of_order", 0) for r in bursts if r["server"] == "ours")
            goals.append(("room fan-out in bursts, deliveries per server CPU-second", ">= 1.5x the peer",
                          f"{worst:.2f}x to {max(x for *_, x in ratios):.2f}x; {bad} lost or out of order",
                          worst >= 1.5 and bad == 0))

    lines += cluster.report(results, med, spread)

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
    st = [r for r in results if r["scenario"] == "storm" and r.get("phase", "measured") == "measured"]
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
