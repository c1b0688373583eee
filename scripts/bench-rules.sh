#!/usr/bin/env bash
# Reproduce every figure of the talent-subsidy benchmark (郑政办〔2020〕24号 第二条) and print
# Luoshi's beside OpenFisca-core's, measured now on this machine on the same generated applicants.
#
#   bash scripts/bench-rules.sh            # 1,000,000 applicants, median of 5 runs
#   COUNT=200000 RUNS=3 bash scripts/bench-rules.sh
#   BIN=target/release/luoshi bash scripts/bench-rules.sh   # an existing release build, no build
#
# OFPY is a Python with openfisca-core 46.0.1 installed (default /work/ofenv/bin/python; make one
# with: python3 -m venv /work/ofenv && /work/ofenv/bin/pip install openfisca-core==46.0.1).
# Without it only Luoshi's figures are printed. Run it on a quiet machine: other builds running at
# the same time lower both sides' figures.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT="${COUNT:-1000000}"
RUNS="${RUNS:-5}"
DIR="${DIR:-${TMPDIR:-/tmp}/luoshi-rules-bench}"
OFPY="${OFPY:-/work/ofenv/bin/python}"
mkdir -p "$DIR"

if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet -p luoshi
    BIN=target/release/luoshi
fi
echo "== Luoshi: luoshi rules bench --count $COUNT --runs $RUNS" >&2
"$BIN" rules bench --count "$COUNT" --runs "$RUNS" --dir "$DIR" --json > "$DIR/luoshi.json"

if [ -x "$OFPY" ]; then
    echo "== OpenFisca-core: bench/openfisca/bench.py on $DIR/talent-$COUNT.csv" >&2
    (cd bench/openfisca && "$OFPY" bench.py --csv "$DIR/talent-$COUNT.csv" --runs "$RUNS" --json) \
        > "$DIR/openfisca.json" 2> "$DIR/openfisca.log"
else
    echo "(no OpenFisca Python at $OFPY: Luoshi's figures only)" >&2
    rm -f "$DIR/openfisca.json"
fi

python3 - "$DIR" <<'PY'
import json, os, sys, platform
d = sys.argv[1]
lu = json.load(open(os.path.join(d, "luoshi.json")))
of = json.load(open(os.path.join(d, "openfisca.json"))) if os.path.exists(os.path.join(d, "openfisca.json")) else None
f = {x["key"]: x for x in lu["figures"]}

def rate(v):
    return f"{v / 1e6:.2f} M/s" if v >= 1e5 else f"{v:,.0f}/s"

def lu_cell(key):
    x = f[key]
    return f"{rate(x['per_second'])} ({rate(x['min'])}–{rate(x['max'])})"

def of_cell(key):
    if not of:
        return "—"
    x = of["figures"][key]
    return f"{rate(x['per_second'])} ({rate(x['min'])}–{rate(x['max'])})"

def ratio(lkey, okey):
    if not of:
        return "—"
    return f"{f[lkey]['per_second'] / of['figures'][okey]['per_second']:.1f}×"

print(f"郑政办〔2020〕24号 第二条, {lu['count']:,} generated applicants (seed 20200512), "
      f"{lu['threads']} cores, median of {lu['runs']} runs (min–max); {platform.node()}")
print(f"Luoshi: eligible {lu['eligible']:,}, total {lu['total_amount_yuan']:,} yuan", end="")
if of:
    same = of["eligible"] == lu["eligible"] and of["total_amount_yuan"] == lu["total_amount_yuan"]
    print(f"; OpenFisca-core {of['openfisca_core']} (numpy {of['numpy']}, Python {of['python']}): "
          f"eligible {of['eligible']:,}, total {of['total_amount_yuan']:,} yuan — {'same decisions' if same else 'DIFFERENT DECISIONS'}")
    if not same:
        sys.exit(1)
else:
    print()
rows = [
    # (path, OpenFisca figure shown, Luoshi figure, what it is, OpenFisca figure compared with)
    ("core on prepared data", "calculate", "core_columnar", "columnar core, all cores", "calculate"),
    ("", None, "core_columnar_1", "columnar core, one thread", None),
    ("", None, "core_rows", "row-by-row typed core, one thread", None),
    ("from input records", "build_calculate", "records_columnar",
     "CSV records in memory → decisions, all cores", "build_calculate"),
    ("", None, "e2e_csv", "CSV file → compact lines to a file (process, wall)", "build_calculate"),
    ("", None, "e2e_jsonl", "JSONL file → compact lines to a file (process, wall)", None),
    ("", None, "e2e_csv_rows", "CSV file, row-by-row path (process, wall)", None),
    ("", None, "write_floor",
     "floor: only writing the CSV batch's compact lines, already in memory, to the same file", "build_calculate"),
    ("from a CSV file to a results file", "file", "e2e_csv",
     "CSV file → compact lines to a file (process, wall)", "file"),
    ("one decision in process", "single", "single_json", "JSON text → whole decision", "single"),
]
print()
print("| path | OpenFisca | Luoshi | Luoshi path | Luoshi ÷ OpenFisca |")
print("|---|---|---|---|---|")
for path, okey, lkey, what, rkey in rows:
    print(f"| {path} | {of_cell(okey) if okey else ''} | {lu_cell(lkey)} | {what} | {ratio(lkey, rkey) if rkey else ''} |")
PY
