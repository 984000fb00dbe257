#!/usr/bin/env python3
"""A soak of cubeauth: N minutes of mixed traffic on loopback, with its memory and open files.

Starts the ConnectyCube emulator and cubeauth (Release build, SQLite in a temporary folder),
registers one user, then runs wrk with bench/soak/mixed.lua (verify with a valid, an invalid
and a tampered token, { hello }, { me }, login and a wrong password against the emulator,
and hostile bodies: JSON too deep, an alias bomb, not JSON, a query that is not a string)
while a side thread keeps opening hostile raw connections (headers never finished, garbage
bytes, idle connections, a body that lies about its length). Every 10 s it samples the
server's VmRSS, open file descriptors (/proc/PID/fd) and threads; at the end it prints the
table, the growth after warm-up, the statuses seen and the errors.

  python3 bench/soak/soak.py --minutes 10
  python3 bench/soak/soak.py --minutes 1 --cubeauth build/debug/src/cubeauth

Exit status 1 when a response was a 5xx, wrk saw socket errors other than the hostile
connections' resets, the server died, or the growth after warm-up passes --max-rss-growth-kb
or --max-fd-growth; 0 otherwise. Figures only otherwise: timing never fails it.
"""

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.dirname(os.path.abspath(__file__))
EMAIL = "soak@example.org"
PASSWORD = "Lantern-8812"
APP_ID = "5120"
AUTH_KEY = "soak-auth-key"


def log(text):
    print(f"[soak] {text}", file=sys.stderr, flush=True)


def start(command, env, marker):
    """Starts a server and returns (process, port) once `marker` + port is on its output."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 20
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if marker in line:
            port = int(line.split(marker, 1)[1].split()[0].split("/")[0].rstrip(")"))
            # Keep draining the output so the server never blocks on a full pipe.
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, port
    process.kill()
    raise SystemExit(f"soak: {command[0]} did not start")


def graphql(port, query, variables=None, token=None):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api", data=body,
                                     headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def sample(pid):
    status = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, value = line.partition(":")
            status[name] = value.strip()
    return {
        "rss_kb": int(status["VmRSS"].split()[0]),
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
        "threads": int(status["Threads"]),
    }


def hostile_loop(port, stop, counts):
    """Raw connections wrk cannot make, a few per second."""
    held = []
    while not stop.is_set():
        kind = random.choice(["unfinished", "garbage", "idle", "lying_length", "smuggle"])
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            if kind == "unfinished":
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                held.append(s)
            elif kind == "garbage":
                s.sendall(os.urandom(512) + b"\r\n\r\n")
                s.recv(4096)
                s.close()
            elif kind == "idle":
                held.append(s)
            elif kind == "lying_length":
                s.sendall(b"POST /api HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 1000\r\n\r\n{\"query\":")
                held.append(s)
            else:
                s.sendall(b"POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                          b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                s.recv(4096)
                s.close()
            counts[kind] = counts.get(kind, 0) + 1
        except OSError:
            counts["refused_or_reset"] = counts.get("refused_or_reset", 0) + 1
        # The server cuts held connections at its deadlines; drop our side after a while.
        while len(held) > 20:
            held.pop(0).close()
        stop.wait(0.3)
    for s in held:
        s.close()


def open_files(pid, port, emulator_port, folder):
    """Open files of pid by kind: accepted connections, pooled connections to ConnectyCube
    (the emulator), SQLite files, and everything else (listening sockets, pipes, eventfds)."""
    sockets = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    local, remote = int(fields[1].split(":")[1], 16), int(fields[2].split(":")[1], 16)
                    sockets[fields[9]] = (local, remote, fields[3])
        except OSError:
            pass
    kinds = {"accepted": 0, "to ConnectyCube": 0, "sqlite": 0, "other": 0}
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        local, remote, state = sockets.get(target[8:-1], (0, 0, "")) if target.startswith("socket:[") else (0, 0, "")
        if target.startswith(folder):
            kinds["sqlite"] += 1
        elif local == port and state != "0A":
            kinds["accepted"] += 1
        elif remote == emulator_port:
            kinds["to ConnectyCube"] += 1
        else:
            kinds["other"] += 1
    return kinds


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=60, help="seconds before the reference sample")
    parser.add_argument("--interval", type=float, default=10, help="seconds between samples")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--cubeauth", default=os.path.join(ROOT, "build/release/src/cubeauth"))
    parser.add_argument("--emulator", default=os.path.join(
        ROOT, "build/release/tools/connectycube_emulator/connectycube_emulator"))
    parser.add_argument("--max-rss-growth-kb", type=int, default=16384)
    parser.add_argument("--max-fd-growth", type=int, default=0)
    parser.add_argument("--bcrypt-cost", default="4",
                        help="cost of the logins' hashes (the soak looks for leaks, not at bcrypt)")
    args = parser.parse_args()
    duration = int(args.minutes * 60)

    folder = tempfile.mkdtemp(prefix="cubeauth-soak-")
    emulator, emulator_port = start([args.emulator, "--port=0", f"--app-id={APP_ID}", f"--auth-key={AUTH_KEY}"],
                                    dict(os.environ), "listening on 127.0.0.1:")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOST": "127.0.0.1", "PORT": "0", "CUBEAUTH_THREADS": "2",
        "JWT_SECRET": "soak-secret-0123456789abcdef0123456789abcdef",
        "DATABASE_URL": f"sqlite://{folder}/cubeauth.db",
        "APP_ID": APP_ID, "AUTH_KEY": AUTH_KEY, "CONNECTYCUBE_API_URL": f"http://127.0.0.1:{emulator_port}",
        "CUBEAUTH_ACCESS_LOG": "false",
        "BCRYPT_COST": args.bcrypt_cost,
        # One client address sends everything: the per-client limit would answer most logins 429.
        "CUBEAUTH_RATE_PER_CLIENT_BURST": "0",
        "CUBEAUTH_RATE_FAILED_LOGINS_BURST": "0",
        "CUBEAUTH_IDLE_TIMEOUT": "2s", "CUBEAUTH_HEADER_TIMEOUT": "3s", "CUBEAUTH_BODY_TIMEOUT": "3s",
    }
    server, port = start([args.cubeauth], env, "listening on http://127.0.0.1:")
    pid = server.pid
    log(f"cubeauth pid {pid} on port {port}, emulator on {emulator_port}, {duration} s of load")

    registered = graphql(port, "mutation($b: UserRegisterInput!) { register(body: $b) { message } }",
                         {"b": {"email": EMAIL, "password": PASSWORD, "firstName": "Soak", "lastName": "Test"}})
    assert "errors" not in registered, registered
    logged_in = graphql(port, "mutation($b: LoginUserDto!) { login(body: $b) { token } }",
                        {"b": {"email": EMAIL, "password": PASSWORD}})
    token = logged_in["data"]["login"]["token"]
    time.sleep(6)  # the ConnectyCube pool's connection from the login closes
    idle_before = sample(pid)
    files_before = open_files(pid, port, emulator_port, folder)
    load_start = loadavg()

    stop = threading.Event()
    hostile_counts = {}
    hostile = threading.Thread(target=hostile_loop, args=(port, stop, hostile_counts), daemon=True)
    hostile.start()
    wrk = subprocess.Popen(["wrk", "-t2", f"-c{args.connections}", f"-d{duration}s", "--timeout", "10s",
                            "-s", os.path.join(HERE, "mixed.lua"), f"http://127.0.0.1:{port}",
                            "--", token, EMAIL, PASSWORD],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    started = time.time()
    samples = []
    while wrk.poll() is None:
        elapsed = time.time() - started
        if server.poll() is not None:
            break
        samples.append((round(elapsed), sample(pid)))
        time.sleep(max(0.0, args.interval - (time.time() - started - elapsed)))
    wrk_output = wrk.communicate()[0]
    stop.set()
    hostile.join()
    load_end = loadavg()
    alive = server.poll() is None
    # Past the idle timeout (2 s) and the ConnectyCube pool's (4 s): every connection is gone.
    time.sleep(6)
    idle_after = sample(pid) if alive else None
    if alive:
        files_after = open_files(pid, port, emulator_port, folder)

    print(f"cubeauth soak  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}  {duration} s, "
          f"wrk -t2 -c{args.connections} mixed.lua + hostile raw connections; "
          f"{os.cpu_count()} cores, load average (1 min) {load_start} at start, {load_end} at end")
    print(f"{'t (s)':>6} {'RSS MB':>8} {'fds':>5} {'threads':>8}")
    for elapsed, s in samples:
        print(f"{elapsed:>6} {s['rss_kb'] / 1024:>8.1f} {s['fds']:>5} {s['threads']:>8}")
    reference = next((s for t, s in samples if t >= args.warmup), samples[0][1] if samples else idle_before)
    last = samples[-1][1] if samples else idle_before
    peak = max((s["rss_kb"] for _, s in samples), default=0)
    rss_growth = last["rss_kb"] - reference["rss_kb"]
    print(f"RSS after warm-up ({int(args.warmup)} s) {reference['rss_kb'] / 1024:.1f} MB, at the end "
          f"{last['rss_kb'] / 1024:.1f} MB: growth {rss_growth / 1024:+.1f} MB; peak {peak / 1024:.1f} MB")
    if idle_after:
        print(f"idle (no load): before {idle_before['rss_kb'] / 1024:.1f} MB RSS, {idle_before['fds']} fds, "
              f"{idle_before['threads']} threads; after {idle_after['rss_kb'] / 1024:.1f} MB RSS, "
              f"{idle_after['fds']} fds, {idle_after['threads']} threads")
        print(f"open files when idle, before -> after: " + ", ".join(
            f"{kind} {files_before[kind]} -> {files_after[kind]}" for kind in files_before) +
              "  (pools: up to 16 connections to ConnectyCube per I/O thread, SQLite connections; both bounded)")
    statuses, summary = {}, {}
    for line in wrk_output.splitlines():
        if line.startswith("SOAK_STATUSES "):
            statuses = json.loads(line.split(" ", 1)[1])
        elif line.startswith("SOAK_SUMMARY "):
            summary = json.loads(line.split(" ", 1)[1])
    print(f"wrk: {summary.get('requests', 0):,} requests ({summary.get('requests', 0) / max(duration, 1):,.0f}/s), "
          f"p50 {summary.get('p50_ms', 0)} ms, p99 {summary.get('p99_ms', 0)} ms; socket errors connect "
          f"{summary.get('connect')}, read {summary.get('read')}, write {summary.get('write')}, "
          f"timeout {summary.get('timeout')}")
    print("statuses: " + ", ".join(f"{k}: {v:,}" for k, v in sorted(statuses.items())) +
          "  (by design: 200 for verify/hello/me/login and GraphQL errors, 401 for bad tokens, 400 for the hostile bodies)")
    print("hostile raw connections: " + ", ".join(f"{k} {v}" for k, v in sorted(hostile_counts.items())))

    failures = []
    if not alive:
        failures.append("the server exited during the soak")
    server_errors = sum(v for k, v in statuses.items() if k.startswith("5"))
    if server_errors:
        failures.append(f"{server_errors} responses were 5xx")
    unexpected = sorted(k for k in statuses if k not in ("200", "400", "401"))
    if unexpected:
        failures.append(f"unexpected statuses {unexpected}")
    if summary.get("timeout", 0) or summary.get("connect", 0):
        failures.append("wrk saw connect errors or timeouts")
    if rss_growth > args.max_rss_growth_kb:
        failures.append(f"RSS grew {rss_growth} kB after warm-up (bound {args.max_rss_growth_kb})")
    if idle_after:
        if files_after["accepted"]:
            failures.append(f"{files_after['accepted']} accepted connections still open when idle")
        if files_after["other"] - files_before["other"] > args.max_fd_growth:
            failures.append(f"{files_after['other'] - files_before['other']} more open files (not pooled) when idle")
        if files_after["to ConnectyCube"] > 16 * 2:
            failures.append(f"{files_after['to ConnectyCube']} connections to ConnectyCube: above the pools' bound")

    server.send_signal(signal.SIGTERM)
    code = server.wait(timeout=20)
    emulator.send_signal(signal.SIGTERM)
    emulator.wait(timeout=10)
    print(f"cubeauth exit status after SIGTERM: {code}")
    if code != 0:
        failures.append(f"exit status {code} after SIGTERM")
    for failure in failures:
        print(f"soak: FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
