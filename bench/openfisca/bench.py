"""OpenFisca-core side of Luoshi's talent-subsidy benchmark (郑政办〔2020〕24号 第二条).

Reads the applicants `luoshi rules generate talent-subsidy --format csv` (or `luoshi rules bench`)
wrote, prepares them as numpy arrays (not timed), then measures, median of --runs:

  calculate        `simulation.calculate("talent_subsidy", period)` on a simulation whose inputs
                   are already set (a fresh simulation each run: results are cached);
  build+calculate  build the simulation from the prepared arrays (`build_default_simulation` and
                   one `set_input` per input variable), then calculate;
  single           one applicant at a time: build a one-person simulation and calculate;
  file             the whole path as a user runs it, like Luoshi's `rules eval --batch` from a
                   file: read the CSV, build, calculate eligibility and amount, write them as a
                   CSV file (median of --file-runs; seconds a run at a million applicants).

Prints the figures (or JSON with --json), the number of eligible applicants and the total amount,
which must equal Luoshi's on the same file.
"""

import argparse
import csv
import json
import statistics
import sys
import time

import numpy

from openfisca_core.indexed_enums import EnumArray
from openfisca_core.simulations import SimulationBuilder

from luoshi_talent import CountryTaxBenefitSystem
from luoshi_talent.variables.talent_subsidy import Degree, Purchaser

PERIOD = "2020-06"
BOOLS = [
    "full_time",
    "double_first_class",
    "contract_filed",
    "deed_tax_paid",
    "first_home",
    "already_received",
    "other_housing_benefit",
]
DATES = ["birth_date", "graduation_date", "settled_date", "contract_signed_date", "application_date"]
DEGREES = {"本科": 0, "硕士": 1, "博士": 2}
PURCHASERS = {"本人": 0, "配偶": 1, "其他": 2, "": 0}


def load(path):
    """The CSV as prepared numpy arrays, one per input variable."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    arrays = {}
    for name in BOOLS:
        arrays[name] = numpy.array([r[name] == "true" for r in rows], dtype=bool)
    for name in DATES:
        arrays[name] = numpy.array([int(r[name].replace("-", "")) for r in rows], dtype=numpy.int32)
    arrays["degree"] = EnumArray(
        numpy.array([DEGREES[r["degree"]] for r in rows], dtype=numpy.int16), Degree
    )
    arrays["purchaser"] = EnumArray(
        numpy.array([PURCHASERS[r["purchaser"]] for r in rows], dtype=numpy.int16), Purchaser
    )
    return len(rows), arrays


def build(tbs, count, arrays):
    sim = SimulationBuilder().build_default_simulation(tbs, count)
    for name, values in arrays.items():
        sim.set_input(name, PERIOD, values)
    return sim


def file_to_file(tbs, path, out_path):
    """CSV file → decisions (eligible, amount) in a CSV file; returns the applicants decided."""
    count, arrays = load(path)
    sim = build(tbs, count, arrays)
    eligible = sim.calculate("talent_subsidy_eligible", PERIOD)
    amounts = sim.calculate("talent_subsidy", PERIOD)
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("eligible,amount_yuan\n")
        numpy.savetxt(out, numpy.column_stack([eligible, amounts]), fmt=["%d", "%.2f"], delimiter=",")
    return count


def median_rate(times, count):
    rates = [count / t for t in times]
    return count / statistics.median(times), min(rates), max(rates)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--single", type=int, default=2000, help="applicants decided one at a time")
    ap.add_argument("--file-runs", type=int, default=3, help="runs of the file-to-file path")
    ap.add_argument("--out", default=None, help="where the file path writes (default: beside --csv)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    tbs = CountryTaxBenefitSystem()
    count, arrays = load(args.csv)

    sim = build(tbs, count, arrays)
    amounts = sim.calculate("talent_subsidy", PERIOD)
    eligible = int(sim.calculate("talent_subsidy_eligible", PERIOD).sum())
    total = int(amounts.astype(numpy.int64).sum())  # float32 amounts are exact each; sum as integers

    calc, both = [], []
    for _ in range(args.runs + 1):
        sim = build(tbs, count, arrays)
        t0 = time.perf_counter()
        sim.calculate("talent_subsidy", PERIOD)
        calc.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        sim = build(tbs, count, arrays)
        sim.calculate("talent_subsidy", PERIOD)
        both.append(time.perf_counter() - t0)
    calc, both = calc[1:], both[1:]  # the first run warms up

    singles = min(args.single, count)
    one = {k: v[:singles] for k, v in arrays.items()}
    single_times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        for i in range(singles):
            person = {k: v[i : i + 1] for k, v in one.items()}
            build(tbs, 1, person).calculate("talent_subsidy", PERIOD)
        single_times.append(time.perf_counter() - t0)

    out_path = args.out or args.csv + ".openfisca-out.csv"
    file_times = []
    for _ in range(args.file_runs):
        t0 = time.perf_counter()
        file_to_file(tbs, args.csv, out_path)
        file_times.append(time.perf_counter() - t0)

    import openfisca_core

    figures = {
        "calculate": median_rate(calc, count),
        "build_calculate": median_rate(both, count),
        "single": median_rate(single_times, singles),
        "file": median_rate(file_times, count),
    }
    if args.json:
        print(
            json.dumps(
                {
                    "openfisca_core": getattr(openfisca_core, "__version__", "46.0.1"),
                    "numpy": numpy.__version__,
                    "python": sys.version.split()[0],
                    "count": count,
                    "runs": args.runs,
                    "eligible": eligible,
                    "total_amount_yuan": total,
                    "figures": {
                        k: {"per_second": v[0], "min": v[1], "max": v[2]} for k, v in figures.items()
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(f"OpenFisca-core on {count} applicants, {args.runs} runs: eligible {eligible}, total {total} yuan")
        for k, (med, lo, hi) in figures.items():
            print(f"{k:<16} {med:14,.0f} /s  ({lo:,.0f}–{hi:,.0f})")


if __name__ == "__main__":
    main()
