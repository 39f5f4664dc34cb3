#!/usr/bin/env python3
"""Mirrors a clone's files into the fixed directory cargo builds from (scripts/env.sh).

Usage: sync-build-root.py SOURCE BUILD_ROOT

Cargo decides what to rebuild by comparing file times with its artifacts' times. A fresh clone
gives every file a new time, so building a new clone straight from it recompiled every crate of
the workspace (the runtime, its Wasm, every pallet and test binary) even when one line changed.
Here a file in BUILD_ROOT is rewritten only when its content differs from the clone's, so its
time changes exactly when its content does, and cargo rebuilds what changed and what depends on
it. Files are those git tracks plus untracked ones it does not ignore (uncommitted work is built
too); files of BUILD_ROOT that are not among them are removed. An older set-up made BUILD_ROOT a
symbolic link to the clone: the link is replaced (the clone it pointed to is left alone).
"""

import os
import stat
import subprocess
import sys
import tempfile

SKIPPED_DIRS = {".git", "node_modules", "target", ".tmp"}


def source_files(source):
    """Relative paths of the files to mirror: from git, else every file outside SKIPPED_DIRS."""
    try:
        out = subprocess.run(
            ["git", "-C", source, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            check=True,
            capture_output=True,
        ).stdout
        names = [n.decode() for n in out.split(b"\0") if n]
        # A tracked file deleted in the working tree is still listed: it is not built.
        return sorted(n for n in set(names) if os.path.lexists(os.path.join(source, n)))
    except (OSError, subprocess.CalledProcessError):
        names = []
        for root, dirs, files in os.walk(source):
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
            names += [os.path.relpath(os.path.join(root, f), source) for f in files]
        return sorted(names)


def same_content(a, b):
    try:
        if os.path.getsize(a) != os.path.getsize(b):
            return False
        with open(a, "rb") as fa, open(b, "rb") as fb:
            while True:
                ca, cb = fa.read(1 << 20), fb.read(1 << 20)
                if ca != cb:
                    return False
                if not ca:
                    return True
    except OSError:
        return False


def mirror_file(src, dst):
    """Makes dst a copy of src; returns whether anything was written."""
    if os.path.islink(src):
        target = os.readlink(src)
        if os.path.islink(dst) and os.readlink(dst) == target:
            return False
        if os.path.lexists(dst):
            os.unlink(dst)
        os.symlink(target, dst)
        return True
    mode = stat.S_IMODE(os.stat(src).st_mode)
    if not os.path.islink(dst) and os.path.isfile(dst) and same_content(src, dst):
        if stat.S_IMODE(os.stat(dst).st_mode) != mode:
            os.chmod(dst, mode)  # changes the inode's ctime only: cargo reads mtimes
        return False
    # Written beside it, then renamed over it: a concurrent reader sees the old or the new file.
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(dst), prefix=".sync-")
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            while chunk := inp.read(1 << 20):
                out.write(chunk)
        os.chmod(tmp, mode)
        if os.path.isdir(dst) and not os.path.islink(dst):
            remove_tree(dst)
        os.replace(tmp, dst)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise
    return True


def remove_tree(path):
    for root, dirs, files in os.walk(path, topdown=False):
        for f in files:
            os.unlink(os.path.join(root, f))
        for d in dirs:
            p = os.path.join(root, d)
            os.unlink(p) if os.path.islink(p) else os.rmdir(p)
    os.rmdir(path)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, build_root = (os.path.abspath(p) for p in sys.argv[1:])
    if os.path.islink(build_root):
        os.unlink(build_root)
    os.makedirs(build_root, exist_ok=True)

    wanted = source_files(source)
    written = 0
    for name in wanted:
        dst = os.path.join(build_root, name)
        parent = os.path.dirname(dst)
        if os.path.lexists(parent) and not os.path.isdir(parent):
            os.unlink(parent)
        os.makedirs(parent, exist_ok=True)
        written += mirror_file(os.path.join(source, name), dst)

    keep = set(wanted)
    removed = 0
    for root, dirs, files in os.walk(build_root, topdown=False):
        for f in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            path = os.path.join(root, f)
            # A ".sync-" file is another sync's copy in flight (the scripts start each other).
            if f.startswith(".sync-") or os.path.relpath(path, build_root) in keep:
                continue
            try:
                os.unlink(path)
                removed += 1
            except FileNotFoundError:
                pass
        for d in dirs:
            path = os.path.join(root, d)
            try:
                if not os.path.islink(path) and not os.listdir(path):
                    os.rmdir(path)
            except OSError:
                pass
    if written or removed:
        print(f"build root {build_root}: {written} files written, {removed} removed", file=sys.stderr)


if __name__ == "__main__":
    main()
