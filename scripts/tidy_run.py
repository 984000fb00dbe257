#!/usr/bin/env python3
"""Runs clang-tidy over the given files, in parallel, and remembers each file's result.

    tidy_run.py ROOT JOBS CACHE_DIR FILE...      (CACHE_DIR "" turns the cache off)

Prints clang-tidy's output for every file, as a plain run would. A result is kept under a key
that covers everything it depends on: clang-tidy's version, .clang-tidy, the file's compile
command and the file preprocessed with its comments (so every header it includes, and every
NOLINT, is in the key). The work tree's path is taken out of the key, so a fresh clone
elsewhere reuses the results; it is put back into the printed findings. A file clang-tidy
cannot run on (it crashed or was killed) is reported as a finding and never kept.

No Debian package caches clang-tidy results (ccache does not run clang-tidy), hence this file.
"""
import concurrent.futures
import hashlib
import json
import os
import shlex
import subprocess
import sys

ROOT_MARK = b'<cubeauth-root>'


def compile_commands(root):
    with open(os.path.join(root, 'build/tidy/compile_commands.json'), encoding='utf-8') as f:
        entries = json.load(f)
    by_file = {}
    for entry in entries:
        path = os.path.normpath(os.path.join(entry['directory'], entry['file']))
        by_file.setdefault(path, entry)
    return by_file


def preprocess_command(entry):
    args = entry['arguments'] if 'arguments' in entry else shlex.split(entry['command'])
    out = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == '-o':
            skip = True
            continue
        if arg == '-c':
            continue
        out.append(arg)
    return out + ['-E', '-C', '-o', '-']


def cache_key(root, salt, entry):
    preprocessed = subprocess.run(preprocess_command(entry), cwd=entry['directory'],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    if preprocessed.returncode != 0:
        return None  # clang-tidy will report why
    digest = hashlib.sha256(salt)
    root_bytes = root.encode()
    digest.update(entry.get('command', ' '.join(entry.get('arguments', []))).encode()
                  .replace(root_bytes, ROOT_MARK))
    digest.update(b'\0')
    digest.update(preprocessed.stdout.replace(root_bytes, ROOT_MARK))
    return digest.hexdigest()


def run_tidy(path):
    run = subprocess.run(['clang-tidy', '-p', 'build/tidy', '--quiet',
                          '--extra-arg=-Wno-unknown-warning-option', path],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    text = run.stdout.decode('utf-8', errors='replace')
    if run.returncode > 1:  # 1 means findings; above it, clang-tidy itself failed
        return text + f'{path}:1:1: error: clang-tidy exited with status {run.returncode} [tidy-run]\n', False
    return text, True


def check(root, salt, cache_dir, entries, path):
    """Returns (output, whether it came from the cache)."""
    key = None
    if cache_dir and path in entries:
        key = cache_key(root, salt, entries[path])
        if key is not None:
            kept = os.path.join(cache_dir, key[:2], key)
            try:
                with open(kept, encoding='utf-8') as f:
                    return f.read().replace(ROOT_MARK.decode(), root), True
            except FileNotFoundError:
                pass
    output, ran = run_tidy(path)
    if key is not None and ran:
        kept = os.path.join(cache_dir, key[:2], key)
        os.makedirs(os.path.dirname(kept), exist_ok=True)
        temporary = f'{kept}.{os.getpid()}.tmp'
        with open(temporary, 'w', encoding='utf-8') as f:
            f.write(output.replace(root, ROOT_MARK.decode()))
        os.replace(temporary, kept)  # atomic: two runs never read half a result
    return output, False


def main():
    root, jobs, cache_dir, files = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    os.chdir(root)
    version = subprocess.run(['clang-tidy', '--version'], stdout=subprocess.PIPE, check=True).stdout
    with open(os.path.join(root, '.clang-tidy'), 'rb') as f:
        salt = version + b'\0' + f.read() + b'\0'
    entries = compile_commands(root) if cache_dir else {}
    reused = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for output, cached in pool.map(lambda p: check(root, salt, cache_dir, entries, p), files):
            sys.stdout.write(output)
            reused += cached
    if cache_dir:
        print(f'tidy_run: {reused} of {len(files)} file(s) unchanged since a kept result '
              f'({cache_dir})', file=sys.stderr)


if __name__ == '__main__':
    main()
