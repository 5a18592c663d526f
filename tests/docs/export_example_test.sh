#!/bin/sh
# Runs the h5py/pandas example of docs/export.md (between the example
# markers) on a fresh run of the payments baseline, under /usr/bin/python3.
# Exit 77 (ctest: skipped) with a message when h5py or pandas is missing.
# Usage: export_example_test.sh RELSIM SOURCE_DIR WORK_DIR
set -eu
relsim=$1
source_dir=$2
work=$3
python=/usr/bin/python3
if ! "$python" -c "import h5py, pandas" 2>/dev/null; then
  echo "skipped: /usr/bin/python3 lacks h5py or pandas (Debian: python3-h5py python3-pandas; scripts/install-deps.sh installs them)"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
cd "$work"
scenario="$source_dir/scenarios/payments/baseline.yaml"
"$relsim" run "$scenario" --trials 200 --quiet --out results.h5 > /dev/null
"$relsim" run "$scenario" --trials 200 --quiet --out results-csv/ > /dev/null
sed -n '/<!-- example:begin -->/,/<!-- example:end -->/p' "$source_dir/docs/export.md" |
  sed '1,2d;$d' | sed '$d' > example.py
test -s example.py
"$python" example.py
cd /
rm -rf "$work"
