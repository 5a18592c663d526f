#!/usr/bin/env bash
# The include direction of docs/architecture.md: cli → analysis → models → sim.
# A file in sim/ includes nothing of models/, analysis/ or cli/; models/
# nothing of analysis/ or cli/ (nor HDF5); analysis/ nothing of cli/. Prints
# each backward include as FILE:LINE: error: ... and exits 1 when there is
# one. Run from anywhere; reads the files git tracks (and new ones not ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
# check DIR PATTERN WHY: every #include in DIR's C++ files matching PATTERN is an error.
check() {
  local dir=$1 pattern=$2 why=$3
  local files
  files=$(git ls-files --cached --others --exclude-standard -- "$dir" |
    grep -E '\.(cpp|hpp|h|cc|cpp\.in)$' || true)
  [ -z "$files" ] && return 0
  local hits
  # shellcheck disable=SC2086
  hits=$(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pattern)" $files || true)
  if [ -n "$hits" ]; then
    while IFS= read -r hit; do
      echo "${hit%%:*}:$(echo "$hit" | cut -d: -f2): error: $why: $(echo "$hit" | cut -d: -f3-)"
    done <<<"$hits"
    status=1
  fi
}

check sim/ 'models/|analysis/|cli/' "sim/ includes only the standard library and sim/"
check models/ 'analysis/|cli/' "models/ must not include analysis/ or cli/"
check models/ 'H5Cpp\.h|hdf5\.h|H5[A-Za-z]*\.h' "models/ must not include HDF5 (only analysis/ does)"
check analysis/ 'cli/' "analysis/ must not include cli/"

if [ "$status" -eq 0 ]; then
  echo "check-includes: the include direction holds (sim <- models <- analysis <- cli)"
fi
exit "$status"
