"""The Python peer for bench/analyze: pingouin for alpha (overall and per
facet) and item statistics, factor_analyzer for a 3-factor minres/oblimin
EFA. Neither offers omega, so that part is R psych's alone.
Usage: python3 peer_python.py FILE"""
import json
import re
import sys

import pandas as pd
import pingouin as pg
from factor_analyzer import FactorAnalyzer

x = pd.read_csv(sys.argv[1])
reverse = [c for c in ["FA1", "AU1", "ER2", "SN2", "CN2", "VS3", "CT3", "DD4", "MS4", "CN4"] if c in x.columns]
x[reverse] = 6 - x[reverse]
alpha, _ = pg.cronbach_alpha(data=x)
facets = sorted({re.sub(r"[0-9]+$", "", c) for c in x.columns})
per_facet = {f: pg.cronbach_alpha(data=x[[c for c in x.columns if re.sub(r"[0-9]+$", "", c) == f]])[0] for f in facets}
total = x.sum(axis=1)
item_stats = {c: (x[c].mean(), x[c].std(), x[c].corr(total - x[c])) for c in x.columns}
fa = FactorAnalyzer(n_factors=3, rotation="oblimin", method="minres")
fa.fit(x)
print(json.dumps({"alpha": alpha, "facets": len(per_facet), "items": len(item_stats), "loadings_rows": len(fa.loadings_)}))
