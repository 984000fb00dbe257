#!/usr/bin/env python3
"""cubeauth's HTTP benchmark (run through scripts/bench.sh).

Starts cubeauth, the Node.js peer (bench/peer) and nginx (the ceiling) on loopback, each with
the ConnectyCube emulator where it needs one, drives them with wrk (warm-up, several repeats,
median), reads CPU and memory from /proc, and prints one table. It prints figures; it never
fails on timing (exit status 0 unless something could not run at all).
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.join(ROOT, "bench", "http")
WRK_DIR = os.path.join(HERE, "wrk")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

EMAIL = "bench@example.org"
PASSWORD = "Lantern-8812"
APP_ID = "5120"
AUTH_KEY = "bench-auth-key"
SECRET = "bench-secret-0123456789abcdef0123456789abcdef"
INVALID_TOKEN = "not-a-jwt"
CUBEAUTH_BINARY = [os.path.join(ROOT, "build/release/src/cubeauth")]


def log(text):
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- /proc


def children(pid):
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


def family(pid):
    """The process and its descendants (nginx's workers)."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += children(p)
    return pids


def cpu_seconds(pid):
    total = 0
    for p in family(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
        except OSError:
            pass
    return total / CLK_TCK


def memory_kb(pid, key):
    total = 0
    for p in family(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith(key + ":"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


# ---------------------------------------------------------------- processes


class Server:
    """One server under test: its process, port and the figures measured on it."""

    def __init__(self, name, argv, env, port, cwd, log_path, ready_path="/"):
        self.name, self.argv, self.env, self.port, self.cwd = name, argv, env, port, cwd
        self.log_path, self.ready_path = log_path, ready_path
        self.proc = None
        self.start_ms = None

    def start(self):
        logf = open(self.log_path, "ab")
        started = time.monotonic()
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdout=logf,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = started + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log_path}")
            if http_ok(self.port, self.ready_path, timeout=0.5):
                self.start_ms = (time.monotonic() - started) * 1000
                return self
            time.sleep(0.0005)
        raise RuntimeError(f"{self.name} did not answer within 20 s; see {self.log_path}")

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def http_ok(port, path, timeout=0.5):
    """One raw GET; True on any HTTP answer with a 2xx status."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            head = s.recv(64)
            return head.startswith(b"HTTP/1.1 2")
    except OSError:
        return False


def post_json(port, path, payload, timeout=30):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def start_emulator(tmp, tag):
    binary = os.path.join(ROOT, "build/release/tools/connectycube_emulator/connectycube_emulator")
    proc = subprocess.Popen([binary, "--port=0", f"--app-id={APP_ID}", f"--auth-key={AUTH_KEY}"],
                            stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, f"emulator-{tag}.log"), "ab"),
                            start_new_session=True, text=True)
    line = proc.stdout.readline()
    match = re.search(r"listening on [\d.]+:(\d+)", line)
    if not match:
        raise RuntimeError(f"the emulator did not start: {line!r}")
    return proc, int(match.group(1))


def cubeauth_server(tmp, threads, emulator_port, tag="cubeauth", data=None, extra_env=None):
    data = data or tempfile.mkdtemp(prefix=f"{tag}-", dir=tmp)
    port = free_port()
    # Every wrk connection comes from 127.0.0.1: the per-address rate limit would refuse
    # the login and register scenarios after its burst, so it is off here (the peer has none).
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOST": "127.0.0.1", "PORT": str(port),
           "JWT_SECRET": SECRET, "CUBEAUTH_THREADS": str(threads), "CUBEAUTH_ACCESS_LOG": "false",
           "DATABASE_URL": f"sqlite://{data}/cubeauth.db", "LOG_LEVEL": "warn",
           "CUBEAUTH_RATE_PER_CLIENT_BURST": "0"}
    env.update(extra_env or {})
    if emulator_port:
        env.update({"APP_ID": APP_ID, "AUTH_KEY": AUTH_KEY,
                    "CONNECTYCUBE_API_URL": f"http://127.0.0.1:{emulator_port}"})
    return Server(tag if tag == "strict" else "cubeauth", [CUBEAUTH_BINARY[0]], env, port, data,
                  os.path.join(tmp, f"{tag}.log"))


def peer_server(tmp, emulator_port):
    port = free_port()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOST": "127.0.0.1", "PORT": str(port),
           "JWT_SECRET": SECRET, "NODE_ENV": "production"}
    if emulator_port:
        env.update({"APP_ID": APP_ID, "AUTH_KEY": AUTH_KEY,
                    "CONNECTYCUBE_API_URL": f"http://127.0.0.1:{emulator_port}"})
    return Server("peer", ["node", os.path.join(ROOT, "bench/peer/server.mjs")], env, port,
                  os.path.join(ROOT, "bench/peer"), os.path.join(tmp, "peer.log"))


def nginx_server(tmp, workers):
    prefix = tempfile.mkdtemp(prefix="nginx-", dir=tmp)
    port = free_port()
    with open(os.path.join(HERE, "nginx.conf.in")) as f:
        conf = f.read()
    conf = conf.replace("@WORKERS@", str(workers)).replace("@PORT@", str(port)).replace("@PREFIX@", prefix)
    with open(os.path.join(prefix, "nginx.conf"), "w") as f:
        f.write(conf)
    return Server("nginx", ["nginx", "-p", prefix, "-c", os.path.join(prefix, "nginx.conf"), "-g", "daemon off;"],
                  dict(os.environ), port, prefix, os.path.join(tmp, "nginx.log"))


# ---------------------------------------------------------------- wrk


def wrk_script(tmp, scenario, checked, trickle=False):
    parts = ["report.lua", f"{scenario}.lua"] + (["check.lua"] if checked else []) + (["trickle.lua"] if trickle else [])
    text = "\n".join(open(os.path.join(WRK_DIR, p)).read() for p in parts)
    path = os.path.join(tmp, f"wrk-{scenario}-{int(checked)}{int(trickle)}.lua")
    with open(path, "w") as f:
        f.write(text)
    return path


_wrk_runs = [0]


def wrk_start(url, script, seconds, connections, threads, env):
    # Each run gets its own BENCH_RUN: register.lua makes its emails unique with it.
    _wrk_runs[0] += 1
    env = {"BENCH_RUN": f"r{os.getpid()}x{_wrk_runs[0]}x{int(time.time() * 1000)}", **env}
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", script, url]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **env})


def wrk_result(proc):
    out, _ = proc.communicate()
    for line in out.splitlines():
        if line.startswith("BENCH_JSON "):
            r = json.loads(line[len("BENCH_JSON "):])
            r["rps"] = r["requests"] / (r["duration_us"] / 1e6) if r["duration_us"] else 0.0
            r["socket_errors"] = r["connect"] + r["read"] + r["write"] + r["timeout"]
            return r
    raise RuntimeError("wrk printed no figures:\n" + out)


class Scenario:
    def __init__(self, key, title, script, path, connections, seconds, expect_4xx=False, always_checked=False):
        self.key, self.title, self.script, self.path = key, title, script, path
        self.connections, self.seconds = connections, seconds
        self.expect_4xx, self.always_checked = expect_4xx, always_checked


def run_scenario(tmp, server, scenario, repeats, warmup_s, wrk_threads, env):
    """Warm-up (a checked run: each body compared), then timed runs; the median is quoted."""
    url = f"http://127.0.0.1:{server.port}{scenario.path}"
    checked_script = wrk_script(tmp, scenario.script, True)
    timed_script = checked_script if scenario.always_checked else wrk_script(tmp, scenario.script, False)
    warm = wrk_result(wrk_start(url, checked_script, warmup_s, scenario.connections, wrk_threads, env))
    runs = []
    cpu_before = cpu_seconds(server.pid)
    for _ in range(repeats):
        runs.append(wrk_result(wrk_start(url, timed_script, scenario.seconds, scenario.connections, wrk_threads, env)))
    cpu = cpu_seconds(server.pid) - cpu_before
    requests = sum(r["requests"] for r in runs)
    # What each timed run can tell: socket errors, and statuses (wrk counts >= 400).
    errors = sum(r["socket_errors"] for r in runs)
    if scenario.always_checked:
        errors += sum(r["bad"] for r in runs)
    elif scenario.expect_4xx:
        errors += sum(r["requests"] - r["status"] for r in runs)
    else:
        errors += sum(r["status"] for r in runs)
    errors += warm["bad"] + warm["socket_errors"]
    ordered = sorted(runs, key=lambda r: r["rps"])
    median = ordered[len(ordered) // 2]
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "p50_ms": statistics.median(r["p50_us"] for r in runs) / 1000,
        "p99_ms": statistics.median(r["p99_us"] for r in runs) / 1000,
        "errors": errors,
        "requests": requests + warm["requests"],
        "checked": warm["checked"] + (sum(r["checked"] for r in runs) if scenario.always_checked else 0),
        "cpu_per_10k": cpu / requests * 10000 if requests else float("nan"),
        "all_rps": [round(r["rps"]) for r in runs],
        "median_run": median,
    }


# ---------------------------------------------------------------- the bcrypt bound


def bcrypt_hash_ms(samples=4):
    """Cost-10 bcrypt hashes with libxcrypt (what cubeauth links) on one thread per core at
    once, as a saturated hash pool runs them: the CPU time one hash takes then (what bounds
    the cores) and its wall time on this shared machine. Returns (cpu_ms, wall_ms), medians."""
    import ctypes
    import threading
    lib = ctypes.CDLL("libcrypt.so.1")
    lib.crypt_gensalt.restype = ctypes.c_char_p
    lib.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p, ctypes.c_int]
    lib.crypt_rn.restype = ctypes.c_char_p
    lib.crypt_rn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int]
    setting = lib.crypt_gensalt(b"$2b$", 10, None, 0)
    cpu, wall = [], []

    def hash_some():
        data = ctypes.create_string_buffer(65536)  # struct crypt_data is 32 KiB
        for _ in range(samples):
            c, w = time.thread_time(), time.perf_counter()
            lib.crypt_rn(PASSWORD.encode(), setting, data, ctypes.sizeof(data))  # releases the GIL
            cpu.append((time.thread_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)

    threads = [threading.Thread(target=hash_some) for _ in range(os.cpu_count())]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statistics.median(cpu), statistics.median(wall)


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def pss_kb(pid):
    total = 0
    for p in family(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def idle_breakdown(pid):
    """[(mapping, Rss kB)] from /proc/PID/smaps, largest first (memory_breakdown.py's groups)."""
    import memory_breakdown  # noqa: PLC0415 (it imports this module)
    try:
        groups = memory_breakdown.classify(memory_breakdown.read_smaps(pid), 8192)
    except OSError:
        return None
    return sorted(((name, g["Rss"]) for name, g in groups.items() if g["Rss"]), key=lambda x: -x[1])


# ---------------------------------------------------------------- one full measurement of a server


def setup_user(server):
    """Registers the bench user and logs in once: the token for (a), the account for (c)."""
    post_json(server.port, "/api", {
        "query": "mutation($b: UserRegisterInput!) { register(body: $b) { message } }",
        "variables": {"b": {"email": EMAIL, "password": PASSWORD, "firstName": "Bench", "lastName": "Mark"}}})
    answer = post_json(server.port, "/api", {
        "query": "mutation($b: LoginUserDto!) { login(body: $b) { token connectySession } }",
        "variables": {"b": {"email": EMAIL, "password": PASSWORD}}})
    login = answer.get("data", {}).get("login") or {}
    if not login.get("token"):
        raise RuntimeError(f"{server.name}: login failed: {answer}")
    if not login.get("connectySession"):
        log(f"{server.name}: login has no ConnectyCube session: {answer}")
    return login["token"]


def scenarios(token, args):
    fast, slow = args.seconds, args.slow_seconds
    return [
        Scenario("a", "(a) verify, valid token", "verify", f"/auth/verify-connectycube?token={token}",
                 args.connections, fast),
        Scenario("b", "(b) POST /api { hello }", "hello", "/api", args.connections, fast),
        Scenario("c", "(c) login (emulator)", "login", "/api", args.slow_connections, slow, always_checked=True),
        Scenario("d", "(d) register (emulator)", "register", "/api", args.slow_connections, slow,
                 always_checked=True),
        Scenario("e", "(e) verify, invalid token", "invalid_token",
                 f"/auth/verify-connectycube?token={INVALID_TOKEN}", args.connections, fast, expect_4xx=True),
    ]


def measure(tmp, server, keys, token, args, tag):
    env = {"BENCH_EMAIL": EMAIL, "BENCH_PASSWORD": PASSWORD}
    results = {}
    for scenario in scenarios(token, args):
        if scenario.key not in keys:
            continue
        log(f"{server.name}: {scenario.title}")
        results[scenario.key] = run_scenario(tmp, server, scenario, args.repeats, args.warmup, args.wrk_threads, env)
        results[scenario.key]["rss_kb"] = memory_kb(server.pid, "VmRSS")
    return results


def verify_under_login(tmp, server, token, args):
    """Logins saturate the hash pool while a steady stream of verify requests is measured."""
    env = {"BENCH_EMAIL": EMAIL, "BENCH_PASSWORD": PASSWORD, "BENCH_DELAY_MS": str(args.trickle_delay_ms)}
    base = f"http://127.0.0.1:{server.port}"
    login = wrk_start(base + "/api", wrk_script(tmp, "login", True), args.slow_seconds + 2, args.slow_connections, 1, env)
    time.sleep(1)
    verify = wrk_start(f"{base}/auth/verify-connectycube?token={token}", wrk_script(tmp, "verify", True, trickle=True),
                       args.slow_seconds, 8, 1, env)
    v, l = wrk_result(verify), wrk_result(login)
    return {"verify_rps": v["rps"], "verify_p50_ms": v["p50_us"] / 1000, "verify_p99_ms": v["p99_us"] / 1000,
            "verify_errors": v["bad"] + v["socket_errors"], "login_rps": l["rps"],
            "login_errors": l["bad"] + l["socket_errors"]}


def start_times(tmp, make, count):
    """exec to the first answered request: the first start (cubeauth creates its database),
    then count restarts on the same data; returns (median of the restarts, first)."""
    times = []
    for i in range(count + 1):
        server = make(i)
        try:
            server.start()
            times.append(server.start_ms)
        finally:
            server.stop()
    return statistics.median(times[1:]), times[0]


def measure_server(tmp, server, keys, args, with_login_mix=False):
    server.start()
    token = None
    try:
        if "c" in keys or "a" in keys:
            token = setup_user(server) if server.name != "nginx" else "x"
        time.sleep(0.5)
        idle_kb = memory_kb(server.pid, "VmRSS")
        idle_pss_kb = pss_kb(server.pid)
        idle_parts = idle_breakdown(server.pid) if server.name == "cubeauth" else None
        results = measure(tmp, server, keys, token, args, server.name)
        mix = verify_under_login(tmp, server, token, args) if with_login_mix else None
        time.sleep(1)
        after_kb = memory_kb(server.pid, "VmRSS")
        peak_kb = memory_kb(server.pid, "VmHWM")
        return {"results": results, "idle_kb": idle_kb, "idle_pss_kb": idle_pss_kb, "idle_parts": idle_parts, "after_kb": after_kb, "peak_kb": peak_kb, "mix": mix,
                "token": token}
    finally:
        server.stop()


# ---------------------------------------------------------------- printing


def fmt(value, digits=0):
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    return f"{value:,.{digits}f}"


def print_report(args, figures, starts, bcrypt, soak=None):
    cores = os.cpu_count()
    out = []
    out.append(f"cubeauth HTTP benchmark  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  "
               f"{cores} cores ({cpu_model()}), loopback, wrk -t{args.wrk_threads}; "
               f"cubeauth {args.threads} I/O threads, nginx {args.threads} workers, peer 1 node process")
    out.append(f"load average (1 min) at start {args.load[0]:.1f}, at end {args.load[1]:.1f}: other work on the "
               "machine shares the cores, so compare the servers within this run")
    out.append(f"runs: warm-up {args.warmup}s (every response checked) + median of {args.repeats} x "
               f"{args.seconds}s at {args.connections} connections (login/register: {args.slow_seconds}s at "
               f"{args.slow_connections}, every response checked)")
    out.append("")
    head = f"{'scenario':<28}{'server':<10}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'CPU s/10k':>11}"
    out.append(head)
    out.append("-" * len(head))
    for scenario_key, title in [("a", "(a) verify, valid token"), ("b", "(b) POST /api { hello }"),
                                ("c", "(c) login (emulator)"), ("d", "(d) register (emulator)"),
                                ("e", "(e) verify, invalid token")]:
        first = True
        for name in ("cubeauth", "strict", "peer", "nginx"):
            r = figures.get(name, {}).get("results", {}).get(scenario_key)
            if r is None:
                continue
            out.append(f"{title if first else '':<28}{name:<10}{fmt(r['rps']):>10}{fmt(r['p50_ms'], 2):>9}"
                       f"{fmt(r['p99_ms'], 2):>9}{r['errors']:>8}{fmt(r['cpu_per_10k'], 2):>11}")
            first = False
        c = figures.get("cubeauth", {}).get("results", {}).get(scenario_key)
        p = figures.get("peer", {}).get("results", {}).get(scenario_key)
        n = figures.get("nginx", {}).get("results", {}).get(scenario_key)
        parts = []
        if c and p and p["rps"]:
            parts.append(f"req/s {c['rps'] / p['rps']:.1f}x peer")
            parts.append(f"CPU/req {p['cpu_per_10k'] / c['cpu_per_10k']:.1f}x less than peer"
                         if c["cpu_per_10k"] else "")
        if c and n and n["rps"]:
            parts.append(f"req/s {100 * c['rps'] / n['rps']:.0f}% of nginx")
            parts.append(f"p99 {c['p99_ms'] / n['p99_ms']:.2f}x nginx's" if n["p99_ms"] else "")
        s = figures.get("strict", {}).get("results", {}).get(scenario_key)
        if c and s and c["rps"]:
            parts.append(f"strict tokens: {100 * s['rps'] / c['rps']:.0f}% of cubeauth's req/s")
        if parts:
            out.append(f"{'':<28}{'ratio':<10}" + ", ".join(x for x in parts if x))
        out.append("")

    out.append(f"{'resources':<14}{'start ms':>9}{'first start':>12}{'RSS idle MB':>12}{'PSS idle MB':>12}"
               f"{'RSS peak MB':>12}{'RSS after MB':>13}")
    for name in ("cubeauth", "peer", "nginx"):
        f = figures.get(name)
        if not f:
            continue
        out.append(f"{name:<14}{fmt(starts.get(name), 1):>9}{fmt(starts.get(name + '_first'), 1):>12}"
                   f"{f['idle_kb'] / 1024:>12.1f}{f['idle_pss_kb'] / 1024:>12.1f}{f['peak_kb'] / 1024:>12.1f}"
                   f"{f['after_kb'] / 1024:>13.1f}")
    c, p = figures.get("cubeauth"), figures.get("peer")
    if c and p:
        out.append(f"{'cubeauth/peer':<14}{starts['cubeauth'] / starts['peer']:>9.2f}{'':>12}"
                   f"{c['idle_kb'] / p['idle_kb']:>12.2f}{c['idle_pss_kb'] / p['idle_pss_kb']:>12.2f}"
                   f"{c['peak_kb'] / p['peak_kb']:>12.2f}{c['after_kb'] / p['after_kb']:>13.2f}")
    out.append(f"  start: exec to the first answered GET /, median of {args.start_runs} restarts on existing data "
               "(first start: empty data folder); RSS counts shared library pages, PSS shares them out; peak: VmHWM "
               "over the whole run; after: 1 s after the last load; nginx: master + workers")
    parts = figures.get("cubeauth", {}).get("idle_parts")
    if parts:
        files = [(n, kb) for n, kb in parts if not n.startswith(("anon", "["))]
        anon = sum(kb for n, kb in parts if n.startswith(("anon", "[heap]", "[stack]")))
        out.append(f"  cubeauth RSS idle by mapping (smaps, MB): {len(files)} files "
                   f"{sum(kb for _, kb in files) / 1024:.1f} (" +
                   ", ".join(f"{n} {kb / 1024:.1f}" for n, kb in files[:6]) +
                   f", ...); heap, stacks and arenas {anon / 1024:.1f}; "
                   "bench/http/memory_breakdown.py prints all of it")
    out.append("")

    hash_cpu, hash_wall = bcrypt
    bound = cores * 1000 / hash_cpu
    out.append(f"bcrypt bound: one cost-10 hash takes {hash_cpu:.1f} ms of CPU (libxcrypt, one thread per core hashing at once, median; "
               f"{hash_wall:.1f} ms wall on this shared machine) -> at most {bound:.1f} hashes/s on {cores} cores")
    for name in ("cubeauth", "peer"):
        r = figures.get(name, {}).get("results", {})
        for k, what in (("c", "login"), ("d", "register")):
            if k in r:
                cpu_ms = r[k]["cpu_per_10k"] / 10
                out.append(f"  {name:<9} {what:<9} {r[k]['rps']:5.1f}/s = {100 * r[k]['rps'] / bound:3.0f}% of the bound; "
                           f"{cpu_ms:.0f} ms of its own CPU per {what} = {cpu_ms / hash_cpu:.2f} hashes")
    for name in ("cubeauth", "peer"):
        mix = figures.get(name, {}).get("mix")
        if mix:
            out.append(f"  {name:<9} verify while logins saturate the hash pool: p50 {mix['verify_p50_ms']:.2f} ms, "
                       f"p99 {mix['verify_p99_ms']:.2f} ms at {mix['verify_rps']:.0f} req/s "
                       f"(errors {mix['verify_errors']}); logins meanwhile {mix['login_rps']:.1f}/s "
                       f"(errors {mix['login_errors']})")
    out.append("")

    if c:
        out.append("targets (issue 7):")
        out += targets(figures, starts, bound)
    if soak:
        out.append("")
        out += soak
    print("\n".join(out), flush=True)
    return "\n".join(out)


def targets(figures, starts, bound):
    c, p, n = (figures.get(k, {}).get("results", {}) for k in ("cubeauth", "peer", "nginx"))
    cf = figures["cubeauth"]
    lines = []

    def check(ok, text):
        lines.append(f"  [{'met' if ok else 'MISSED'}] {text}")

    if "a" in c and "a" in p:
        check(c["a"]["rps"] >= 20 * p["a"]["rps"], f"verify >= 20x peer: {c['a']['rps'] / p['a']['rps']:.1f}x")
    if "b" in c and "b" in p:
        check(c["b"]["rps"] >= 8 * p["b"]["rps"], f"hello >= 8x peer: {c['b']['rps'] / p['b']['rps']:.1f}x")
    for k, what in (("a", "verify"), ("b", "hello")):
        if k in c and k in n:
            check(c[k]["rps"] >= 0.6 * n[k]["rps"], f"{what} >= 60% of nginx req/s: {100 * c[k]['rps'] / n[k]['rps']:.0f}%")
            check(c[k]["p99_ms"] <= 1.5 * n[k]["p99_ms"],
                  f"{what} p99 <= 1.5x nginx's: {c[k]['p99_ms'] / n[k]['p99_ms']:.2f}x")
    for k, what in (("c", "login"), ("d", "register")):
        if k in c:
            check(c[k]["rps"] >= 0.9 * bound, f"{what} >= 90% of the bcrypt bound: {100 * c[k]['rps'] / bound:.0f}%")
    if cf.get("mix"):
        check(cf["mix"]["verify_p99_ms"] < 5, f"verify p99 < 5 ms while logins saturate: {cf['mix']['verify_p99_ms']:.2f} ms")
    check(cf["idle_kb"] < 15 * 1024, f"RSS idle < 15 MB: {cf['idle_kb'] / 1024:.1f} MB")
    check(cf["peak_kb"] < 40 * 1024, f"RSS peak < 40 MB: {cf['peak_kb'] / 1024:.1f} MB")
    check(starts["cubeauth"] < 50, f"start to first answer < 50 ms: {starts['cubeauth']:.1f} ms")
    return lines


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


# ---------------------------------------------------------------- soak


def soak(tmp, args, emulator_port):
    """cubeauth alone under a rotating load for args.soak seconds; then the same figures again."""
    server = cubeauth_server(tmp, args.threads, emulator_port, tag="cubeauth-soak")
    server.start()
    lines = []
    try:
        token = setup_user(server)
        env = {"BENCH_EMAIL": EMAIL, "BENCH_PASSWORD": PASSWORD}
        before = measure(tmp, server, "abcde", token, args, "soak0-")
        time.sleep(1)
        rss_start = memory_kb(server.pid, "VmRSS")
        fds_start = len(os.listdir(f"/proc/{server.pid}/fd"))
        samples = [(0, rss_start)]
        started = time.monotonic()
        order = scenarios(token, args)
        i = 0
        while time.monotonic() - started < args.soak:
            scenario = order[i % len(order)]
            i += 1
            url = f"http://127.0.0.1:{server.port}{scenario.path}"
            wrk_result(wrk_start(url, wrk_script(tmp, scenario.script, False), 10, scenario.connections,
                                 args.wrk_threads, env))
            samples.append((time.monotonic() - started, memory_kb(server.pid, "VmRSS")))
        after = measure(tmp, server, "abcde", token, args, "soak1-")
        time.sleep(1)
        fds = len(os.listdir(f"/proc/{server.pid}/fd"))
        lines.append(f"soak: cubeauth under rotating load for {args.soak} s ({i} wrk runs of 10 s), "
                     f"before -> after")
        for k in "abcde":
            b, a = before[k], after[k]
            lines.append(f"  {k}: req/s {b['rps']:,.0f} -> {a['rps']:,.0f}   p99 {b['p99_ms']:.2f} -> "
                         f"{a['p99_ms']:.2f} ms   CPU s/10k {b['cpu_per_10k']:.2f} -> {a['cpu_per_10k']:.2f}   "
                         f"errors {b['errors']} -> {a['errors']}")
        rss = [kb for _, kb in samples]
        lines.append(f"  RSS MB: at soak start {rss_start / 1024:.1f}, min {min(rss) / 1024:.1f}, max "
                     f"{max(rss) / 1024:.1f}, at end {memory_kb(server.pid, 'VmRSS') / 1024:.1f}; "
                     f"peak (VmHWM) {memory_kb(server.pid, 'VmHWM') / 1024:.1f}; open fds {fds_start} -> {fds}")
        lines.append("  RSS over time (s: MB): " + ", ".join(f"{t:.0f}: {kb / 1024:.1f}" for t, kb in samples[::max(1, len(samples) // 12)]))
    finally:
        server.stop()
    return lines


# ---------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3, help="length of one timed run (fast scenarios)")
    parser.add_argument("--slow-seconds", type=float, default=5, help="length of one login/register run")
    parser.add_argument("--warmup", type=float, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--slow-connections", type=int, default=8)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="cubeauth I/O threads = nginx workers")
    parser.add_argument("--trickle-delay-ms", type=int, default=2)
    parser.add_argument("--start-runs", type=int, default=5)
    parser.add_argument("--only", default="cubeauth,peer,nginx", help="servers to measure")
    parser.add_argument("--scenarios", default="abcde")
    parser.add_argument("--soak", type=float, default=0, help="then soak cubeauth for this many seconds")
    parser.add_argument("--output", help="also write the table to this file")
    parser.add_argument("--cubeauth", default=CUBEAUTH_BINARY[0], help="the cubeauth binary (to compare builds)")
    args = parser.parse_args()
    CUBEAUTH_BINARY[0] = os.path.abspath(args.cubeauth)

    for tool in ("wrk", "nginx", "node"):
        if shutil.which(tool) is None:
            sys.exit(f"bench: {tool} is missing (CUBEAUTH_SETUP_BENCH=1 bash scripts/setup.sh)")
    only = args.only.split(",")
    tmp = tempfile.mkdtemp(prefix="cubeauth-bench-")
    emulators = []
    figures, starts = {}, {}
    try:
        started = time.monotonic()
        bcrypt = bcrypt_hash_ms()
        log(f"bcrypt cost 10: {bcrypt[0]:.1f} ms CPU, {bcrypt[1]:.1f} ms wall")
        load_before = load_average()
        if "cubeauth" in only:
            proc, cc_port = start_emulator(tmp, "cubeauth")
            emulators.append(proc)
            start_data = tempfile.mkdtemp(prefix="start-", dir=tmp)
            starts["cubeauth"], starts["cubeauth_first"] = start_times(
                tmp, lambda i: cubeauth_server(tmp, args.threads, cc_port, "start", data=start_data), args.start_runs)
            figures["cubeauth"] = measure_server(tmp, cubeauth_server(tmp, args.threads, cc_port), args.scenarios,
                                                 args, with_login_mix=True)
            if "a" in args.scenarios:
                # The cost of CUBEAUTH_STRICT_TOKENS: the same verify path with one store read.
                strict = cubeauth_server(tmp, args.threads, cc_port, "strict", extra_env={"CUBEAUTH_STRICT_TOKENS": "true"})
                figures["strict"] = measure_server(tmp, strict, "a", args)
        if "peer" in only:
            proc, cc_port = start_emulator(tmp, "peer")
            emulators.append(proc)
            starts["peer"], _ = start_times(tmp, lambda i: peer_server(tmp, cc_port), args.start_runs)
            figures["peer"] = measure_server(tmp, peer_server(tmp, cc_port), args.scenarios, args,
                                             with_login_mix=True)
        if "nginx" in only:
            starts["nginx"], _ = start_times(tmp, lambda i: nginx_server(tmp, args.threads), args.start_runs)
            figures["nginx"] = measure_server(tmp, nginx_server(tmp, args.threads),
                                              "".join(k for k in args.scenarios if k in "abe"), args)
        soak_lines = None
        if args.soak > 0:
            proc, cc_port = start_emulator(tmp, "soak")
            emulators.append(proc)
            soak_lines = soak(tmp, args, cc_port)
        log(f"done in {time.monotonic() - started:.0f} s")
        args.load = (load_before, load_average())
        text = print_report(args, figures, starts, bcrypt, soak_lines)
        if args.output:
            with open(args.output, "w") as f:
                f.write(text + "\n")
        with open(os.path.join(tmp, "figures.json"), "w") as f:
            json.dump({"figures": figures, "starts": starts, "bcrypt": bcrypt}, f, indent=1, default=str)
        log(f"raw figures and logs: {tmp}")
    finally:
        for proc in emulators:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
