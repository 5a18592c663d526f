#!/usr/bin/env bash
# Runs every libFuzzer target of build/fuzz for SECONDS each (docs/fuzzing.md):
#   fuzz/run.sh SECONDS [TARGET...]
# Seeds come from fuzz/make_corpus.py into build/fuzz/corpus/<target>, which
# keeps what the runs add (a later run starts where this one stopped).
# A crash, sanitizer report, hang (-timeout), leak or allocation beyond the
# limits leaves its input in build/fuzz/findings/<target>/ and makes the script
# exit 1 after every target has run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_loader fuzz_incidents fuzz_time fuzz_results)
fi
build=build/fuzz
python3 fuzz/make_corpus.py "$build/corpus" "${RELSIM:-build/release/cli/relsim}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# FUZZ_RUNS=N: N inputs per target from a fixed seed (FUZZ_SEED, default 1),
# so a run can be repeated exactly (CI uses it: what passed here passes there;
# SECONDS then only bounds the time). Unset: fuzz for SECONDS from a random seed.
repeatable=()
if [ -n "${FUZZ_RUNS:-}" ]; then
  repeatable=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
fi
failed=()
for t in "${targets[@]}"; do
  mkdir -p "$build/findings/$t"
  echo "fuzz: $t for ${seconds} s"
  # -timeout: one input may take 25 s (a hang otherwise); -rss_limit_mb and
  # -malloc_limit_mb: a hostile input may not make relsim take gigabytes.
  # `timeout`: a target that does not stop (a sanitizer report over a huge
  # heap can take minutes) never holds CI; it counts as a finding.
  if ! timeout -k 10 $((seconds + 120)) "$build/fuzz/$t" "$build/corpus/$t" \
    -max_total_time="$seconds" -timeout=25 "${repeatable[@]}" \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 \
    -artifact_prefix="$build/findings/$t/" >"$build/findings/$t.log" 2>&1; then
    failed+=("$t")
    tail -n 60 "$build/findings/$t.log"
  fi
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' \
    "$build/findings/$t.log" | tr '\n' ' ' || true
  echo
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}: inputs in $build/findings/ (docs/fuzzing.md)" >&2
  exit 1
fi
echo "fuzz: no findings"
