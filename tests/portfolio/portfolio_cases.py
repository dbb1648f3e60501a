"""Shared cases for the portfolio tests: textbook programmes, a brute-force checker, random specs.

The brute-force checker is written straight from issue 6's definitions and shares no code
with ``decide.portfolio`` (it is the independent oracle of the enumeration tests).
"""
from __future__ import annotations

import itertools

import numpy as np

from decide.portfolio import Problem, Rules


# --------------------------------------------------------------------------- textbook
def california(encoding: str = "logic", budget: float = 10.0) -> Problem:
    """Hillier & Lieberman's California Manufacturing Co. (Introduction to Operations
    Research, Sec. 12.1, Table 12.1), in $ millions: factory LA (NPV 9, capital 6), factory SF
    (5, 3), warehouse LA (6, 5), warehouse SF (4, 2); capital 10; at most one warehouse
    (mutually exclusive) and a warehouse only where a factory is built (contingent).

    encoding "logic": the warehouses exclude each other; "module": both cover one optional
    module (the cover row is the mutually-exclusive constraint).
    """
    opts = [
        dict(id="factory_la", value=9, tco=6),
        dict(id="factory_sf", value=5, tco=3),
        dict(id="warehouse_la", value=6, tco=5, requires=["factory_la"]),
        dict(id="warehouse_sf", value=4, tco=2, requires=["factory_sf"]),
    ]
    modules = None
    if encoding == "logic":
        opts[2]["excludes"] = ["warehouse_sf"]
    else:
        opts[2]["covers"] = ["warehouse"]
        opts[3]["covers"] = ["warehouse"]
        modules = [dict(id="warehouse", required=False)]
    return Problem(opts, modules=modules, budget=budget, currency="USD",
                   title="California Manufacturing Co.")


def stockco(**rules) -> Problem:
    """Winston's Stockco capital budgeting (Operations Research: Applications and Algorithms,
    Sec. 9.2, Example 1), in $1 000: NPVs 16, 22, 12, 8; cash 5, 7, 4, 3; 14 available."""
    opts = [dict(id=f"inv{i}", value=v, tco=c, supplier="stockco")
            for i, (v, c) in enumerate([(16, 5), (22, 7), (12, 4), (8, 3)], start=1)]
    extra = rules.pop("options", {})
    for o in opts:
        o.update(extra.get(o["id"], {}))
    return Problem(opts, budget=14, rules=Rules(**rules), title="Stockco")


# --------------------------------------------------------------------------- brute force
def feasible(spec: dict, chosen: frozenset) -> bool:
    """Is the selection feasible? Straight from the issue's rule definitions."""
    opts = spec["options"]
    rules = spec.get("rules", {})
    modules = spec.get("modules", {})
    sme = spec.get("suppliers", {})
    pick = [o for o in opts if o["id"] in chosen]
    # cover
    for m, required in modules.items():
        n = sum(1 for o in pick if m in o.get("covers", ()))
        if (required and n != 1) or (not required and n > 1):
            return False
    # pins, bans, requires, excludes
    if any(p not in chosen for p in spec.get("pin", ())):
        return False
    if any(b in chosen for b in spec.get("ban", ())):
        return False
    for o in pick:
        if any(r not in chosen for r in o.get("requires", ())):
            return False
        if any(e in chosen for e in o.get("excludes", ())):
            return False
    tco = sum(o["tco"] for o in pick)
    if spec.get("budget") is not None and tco > spec["budget"] + 1e-7:
        return False
    spend = {}
    for o in pick:
        if o.get("supplier") is not None:
            spend[o["supplier"]] = spend.get(o["supplier"], 0.0) + o["tco"] - o.get("integration", 0.0)
    total = sum(spend.values())
    if rules.get("share_base", "options") == "options":
        # the share base is the spend on every chosen option, in-house builds included
        total = sum(o["tco"] - o.get("integration", 0.0) for o in pick)
    s = rules.get("max_supplier_share")
    if s is not None and any(v > s * total + 1e-7 for v in spend.values()):
        return False
    k = rules.get("min_suppliers")
    if k is not None and len([v for v in {o.get("supplier") for o in pick} if v is not None]) < k:
        return False
    share = rules.get("min_sme_share")
    if share is not None:
        sme_spend = sum(v for sup, v in spend.items() if sme.get(sup, False))
        if sme_spend < share * total - 1e-7:
            return False
    lots_cap = rules.get("max_lots_per_supplier")
    if lots_cap is not None:
        lots = {}
        for o in pick:
            if o.get("supplier") is not None:
                n = len(o.get("covers", ())) if modules else 1
                lots[o["supplier"]] = lots.get(o["supplier"], 0) + n
        if any(v > lots_cap for v in lots.values()):
            return False
    cap = rules.get("max_exit_cost")
    if cap is not None and sum(o.get("exit_cost", 0.0) for o in pick) > cap + 1e-7:
        return False
    if spec.get("objective") == "cost" and spec.get("min_value") is not None:
        if sum(o["value"] for o in pick) < spec["min_value"] - 1e-7:
            return False
    return True


def brute_force(spec: dict) -> float | None:
    """Best objective over every selection (None when nothing is feasible)."""
    ids = [o["id"] for o in spec["options"]]
    by_id = {o["id"]: o for o in spec["options"]}
    best = None
    cost = spec.get("objective") == "cost"
    for r in range(len(ids) + 1):
        for combo in itertools.combinations(ids, r):
            chosen = frozenset(combo)
            if not feasible(spec, chosen):
                continue
            obj = sum(by_id[i]["tco" if cost else "value"] for i in chosen)
            if best is None or (obj < best if cost else obj > best):
                best = obj
    return best


def random_spec(seed: int) -> dict:
    """A small random instance (4-9 options) with a random subset of rules."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 10))
    n_mod = int(rng.integers(0, 4))
    n_sup = int(rng.integers(1, 5))
    modules = {f"m{j}": bool(rng.random() < 0.6) for j in range(n_mod)}
    suppliers = {f"s{k}": bool(rng.random() < 0.5) for k in range(n_sup)}
    options = []
    for i in range(n):
        covers = ()
        if n_mod:
            k = int(rng.integers(0, min(3, n_mod) + 1)) if rng.random() < 0.8 else 1
            covers = tuple(sorted(rng.choice(list(modules), size=max(k, 0), replace=False)))
        tco = float(rng.integers(10, 100))
        options.append(dict(
            id=f"o{i}",
            supplier=None if rng.random() < 0.15 else f"s{int(rng.integers(0, n_sup))}",
            value=float(rng.integers(1, 30)),
            tco=tco,
            integration=float(rng.integers(0, 10)) if rng.random() < 0.4 else 0.0,
            exit_cost=float(rng.integers(0, 40)),
            covers=covers,
        ))
    for _ in range(int(rng.integers(0, 3))):
        a, b = rng.choice(n, 2, replace=False)
        key = "requires" if rng.random() < 0.5 else "excludes"
        options[a].setdefault(key, [])
        options[a][key] = list(options[a][key]) + [f"o{b}"]
    rules = {}
    if rng.random() < 0.4:
        rules["max_supplier_share"] = float(rng.choice([0.4, 0.5, 0.6, 0.75]))
    if rng.random() < 0.4:
        rules["min_suppliers"] = int(rng.integers(1, 4))
    if rng.random() < 0.4:
        rules["min_sme_share"] = float(rng.choice([0.1, 0.25, 0.4]))
    if rng.random() < 0.3:
        rules["max_lots_per_supplier"] = int(rng.integers(1, 4))
    if rng.random() < 0.3:
        rules["max_exit_cost"] = float(rng.integers(20, 120))
    if rng.random() < 0.5:
        rules["share_base"] = "suppliers"
    spec = dict(options=options, modules=modules, suppliers=suppliers, rules=rules,
                budget=float(rng.integers(60, 300)) if rng.random() < 0.85 else None)
    if rng.random() < 0.2:
        spec["objective"] = "cost"
        spec["min_value"] = float(rng.integers(0, 40))
    if rng.random() < 0.2:
        spec["pin"] = (f"o{int(rng.integers(0, n))}",)
    if rng.random() < 0.2:
        ban = f"o{int(rng.integers(0, n))}"
        if ban not in spec.get("pin", ()):
            spec["ban"] = (ban,)
    return spec


def spec_problem(spec: dict) -> Problem:
    return Problem(
        [dict(o) for o in spec["options"]],
        modules=[dict(id=m, required=r) for m, r in spec["modules"].items()] or None,
        suppliers=[dict(id=s, sme=v) for s, v in spec["suppliers"].items()],
        budget=spec.get("budget"),
        rules=Rules(**spec["rules"]),
        objective=spec.get("objective", "value"),
        min_value=spec.get("min_value"),
        pin=spec.get("pin", ()),
        ban=spec.get("ban", ()),
    )


# --------------------------------------------------------------------------- synthetic
def synthetic(n_modules: int, n_options: int, n_suppliers: int, seed: int = 0) -> Problem:
    """A seeded synthetic instance with suites and every rule active (for speed/limit tests)."""
    rng = np.random.default_rng(seed)
    mods = [f"m{j}" for j in range(n_modules)]
    sups = [f"s{k}" for k in range(n_suppliers)]
    base = rng.uniform(40, 160, n_modules)
    opts = []
    for i in range(n_options):
        if i < 2 * n_modules:
            cov = [i % n_modules]
        elif rng.random() < 0.12:
            start, k = int(rng.integers(0, n_modules)), int(rng.integers(2, 6))
            cov = sorted({(start + j) % n_modules for j in range(k)})
        else:
            cov = [int(rng.integers(0, n_modules))]
        cost = float(base[cov].sum() * rng.uniform(0.6, 1.4))
        opts.append(dict(id=f"o{i}", supplier=sups[int(rng.integers(0, n_suppliers))],
                         value=float(len(cov) * rng.uniform(0.4, 1.0)), tco=cost,
                         exit_cost=cost * 0.2, covers=[mods[c] for c in cov]))
    modules = [dict(id=m, required=bool(rng.random() < 0.7)) for m in mods]
    suppliers = [dict(id=s, sme=bool(rng.random() < 0.4)) for s in sups]
    problem = Problem(opts, modules=modules, suppliers=suppliers)
    req = [m["id"] for m in modules if m["required"]]
    single = problem.options[[len(c) == 1 for c in problem.options["covers"]]]
    cheapest = single.groupby(single["covers"].map(lambda c: c[0]))["tco"].min()
    budget = 1.25 * float(cheapest.reindex(req).sum())
    return problem.replace(budget=budget, rules=Rules(
        max_supplier_share=max(0.1, min(0.5, 3.0 / n_suppliers)), min_suppliers=3,
        min_sme_share=0.2, max_lots_per_supplier=max(3, n_modules // 10),
        max_exit_cost=0.35 * budget))
