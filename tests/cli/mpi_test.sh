#!/bin/sh
# `mpirun -n 2 relsim run` gives the summary of a single run (JSON without
# the timing line) and leaves no part files behind. Registered only when
# built with -DRELSIM_MPI=ON. Usage: mpi_test.sh MPIEXEC RELSIM SOURCE_DIR WORK_DIR
set -eu
mpiexec=$1
relsim=$2
scenario=$3/scenarios/payments/baseline.yaml
work=$4
rm -rf "$work"
mkdir -p "$work"
cd "$work"
# Root in a container needs --allow-run-as-root; two ranks may exceed the cores.
flags="--oversubscribe"
if [ "$(id -u)" -eq 0 ]; then flags="$flags --allow-run-as-root"; fi
# shellcheck disable=SC2086
"$mpiexec" $flags -n 2 "$relsim" run "$scenario" --trials 300 --threads 1 --format json \
  --out mpi.h5 > mpi.json
"$relsim" run "$scenario" --trials 300 --threads 2 --quiet --format json --out one.h5 -o one.json
grep -v '"timing"' mpi.json > a.json
grep -v '"timing"' one.json > b.json
cmp a.json b.json
test -f mpi.h5
if ls ./*.part.h5 2>/dev/null; then echo "part files left behind"; exit 1; fi
cd /
rm -rf "$work"
echo "mpirun -n 2: same summary as one run"
