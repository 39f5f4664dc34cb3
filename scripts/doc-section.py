#!/usr/bin/env python3
"""Replaces the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in a document with the
contents of a file (a benchmark's table); appends the section (under HEADING, if given) if the
markers are missing.
Usage: doc-section.py DOC NAME FILE [HEADING]"""
import sys

doc, name, path = sys.argv[1:4]
heading = sys.argv[4] if len(sys.argv) > 4 else None
table = open(path).read()
text = open(doc).read()
begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
if begin in text:
    head, rest = text.split(begin, 1)
    text = head + begin + "\n" + table + end + rest.split(end, 1)[1]
else:
    text += "\n" + (heading + "\n\n" if heading else "") + begin + "\n" + table + end + "\n"
open(doc, "w").write(text)
