#!/usr/bin/env python3
"""Move the cover letter's text between patches/0000-cover-letter.patch and
the kernel tree's branch description (which `git format-patch
--cover-from-description=subject` turns back into the same 0000 patch).

    cover.py extract patches/0000-cover-letter.patch   -> description on stdout
"""
import re
import sys


def extract(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    subject, i = None, 0
    while i < len(lines) and lines[i] != "":
        m = re.match(r"Subject: \[PATCH[^\]]*\] ?(.*)", lines[i])
        if m:
            subject = m.group(1)
            # folded header lines
            while i + 1 < len(lines) and lines[i + 1].startswith(" "):
                i += 1
                subject += lines[i]
        i += 1
    if subject is None:
        sys.exit(f"error: {path}: no Subject line")
    body = []
    for line in lines[i + 1:]:
        if re.match(r"^.* \(\d+\):$", line):
            break
        body.append(line)
    while body and body[-1] == "":
        body.pop()
    print(subject)
    print()
    print("\n".join(body))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "extract":
        sys.exit(__doc__)
    extract(sys.argv[2])
