#!/usr/bin/env python3
"""The ceiling of any word-list corrector on a spelling dev set (docs/BENCHMARKS.md, issue 18).

An oracle that knows the answer takes the target whenever it is a listed word within E edits of
the input (insertion, deletion, substitution, swap of neighbours: model.lexicon_edits), and
otherwise the best-scoring of the input and every listed word within E edits. Each candidate is
scored by `cvae-cli score bleu` (BLEU-4, nltk method1), so the figure is the workbench's own.

usage: spelling_oracle.py CVAE_CLI TRAIN_JSON DEV_JSON [--lexicon FILE] [--edits E]
"""
import argparse
import json
import os
import re
import subprocess
import tempfile

LETTERS = 'abcdefghijklmnopqrstuvwxyz'


def edits1(word):
    splits = [(word[:k], word[k:]) for k in range(len(word) + 1)]
    out = set()
    for a, b in splits:
        if b:
            out.add(a + b[1:])
        if len(b) > 1:
            out.add(a + b[1] + b[0] + b[2:])
        for c in LETTERS:
            if b:
                out.add(a + c + b[1:])
            out.add(a + c + b)
    return out


def within(word, edits):
    frontier, seen = {word}, {word}
    for _ in range(edits):
        step = set()
        for w in frontier:
            step |= edits1(w)
        step -= seen
        seen |= step
        frontier = step
    return seen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('cli')
    parser.add_argument('train_json')
    parser.add_argument('dev_json')
    parser.add_argument('--lexicon', default='/usr/share/dict/american-english')
    parser.add_argument('--edits', type=int, default=2)
    args = parser.parse_args()
    listed = {w.strip() for w in open(args.lexicon, encoding='utf-8')
              if re.fullmatch('[a-z]+', w.strip())}
    listed |= {e['target'] for e in json.load(open(args.train_json, encoding='utf-8'))}
    pairs = [(i, e['target']) for e in json.load(open(args.dev_json, encoding='utf-8'))
             for i in e['input']]
    reached, lines, owner = 0, [], []
    for k, (typed, target) in enumerate(pairs):
        candidates = {c for c in within(typed, args.edits) if c in listed}
        if target in candidates:
            reached += 1
            continue
        for c in sorted(candidates | {typed}):
            lines.append(f'{c}\t{target}')
            owner.append(k)
    best = {}
    if lines:
        with tempfile.NamedTemporaryFile('w', suffix='.tsv', delete=False) as f:
            f.write('\n'.join(lines) + '\n')
        try:
            scored = subprocess.run([args.cli, 'score', 'bleu', f.name], check=True,
                                    capture_output=True, text=True).stdout.splitlines()
        finally:
            os.unlink(f.name)
        for k, row in zip(owner, scored):
            best[k] = max(best.get(k, 0.0), float(row.split('\t')[2]))
    n = len(pairs)
    print(f'{n} pairs, {args.edits} edits: target within reach {reached} ({reached / n:.3f}); '
          f'oracle BLEU-4 {(reached + sum(best.values())) / n:.4f}; the other {n - reached} '
          f'average {sum(best.values()) / max(1, len(best)):.3f}')


if __name__ == '__main__':
    main()
