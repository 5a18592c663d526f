#!/bin/sh
# Runs relsim and its independent peer models (written from docs/ only) on the
# same cases, and prints each figure side by side with z = difference /
# combined standard error (docs/validation.md, "Independent peer models").
# Usage: validation/peers/run_all.sh [RELSIM] [TRIALS]
#   RELSIM  the relsim program (default: build/release/cli/relsim of this checkout)
#   TRIALS  trials for relsim and the peers (default 20000; the table in
#           docs/validation.md used 40,000 where it says so)
# The peers are Python 3 ($PYTHON, default /usr/bin/python3; e_burn.py needs
# numpy: Debian python3-numpy). Outputs go to a fresh temporary
# folder whose name is printed first. About 20 minutes on two cores.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
RELSIM=${1:-$here/../../build/release/cli/relsim}
case "$RELSIM" in /*) ;; */*) RELSIM=$PWD/$RELSIM ;; esac
export RELSIM
n=${2:-20000}
PY=${PYTHON:-/usr/bin/python3}
out=$(mktemp -d)
echo "outputs in $out"
cp "$here"/*.yaml "$here"/*.py "$out"/
cd "$out"
for case in a_deps b_oncall b2_oncall c_budget d_zones e_burn f_latency; do
  "$RELSIM" run "$case.yaml" --trials "$n" --threads 2 --format json > "$case.relsim.json"
done
for peer in a_deps b_oncall b2_oncall c_budget d_zones e_burn f_latency; do
  echo "== $peer"
  "$PY" "$peer.py" "$n"
done
echo "== c_series"
"$PY" c_series.py
echo "== c_rolling7"
"$PY" c_rolling7.py "$n"
