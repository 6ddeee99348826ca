"""Scenario (g): the same gateway on one Redis and on a Redis Cluster of three masters, in one run (ours only: the peer
has no cluster support). Imported by run.py, whose helpers it is given.

- Publications per second: the HTTP API (POST /api/v1/users/{id}/notifications, history on), as (e).
- Fan-out deliveries per second: one room of N subscribers, as (b); on the cluster the load generator publishes with
  SPUBLISH to the room's master.
- How the load spreads: each master's INFO commandstats (SPUBLISH, EVALSHA) and total_commands_processed over each
  run, and the share of its keys.
- That an instance receives only its own channels: two instances on the cluster, each with its own room; the room of
  the first is published to, and the second's CPU and the subscriptions on each master (PUBSUB SHARDNUMSUB) show what
  each instance received.

Every Redis process (the single one and the three masters) runs on core 0, as in the other scenarios, so on this
machine the cluster has no more CPU than the single Redis: what is measured is the cost of the cluster's routing and
how the load spreads, not a scale-out.
"""
import os, subprocess, time

MASTERS = 3


def start_cluster(h, logdir):
    """Three masters (no replicas: the benchmark measures routing, not replication) on core 0, joined with
    redis-cli --cluster create; returns (processes, ports)."""
    ports, procs = [], []
    while len(ports) < MASTERS:
        port = h.free_port()
        if port + 10000 <= 65535 and port not in ports:
            ports.append(port)
    for port in ports:
        work = os.path.join(logdir, f"cluster-{port}")
        os.makedirs(work, exist_ok=True)
        procs.append(subprocess.Popen(h.redis_priority() + [
            "taskset", "-c", "0", "redis-server", "--port", str(port), "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--save", "", "--appendonly", "no"],
            cwd=work, stdout=subprocess.DEVNULL))
    time.sleep(0.5)
    subprocess.run(["redis-cli", "--cluster", "create"] + [f"127.0.0.1:{p}" for p in ports] +
                   ["--cluster-replicas", "0", "--cluster-yes"], check=True, stdout=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        if all(b"cluster_state:ok" in h.redis_command(f"redis://127.0.0.1:{p}", "CLUSTER", "INFO") for p in ports):
            return procs, ports
        time.sleep(0.2)
    raise RuntimeError("the benchmark's Redis Cluster did not come up")


def info(h, port, section):
    text = h.redis_command(f"redis://127.0.0.1:{port}", "INFO", section).decode()
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line and not line.startswith("#"))


def shard_stats(h, ports):
    """Per master: SPUBLISH and EVALSHA calls, commands processed, keys."""
    stats = []
    for port in ports:
        commands = info(h, port, "commandstats")
        calls = lambda name: int(commands.get(f"cmdstat_{name}", "calls=0").split(",")[0].split("=")[1])
        stats.append(dict(port=port, spublish=calls("spublish"), evalsha=calls("evalsha"),
                          commands=int(info(h, port, "stats")["total_commands_processed"]),
                          keys=int(h.redis_command(f"redis://127.0.0.1:{port}", "DBSIZE"))))
    return stats


def delta(after, before):
    return [{k: (a[k] - b[k] if k != "port" else a[k]) for k in a} for a, b in zip(after, before)]


def compare(h, plan, rounds, redis_url, redis_pid, logdir, record):
    procs, ports = start_cluster(h, logdir)
    cluster_url = "redis-cluster://" + ",".join(f"127.0.0.1:{p}" for p in ports)
    targets = {"one": (redis_url, [redis_pid], None), "cluster": (cluster_url, [p.pid for p in procs], ports)}
    try:
        for round_no in range(rounds):
            for target, (url, pids, shard_ports) in targets.items():
                before = shard_stats(h, shard_ports) if shard_ports else None
                r = publications(h, plan, url, pids, logdir, round_no, target)
                if shard_ports:
                    r["shards"] = delta(shard_stats(h, shard_ports), before)
                record(r, scenario="cluster_publish", target=target, round=round_no)
                n, rate = plan["cluster_fanout"]
                before = shard_stats(h, shard_ports) if shard_ports else None
                r = h.fanout("ours", n, rate, int(rate * plan["fanout_seconds"]), url, logdir)
                if shard_ports:
                    r["shards"] = delta(shard_stats(h, shard_ports), before)
                record(r, scenario="cluster_fanout", target=target, round=round_no, subscribers=n, rate=rate)
        record(only_own_channels(h, plan, cluster_url, ports, logdir), scenario="cluster_own_channels")
    finally:
        for p in procs:
            p.kill()


def publications(h, plan, url, redis_pids, logdir, round_no, target):
    port = h.free_port()
    server = h.start_server("ours", port, url, logdir, {"REALTIME_API_KEY": h.API_KEY})
    try:
        return h.run_loadgen("publish", f"http://127.0.0.1:{port}", url, [server.pid],
                             ["--path", "http", "--api-key", h.API_KEY, "--publications", plan["publish"],
                              "--warmup", plan["publish_server_warmup"], "--users", plan["publish_users"],
                              "--concurrency", plan["publish_concurrency"],
                              "--user-prefix", f"cl-{target}-{round_no}-"], core=0, redis_pid=redis_pids)
    finally:
        h.stop(server)


def only_own_channels(h, plan, cluster_url, ports, logdir):
    """Two instances: the first holds 200 notification clients (one channel each, spread over the shards), the second
    gets a room of N subscribers that is published to. The first instance's CPU over that run, and its subscriber
    connections' shard subscriptions per master (CLIENT LIST ssub), show that it receives only its own channels."""
    n, rate = plan["cluster_fanout"]
    idle_port = h.free_port()
    idle = h.start_server("ours", idle_port, cluster_url, logdir)
    try:
        holder = subprocess.Popen(["taskset", "-c", "0"] + h.LOADGEN_JVM + ["-jar", h.LOADGEN, "hold", "--url",
                                   f"ws://127.0.0.1:{idle_port}", "--secret", h.SECRET, "--connections", "200"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            for line in holder.stdout:
                if line.startswith("READY"):
                    break
            time.sleep(1)  # the holder's clients subscribed; their confirmations need no more than this
            quiet = 10.0  # first, nothing published: the instance's own work (canaries, heartbeats, lease renewals)
            idle_cpu = h.cpu_seconds(idle.pid)
            time.sleep(quiet)
            quiet_cpu = h.cpu_seconds(idle.pid) - idle_cpu
            idle_cpu, started = h.cpu_seconds(idle.pid), time.time()
            r = h.fanout("ours", n, rate, int(rate * plan["fanout_seconds"]), cluster_url, logdir)
            r["window_s"] = time.time() - started
            r["other_instance_cpu_per_s"] = (h.cpu_seconds(idle.pid) - idle_cpu) / r["window_s"]
            r["other_instance_quiet_cpu_per_s"] = quiet_cpu / quiet
            r["other_instance_ssub_per_master"] = [subscriptions(p) for p in ports]
            return r
        finally:
            holder.stdin.close()
            holder.wait()
    finally:
        h.stop(idle)


def subscriptions(port):
    """The shard channels of the realtime-subscriber connections on one master (CLIENT LIST ssub)."""
    out = subprocess.run(["redis-cli", "-p", str(port), "CLIENT", "LIST"], capture_output=True, text=True).stdout
    total = 0
    for line in out.splitlines():
        fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
        if fields.get("name") == "realtime-subscriber":
            total += int(fields.get("ssub", 0))
    return total


def report(results, med, spread):
    """The (g) section of docs/benchmarks.md."""
    pub = [r for r in results if r["scenario"] == "cluster_publish"]
    fan = [r for r in results if r["scenario"] == "cluster_fanout"]
    own = [r for r in results if r["scenario"] == "cluster_own_channels"]
    if not pub and not fan:
        return []
    lines = ["## (g) One Redis and a Redis Cluster", "",
             "The same gateway (ours only: the peer has no cluster support) on one Redis and on a Redis Cluster of "
             "three masters (no replicas), alternating by round. Publications per second through the HTTP API as in "
             "(e) (history on, each publication one `EVALSHA` that stores and `SPUBLISH`es on the cluster); fan-out "
             "as in (b), the load generator publishing to the room's master (`SPUBLISH`) on the cluster. Every Redis "
             "process, the single one and the three masters, runs on core 0: on this 2-core machine the cluster "
             "has no more CPU than one Redis, so this shows the cost of the cluster's routing and how the load "
             "spreads over the shards, not a scale-out. Redis CPU is the sum over the masters.", "",
             "| Redis | publications/s | p99 ms | Redis CPU-s per 1k publications | fan-out N | msgs/s | "
             "deliveries/s | p99 ms | deliveries per server CPU-s | lost |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for target in ("one", "cluster"):
        p = [r for r in pub if r["target"] == target]
        f = [r for r in fan if r["target"] == target]
        if not p or not f:
            continue
        redis_cpu = [r["redis_cpu_s"] / r["publications"] * 1e3 for r in p if "redis_cpu_s" in r]
        lines.append(f"| {'one Redis' if target == 'one' else '3-master cluster'} | "
                     f"{spread(med(p, 'publications_per_s'), '{:,.0f}')} | {spread(med(p, 'p99_ms'), '{:.2f}')} | "
                     f"{(sorted(redis_cpu)[len(redis_cpu) // 2] if redis_cpu else float('nan')):.3f} | "
                     f"{f[0]['subscribers']:,} | {f[0]['rate']} | {med(f, 'deliveries_per_s')[0]:,.0f} | "
                     f"{spread(med(f, 'p99_ms'), '{:.2f}')} | {spread(med(f, 'deliveries_per_cpu_s'), '{:,.0f}')} | "
                     f"{sum(r['lost'] for r in f)} |")
    lines.append("")
    for name, rows, what in (("publications", [r for r in pub if r["target"] == "cluster"], "the HTTP API run's"),
                             ("fan-out", [r for r in fan if r["target"] == "cluster"], "the fan-out run's")):
        if not rows or "shards" not in rows[-1]:
            continue
        shards = rows[-1]["shards"]
        total = max(1, sum(s["commands"] for s in shards))
        lines += [f"How {what} load spread over the masters (`INFO commandstats` and `total_commands_processed` "
                  f"over the last round's run, its warm-up and connects included; `DBSIZE` after it):", "",
                  "| master | SPUBLISH | EVALSHA | commands | share of commands | keys |", "|---|---|---|---|---|---|"]
        for s in shards:
            lines.append(f"| :{s['port']} | {s['spublish']:,} | {s['evalsha']:,} | {s['commands']:,} | "
                         f"{s['commands'] / total:.0%} | {s['keys']:,} |")
        lines.append("")
    if own:
        r = own[-1]
        lines += [f"Only its own channels: a second instance on the cluster held 200 notification clients (their user "
                  f"channels and the broadcast channel, spread over the shards) while the first delivered "
                  f"{r['deliveries']:,} room frames ({r['subscribers'] if 'subscribers' in r else r['connections']:,} "
                  f"subscribers) through the cluster. The second instance used "
                  f"**{r['other_instance_cpu_per_s'] * 1000:.0f} ms of CPU per second** over that run "
                  f"({r['window_s']:.1f} s, the room's clients connecting included), and "
                  f"{r['other_instance_quiet_cpu_per_s'] * 1000:.0f} ms per second over 10 s before it, with nothing "
                  "published (its canaries, heartbeats and lease renewals); its subscriber connections held "
                  f"{', '.join(str(x) for x in r['other_instance_ssub_per_master'])} "
                  "shard channels on the three masters: its 201 channels and one canary channel per shard, not the "
                  "room.", ""]
    return lines
