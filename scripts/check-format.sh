#!/usr/bin/env bash
# `clang-format --dry-run -Werror` over the project's C++ sources (sim/,
# models/, analysis/, cli/, tests/, bench/, fuzz/) against .clang-format.
# Prints clang-format's diagnostics for every file that differs and exits 1.
#   scripts/check-format.sh              every tracked source file
#   scripts/check-format.sh --changed [BASE]
#                                        only files changed since BASE (default:
#                                        the merge base with main), and new ones
# Fix a file with `clang-format -i FILE`. Uses clang-format-14 (Debian 12's
# clang-format) when present, so everyone formats alike.
set -euo pipefail
cd "$(dirname "$0")/.."

formatter=clang-format
command -v clang-format-14 >/dev/null 2>&1 && formatter=clang-format-14
if ! command -v "$formatter" >/dev/null 2>&1; then
  echo "check-format: clang-format is not installed (scripts/install-deps.sh installs it)" >&2
  exit 2
fi

dirs=(sim models analysis cli tests bench fuzz)
mode=all
base=
case "${1:-}" in
  "") ;;
  --changed)
    mode=changed
    base=${2:-$(git merge-base HEAD main 2>/dev/null || echo HEAD)}
    ;;
  *) echo "check-format: unknown option '$1' (known: --changed [BASE])" >&2; exit 2 ;;
esac

if [ "$mode" = all ]; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- "${dirs[@]}" |
    grep -E '\.(cpp|hpp|h|cc)$' || true)
else
  mapfile -t files < <({
    git diff --name-only --diff-filter=ACMR "$base" -- "${dirs[@]}"
    git ls-files --others --exclude-standard -- "${dirs[@]}"
  } | grep -E '\.(cpp|hpp|h|cc)$' | sort -u || true)
fi

bad=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  if ! "$formatter" --dry-run -Werror "$f" 2>/tmp/check-format.$$; then
    cat /tmp/check-format.$$ >&2
    echo "check-format: $f differs from .clang-format (fix: $formatter -i $f)" >&2
    bad=$((bad + 1))
  fi
done
rm -f /tmp/check-format.$$
if [ "$bad" -gt 0 ]; then
  echo "check-format: $bad of ${#files[@]} files differ from .clang-format" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
