#!/usr/bin/env bash
# One decision over HTTP (郑政办〔2020〕24号 第二条, talent subsidy): Luoshi's
# `POST /api/v1/rules/talent-subsidy/eval` beside OpenFisca's web API (`openfisca serve` with the
# model in bench/openfisca/, `POST /calculate`), both measured now on this machine with the same
# load generator (wrk, a Lua script posting generated applicants in turn), the same connections
# and the same duration. Prints requests per second, latency percentiles, errors and the load
# average before and after each run.
#
#   bash scripts/bench-rules-http.sh
#   CONNECTIONS=64 DURATION=15 RUNS=3 bash scripts/bench-rules-http.sh
#
# Needs `wrk` (apt-get install wrk). OFENV is a virtual environment with
# openfisca-core[web-api] 46.0.1 (default /work/ofenv; made and filled here when missing).
# Run it on a quiet machine: check `uptime`; other builds running at the same time lower both
# sides' figures, and the load average is printed beside each figure for that reason.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
DURATION="${DURATION:-10}"
RUNS="${RUNS:-3}"
SAMPLE="${SAMPLE:-1000}"
OFENV="${OFENV:-/work/ofenv}"
OF_WORKERS="${OF_WORKERS:-3}"
DIR="$(mktemp -d "${TMPDIR:-/tmp}/luoshi-rules-http.XXXXXX")"
LUOSHI_PORT="${LUOSHI_PORT:-18761}"
OF_PORT="${OF_PORT:-18762}"

command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }

SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$DIR"
}
trap cleanup EXIT

if [ ! -x "$OFENV/bin/openfisca" ] || ! "$OFENV/bin/python" -c 'import flask, gunicorn' 2>/dev/null; then
    echo "== installing openfisca-core[web-api]==46.0.1 into $OFENV" >&2
    [ -x "$OFENV/bin/python" ] || python3 -m venv "$OFENV"
    "$OFENV/bin/pip" install -q "openfisca-core[web-api]==46.0.1"
fi

cargo build --release --quiet -p luoshi
target/release/luoshi rules generate talent-subsidy --count "$SAMPLE" --format jsonl > "$DIR/applicants.jsonl"

# The same applicants for both: Luoshi's JSON input as it is, OpenFisca's situation (dates as
# YYYYMMDD integers, as its model keeps them). Each request posts the next applicant.
python3 - "$DIR" <<'PY'
import json, os, sys
d = sys.argv[1]
rows = [json.loads(l) for l in open(os.path.join(d, "applicants.jsonl"), encoding="utf-8")]
DEG = {"本科": "BACHELOR", "硕士": "MASTER", "博士": "DOCTOR"}
PUR = {"本人": "APPLICANT", "配偶": "SPOUSE", "其他": "OTHER"}
P = "2020-06"
def situation(r):
    p = {}
    for k, v in r.items():
        if v is None:
            continue
        if k == "degree":
            v = DEG[v]
        elif k == "purchaser":
            v = PUR[v]
        elif k.endswith("_date"):
            v = int(v.replace("-", ""))
        p[k] = {P: v}
    p["talent_subsidy_eligible"] = {P: None}
    p["talent_subsidy"] = {P: None}
    return {"persons": {"a": p}}
def lua(bodies, path):
    out = ["bodies = {"]
    out += ["  " + json.dumps(json.dumps(b, ensure_ascii=False), ensure_ascii=False) + "," for b in bodies]
    out += ["}", "local i = 0",
            'wrk.method = "POST"', 'wrk.headers["Content-Type"] = "application/json"',
            "request = function()", "  i = i % #bodies + 1",
            f'  return wrk.format(nil, "{path}", nil, bodies[i])', "end"]
    return "\n".join(out) + "\n"
open(os.path.join(d, "luoshi.lua"), "w").write(lua(rows, "/api/v1/rules/talent-subsidy/eval"))
open(os.path.join(d, "openfisca.lua"), "w").write(lua([situation(r) for r in rows], "/calculate"))
json.dump([situation(r) for r in rows], open(os.path.join(d, "situations.json"), "w"), ensure_ascii=False)
PY

wait_up() { # url
    for _ in $(seq 1 300); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "server at $1 did not start" >&2; exit 1
}

load() { cut -d' ' -f1 /proc/loadavg; }

# wrk with --latency; one JSON line of the figures.
measure() { # name url script run
    local before after
    before=$(load)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$3" "$2" > "$DIR/wrk.txt"
    after=$(load)
    python3 - "$1" "$4" "$before" "$after" "$DIR/wrk.txt" <<'PY' >> "$DIR/results.jsonl"
import json, re, sys
name, run, before, after, path = sys.argv[1:]
t = open(path).read()
def ms(s):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", s).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
pct = {m.group(1): ms(m.group(2)) for m in re.finditer(r"^\s+(50|75|90|99)%\s+(\S+)", t, re.M)}
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
err = re.search(r"Socket errors: (.*)", t)
print(json.dumps({"side": name, "run": int(run), "rps": rps, "p50": pct["50"], "p99": pct["99"],
                  "non2xx": int(bad.group(1)) if bad else 0, "socket_errors": err.group(1) if err else "",
                  "load_before": float(before), "load_after": float(after)}))
PY
    tail -1 "$DIR/results.jsonl" >&2
}

start_luoshi() {
    target/release/luoshi serve --addr "127.0.0.1:$LUOSHI_PORT" --db "$DIR/luoshi.db" > "$DIR/luoshi.log" 2>&1 &
    SERVER_PID=$!
    wait_up "http://127.0.0.1:$LUOSHI_PORT/api/v1/rules"
}

start_openfisca() {
    (cd bench/openfisca && PYTHONPATH="$PWD" exec "$OFENV/bin/openfisca" serve --country-package luoshi_talent \
        --bind "127.0.0.1:$OF_PORT" --workers "$OF_WORKERS") > "$DIR/openfisca.log" 2>&1 &
    SERVER_PID=$!
    wait_up "http://127.0.0.1:$OF_PORT/spec"
}

stop() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# Both decide alike on the sample: eligibility and amount of every applicant.
start_luoshi
python3 - "$DIR" "$LUOSHI_PORT" <<'PY' > "$DIR/luoshi-decisions.json"
import json, sys, urllib.request
d, port = sys.argv[1], sys.argv[2]
out = []
for line in open(f"{d}/applicants.jsonl", encoding="utf-8"):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/rules/talent-subsidy/eval",
                                 data=line.encode(), headers={"Content-Type": "application/json"})
    r = json.load(urllib.request.urlopen(req))
    out.append([r["eligible"], float(r["amount_yuan"])])
json.dump(out, sys.stdout)
PY
for run in $(seq 1 "$RUNS"); do
    measure luoshi "http://127.0.0.1:$LUOSHI_PORT" "$DIR/luoshi.lua" "$run"
done
stop

start_openfisca
python3 - "$DIR" "$OF_PORT" <<'PY' > "$DIR/openfisca-decisions.json"
import json, sys, urllib.request
d, port = sys.argv[1], sys.argv[2]
out = []
for s in json.load(open(f"{d}/situations.json", encoding="utf-8")):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/calculate",
                                 data=json.dumps(s).encode(), headers={"Content-Type": "application/json"})
    p = json.load(urllib.request.urlopen(req))["persons"]["a"]
    out.append([p["talent_subsidy_eligible"]["2020-06"], p["talent_subsidy"]["2020-06"]])
json.dump(out, sys.stdout)
PY
for run in $(seq 1 "$RUNS"); do
    measure openfisca "http://127.0.0.1:$OF_PORT" "$DIR/openfisca.lua" "$run"
done
stop

python3 - "$DIR" "$CONNECTIONS" "$THREADS" "$DURATION" "$OF_WORKERS" <<'PY'
import json, statistics, sys
d, conns, threads, duration, workers = sys.argv[1:]
lu = json.load(open(f"{d}/luoshi-decisions.json"))
of = json.load(open(f"{d}/openfisca-decisions.json"))
same = lu == of
print(f"{len(lu)} generated applicants decided over HTTP by both: "
      f"{sum(1 for e, _ in lu if e)} eligible — {'same decisions' if same else 'DIFFERENT DECISIONS'}")
rows = [json.loads(l) for l in open(f"{d}/results.jsonl")]
print(f"wrk -t{threads} -c{conns} -d{duration}s, each request the next applicant; "
      f"OpenFisca under gunicorn with {workers} workers")
print()
print("| side | run | decisions/s | p50 | p99 | errors | load average before → after |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    errors = r["non2xx"] + (1 if r["socket_errors"] else 0)
    print(f"| {r['side']} | {r['run']} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | "
          f"{r['non2xx']} non-2xx{', socket ' + r['socket_errors'] if r['socket_errors'] else ''} | "
          f"{r['load_before']:.2f} → {r['load_after']:.2f} |")
med = {s: statistics.median(r["rps"] for r in rows if r["side"] == s) for s in ("luoshi", "openfisca")}
print()
print(f"median: Luoshi {med['luoshi']:,.0f}/s, OpenFisca {med['openfisca']:,.0f}/s, "
      f"ratio {med['luoshi'] / med['openfisca']:.1f}×")
sys.exit(0 if same else 1)
PY
