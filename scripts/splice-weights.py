#!/usr/bin/env python3
"""Puts the weight functions of a benchmark run of some extrinsics (NEW, a generated weights
file) into a pallet's generated weights file (FILE): each replaces the function of the same name,
with its storage notes, or is added at the end of the implementation. The other functions keep
the run that generated them, and FILE's header records the splice.
Usage: splice-weights.py FILE NEW"""
import re
import sys

path, new_path = sys.argv[1:3]
FN = re.compile(r"^\tfn (\w+)\(")


def functions(lines):
    """{name: (start, end)} of each `\tfn` in the impl, its `\t///` notes included."""
    found, i = {}, 0
    while i < len(lines):
        m = FN.match(lines[i])
        if m:
            start = i
            while start > 0 and lines[start - 1].startswith("\t///"):
                start -= 1
            end = i
            while lines[end] != "\t}\n":
                end += 1
            found[m.group(1)] = (start, end + 1)
            i = end
        i += 1
    return found


lines = open(path).readlines()
new = open(new_path).readlines()
new_date = next((l for l in new if l.startswith("//! DATE:")), "").strip()
spliced = functions(new)
for name, (start, end) in spliced.items():
    body = new[start:end]
    old = functions(lines)
    if name in old:
        s, e = old[name]
        lines[s:e] = body
    else:
        close = max(i for i, l in enumerate(lines) if l == "}\n")
        lines[close:close] = body
names = ", ".join(f"`{name}`" for name in spliced)
header_end = next(i for i, l in enumerate(lines) if l.startswith("//! WASM-EXECUTION"))
lines.insert(header_end + 1, f"//! {names} from a later run ({new_date.removeprefix('//! ')}).\n")
open(path, "w").writelines(lines)
