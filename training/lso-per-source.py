# Per-source leave-source-out AUC from `fastladeda eval --scores` of lso-tables.sh's pool (a one-class source against every
# held-out image of the other class, as its per-source sets) — for LaDeDa models, whose full layout eval costs ~0.1 s per image per set.
#   python3 training/lso-per-source.py SCORES.csv
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if not r['error']]
def auc(pos, neg):
    s = 0.0
    for p in pos:
        for n in neg: s += 1.0 if p > n else 0.5 if p == n else 0.0
    return 100 * s / (len(pos) * len(neg))
src = lambda r: r['path'].split('/')[-1].split('__')[0]
truth = lambda r: r['truth'] if 'truth' in r else r['label']  # 'label' in files written before the column was renamed
real = [r for r in rows if truth(r) == 'real']; fake = [r for r in rows if truth(r) == 'fake']
out = {}
for s in sorted({src(r) for r in rows}):
    mine = [float(r['logit']) for r in rows if src(r) == s]
    if any(src(r) == s for r in real): out[s] = auc([float(r['logit']) for r in fake], mine)
    else: out[s] = auc(mine, [float(r['logit']) for r in real])
for s, v in out.items(): print(f"{s},{v:.1f}")
print(f"mean8,{sum(out.values())/len(out):.1f}")
print(f"all_heldout,{auc([float(r['logit']) for r in fake],[float(r['logit']) for r in real]):.1f}")
