#!/usr/bin/env python3
"""The result of make fstests: a table test x section x kernel, and the rule.

Reads each run directory <runs>/<base>-<kernel>-<section>/ that
scripts/fstests.sh wrote (tests: the tests it ran; check.out: fstests'
./check output; stuck: present when the VM did not finish; splats: the
warnings of the whole console, a row "kernel-log" of its own) and prints a
Markdown table, a line per test and section: pass, fail or notrun on each
kernel, with fstests' own reason.

The rule: the series adds no failure.  A test that fails on patched is a
failure of this run unless it also failed on pristine and
fstests/known-failures lists it (then skipped, with the listed reason); a
test fstests did not run on patched is skipped; every other test passed.
The last line, also written to --result, is
"<name>: N passed, N failed, N skipped".  Exits 1 when N failed > 0.
"""
import argparse
import os
import re
import sys

TEST = re.compile(r'^([a-z0-9]+/[0-9]+)\s+(.*)$')


def parse_check(path):
    """{test: (status, reason)} from ./check's output."""
    res = {}
    failures, notrun = set(), set()
    if not os.path.exists(path):
        return res
    with open(path, errors='replace') as f:
        lines = [ln.rstrip('\n') for ln in f]
    for ln in lines:
        if ln.startswith('Failures:'):
            failures.update(ln.split()[1:])
            continue
        if ln.startswith('Not run:'):
            notrun.update(ln.split()[2:])
            continue
        m = TEST.match(ln)
        if not m:
            continue
        test, rest = m.group(1), m.group(2).strip()
        if '[not run]' in rest:
            res[test] = ('notrun', rest.split('[not run]', 1)[1].strip())
        elif '[expunged]' in rest:
            res[test] = ('notrun', 'expunged')
        elif re.match(r'^(\d+s\s+\.\.\.\s+)?\d+s$', rest):
            res[test] = ('pass', '')
        else:
            reason = re.sub(r'^(\d+s\s+\.\.\.\s*)', '', rest)
            res[test] = ('fail', reason)
    for t in failures:
        if res.get(t, ('',))[0] != 'fail':
            res[t] = ('fail', res.get(t, ('', 'listed under Failures'))[1] or 'listed under Failures')
    for t in notrun:
        if t not in res:
            res[t] = ('notrun', 'listed under Not run')
    return res


def load_known(path):
    """{(test, section or '*'): reason} from fstests/known-failures."""
    known = {}
    if not os.path.exists(path):
        return known
    with open(path) as f:
        for ln in f:
            ln = ln.strip()
            if not ln or ln.startswith('#'):
                continue
            parts = ln.split(None, 2)
            if len(parts) < 3:
                sys.exit('fstests/known-failures: "<test> <section|*> <reason>", not: ' + ln)
            known[(parts[0], parts[1])] = parts[2]
    return known


def short(s, n=90):
    s = s.replace('|', '/')
    return s if len(s) <= n else s[:n - 3] + '...'


def main():
    ap = argparse.ArgumentParser()
    for a in ('name', 'runs', 'base', 'kernels', 'sections', 'known', 'header',
              'table', 'result'):
        ap.add_argument('--' + a, required=True)
    ap.add_argument('--save')
    o = ap.parse_args()
    kernels = o.kernels.split()
    known = load_known(o.known)
    rows, passed, failed, skipped, why = [], 0, 0, 0, []
    for sec in o.sections.split():
        runs, tests = {}, []
        for k in kernels:
            d = os.path.join(o.runs, '%s-%s-%s' % (o.base, k, sec))
            stuck = ''
            if os.path.exists(os.path.join(d, 'stuck')):
                stuck = open(os.path.join(d, 'stuck')).read().strip()
            r = parse_check(os.path.join(d, 'check.out'))
            splats = os.path.join(d, 'splats')
            if os.path.exists(splats):
                first = open(splats, errors='replace').read().strip().split('\n')[0]
                r['kernel-log'] = ('fail', first) if first else ('pass', '')
            if os.path.exists(os.path.join(d, 'tests')):
                for t in open(os.path.join(d, 'tests')).read().split():
                    if t not in tests:
                        tests.append(t)
                    if t not in r:
                        r[t] = ('fail', stuck or 'no result in check.out')
            if 'kernel-log' in r and 'kernel-log' not in tests:
                tests.append('kernel-log')
            runs[k] = r
        for t in tests:
            cells = [runs[k].get(t, ('-', 'not run by this make')) for k in kernels]
            pat = runs.get('patched', {}).get(t)
            pri = runs.get('pristine', {}).get(t)
            verdict = ''
            if pat is None:
                verdict = 'no patched run'
            elif pat[0] == 'pass':
                passed += 1
            elif pat[0] == 'notrun':
                skipped += 1
            elif pri is not None and pri[0] == 'fail':
                reason = known.get((t, sec)) or known.get((t, '*'))
                if reason:
                    skipped += 1
                    verdict = 'known pristine failure: ' + reason
                else:
                    failed += 1
                    verdict = 'FAIL: fails on pristine too, not in fstests/known-failures'
            else:
                failed += 1
                verdict = 'FAIL: the series adds this failure' if pri and pri[0] == 'pass' \
                    else 'FAIL: no pristine result to compare'
            if verdict.startswith('FAIL'):
                why.append('%s %s: %s (patched: %s)' % (t, sec, verdict, short(pat[1], 120)))
            rows.append([t, sec] + ['%s%s' % (c[0], ' (%s)' % short(c[1]) if c[1] else '')
                                    for c in cells] + [verdict])
    hdr = ['test', 'section'] + kernels + ['verdict']
    out = ['# %s' % o.name, '', o.header, '',
           '| ' + ' | '.join(hdr) + ' |', '|' + '---|' * len(hdr)]
    out += ['| ' + ' | '.join(r) + ' |' for r in rows]
    total = '%s: %d passed, %d failed, %d skipped' % (o.name, passed, failed, skipped)
    out += ['', total]
    text = '\n'.join(out) + '\n'
    for path in filter(None, (o.table, o.save)):
        with open(path, 'w') as f:
            f.write(text)
    print('\n'.join(out[2:-2]))
    for w in why:
        print('MISMATCH ' + w)
    with open(o.result, 'w') as f:
        f.write(total + '\n')
    print(total)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
