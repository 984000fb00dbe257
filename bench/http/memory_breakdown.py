#!/usr/bin/env python3
"""What cubeauth's idle resident memory consists of, from /proc/PID/smaps.

Starts cubeauth the way run_bench.py does (SQLite in a temporary folder, the ConnectyCube
emulator attached), registers and logs in the bench user, waits 0.5 s (the moment the benchmark
reads "RSS idle") and prints Rss, Pss, Private_Dirty and Shared_Clean per mapped file and per kind
of anonymous memory (heap, thread stacks, malloc arenas), the threads, and the dynamic loader's
statistics (LD_DEBUG=statistics).

    python3 bench/http/memory_breakdown.py [--cubeauth build/release/src/cubeauth] [--threads 2]
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_bench  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")
FIELDS = ("Rss", "Pss", "Private_Dirty", "Shared_Clean", "Private_Clean")
MIB = 1024


def read_smaps(pid):
    """[(start, end, perms, path, {field: kB})] for every mapping."""
    maps, current = [], None
    header = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$")
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            m = header.match(line)
            if m:
                current = (int(m.group(1), 16), int(m.group(2), 16), m.group(3), m.group(4).strip(), {})
                maps.append(current)
                continue
            key, _, rest = line.partition(":")
            if key in FIELDS and current is not None:
                current[4][key] = int(rest.split()[0])
    return maps


def classify(maps, stack_kb):
    """Groups mappings: a file's basename, [heap], [stack], thread stack, malloc arena, other anon."""
    groups = collections.OrderedDict()
    for i, (start, end, perms, path, fields) in enumerate(maps):
        size_kb = (end - start) // 1024
        if path and not path.startswith("["):
            name = os.path.basename(path)
        elif path:
            name = path
        else:
            # A thread stack: an rw mapping of the default stack size right above a guard page.
            below = maps[i - 1] if i else None
            if perms.startswith("rw") and below and below[2].startswith("---") and below[1] == start \
                    and abs(size_kb - stack_kb) <= 8:
                name = "anon: thread stacks"
            elif perms.startswith("rw") and size_kb <= 64 * MIB and (i + 1 < len(maps)) \
                    and maps[i + 1][2].startswith("---") and maps[i + 1][0] == end and not maps[i + 1][3]:
                name = "anon: malloc arenas (threads)"
            else:
                name = "anon: other"
        g = groups.setdefault(name, collections.Counter())
        g["mappings"] += 1
        for k in FIELDS:
            g[k] += fields.get(k, 0)
    return groups


def resident_by_section(pid, binary):
    """kB of the program's own file resident per ELF section (/proc/PID/pagemap's present bit),
    with the embedded playground blobs (.incbin) as a section of their own."""
    sections = []
    for line in subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True).stdout.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m and int(m.group(2), 16) and int(m.group(4), 16):
            sections.append([m.group(1), int(m.group(2), 16), int(m.group(2), 16) + int(m.group(4), 16)])
    symbols = subprocess.run(["nm", binary], capture_output=True, text=True).stdout
    blobs = [int(a, 16) for a, name in re.findall(r"^([0-9a-f]+) \S (cubeauth_playground_\w+_(?:begin|end))$",
                                                   symbols, re.M)]
    if blobs:
        sections.append(["playground blobs", min(blobs), max(blobs)])
    base = None
    ranges = []
    for line in open(f"/proc/{pid}/maps"):
        parts = line.split()
        if len(parts) >= 6 and os.path.realpath(parts[5]) == os.path.realpath(binary):
            start, end = (int(x, 16) for x in parts[0].split("-"))
            offset = int(parts[2], 16)
            if base is None:
                base = start - offset
            ranges.append((start, end))
    counts = collections.Counter()
    with open(f"/proc/{pid}/pagemap", "rb") as pm:
        for start, end in ranges:
            pm.seek(start // PAGE * 8)
            data = pm.read((end - start) // PAGE * 8)
            for i in range(0, len(data), 8):
                if int.from_bytes(data[i:i + 8], "little") >> 63:
                    address = start + (i // 8) * PAGE - base
                    owner = "(headers, padding)"
                    for name, lo, hi in sorted(sections, key=lambda x: x[2] - x[1]):
                        if lo <= address < hi or (lo < address + PAGE and address < hi):
                            owner = name
                            break
                    counts[owner] += PAGE // 1024
    sizes = {name: (hi - lo) // 1024 for name, lo, hi in sections}
    return counts, sizes


def loader_statistics(binary, env):
    """LD_DEBUG=statistics of a run that only loads (the program exits on a bad variable)."""
    probe = dict(env, LD_DEBUG="statistics", PORT="not-a-port")
    out = subprocess.run([binary], env=probe, capture_output=True, text=True, timeout=30).stderr
    keep = [re.sub(r"^\s*\d+:\s*", "", l) for l in out.splitlines()
            if re.search(r"relocations|objects|total startup time|time needed", l)]
    return keep


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cubeauth", default=run_bench.CUBEAUTH_BINARY[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for cubeauth (repeatable)")
    parser.add_argument("--no-login", action="store_true", help="measure right after start")
    args = parser.parse_args()
    run_bench.CUBEAUTH_BINARY[0] = os.path.abspath(args.cubeauth)

    tmp = tempfile.mkdtemp(prefix="cubeauth-memory-")
    emulator, cc_port = run_bench.start_emulator(tmp, "memory")
    extra = dict(kv.split("=", 1) for kv in args.env)
    server = run_bench.cubeauth_server(tmp, args.threads, cc_port, extra_env=extra)
    try:
        server.start()
        if not args.no_login:
            run_bench.setup_user(server)
        time.sleep(0.5)
        pid = server.pid
        maps = read_smaps(pid)
        status = {l.split(":")[0]: l.split(":", 1)[1].strip() for l in open(f"/proc/{pid}/status")}
        tasks = sorted(os.listdir(f"/proc/{pid}/task"), key=int)
        names = collections.Counter(open(f"/proc/{pid}/task/{t}/comm").read().strip() for t in tasks)
        stack_kb = int(subprocess.run(["sh", "-c", "ulimit -s"], capture_output=True, text=True).stdout.strip() or 8192)
        groups = classify(maps, stack_kb)
        sections, section_kb = resident_by_section(pid, args.cubeauth)
        stats = loader_statistics(args.cubeauth, server.env)
    finally:
        server.stop()
        emulator.terminate()
        emulator.wait()

    total = collections.Counter()
    for g in groups.values():
        total.update({k: g[k] for k in FIELDS})
    print(f"cubeauth idle memory  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  {args.cubeauth}")
    print(f"VmRSS {int(status['VmRSS'].split()[0]) / MIB:.1f} MB (anon {int(status['RssAnon'].split()[0]) / MIB:.1f}, "
          f"file {int(status['RssFile'].split()[0]) / MIB:.1f}), Pss {total['Pss'] / MIB:.1f} MB, "
          f"{status['Threads']} threads: " + ", ".join(f"{n} x{c}" for n, c in names.items()))
    head = f"{'mapping':<36}{'maps':>5}{'Rss kB':>9}{'Pss kB':>9}{'Priv_Dirty':>11}{'Shr_Clean':>10}{'Priv_Clean':>11}"
    print(head)
    print("-" * len(head))
    for name, g in sorted(groups.items(), key=lambda kv: -kv[1]["Rss"]):
        if g["Rss"] == 0:
            continue
        print(f"{name[:35]:<36}{g['mappings']:>5}{g['Rss']:>9}{g['Pss']:>9}{g['Private_Dirty']:>11}"
              f"{g['Shared_Clean']:>10}{g['Private_Clean']:>11}")
    print(f"{'total':<36}{sum(g['mappings'] for g in groups.values()):>5}{total['Rss']:>9}{total['Pss']:>9}"
          f"{total['Private_Dirty']:>11}{total['Shared_Clean']:>10}{total['Private_Clean']:>11}")
    print("the program's own pages, resident kB per section (of its size): " +
          ", ".join(f"{n} {kb} ({section_kb.get(n, 0)})" for n, kb in sections.most_common()))
    files = sum(1 for n in groups if not n.startswith(("anon", "[")))
    print(f"{files} mapped files; the dynamic loader: " + "; ".join(stats))


if __name__ == "__main__":
    main()
