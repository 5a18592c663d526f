#!/usr/bin/env bash
# Installs the Debian 12 packages relsim needs to build, test and benchmark.
# Idempotent: does nothing when every package is already installed, and runs
# `apt-get update` only when something is missing. `--browser` also installs
# Chromium, which the `browser` tests use to check the HTML report renders.
set -euo pipefail

browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) browser=1 ;;
    *) echo "install-deps: unknown option '$arg' (known: --browser)" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential
  cmake
  pkg-config
  libeigen3-dev
  libboost-graph-dev
  libhdf5-dev
  libcli11-dev
  libyaml-cpp-dev
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  libjs-chart.js
  # docs/export.md's h5py/pandas example runs as a test (skipped without them)
  python3-h5py
  python3-pandas
  # the libFuzzer targets (make fuzz, docs/fuzzing.md): Debian's clang and
  # its sanitizer and libFuzzer runtimes
  clang-14
  libclang-rt-14-dev
  # scripts/check-format.sh, run by CI: Debian 12's clang-format (version 14)
  clang-format
)
if [ "$browser" -eq 1 ]; then
  packages+=(chromium)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
