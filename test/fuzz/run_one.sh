#!/usr/bin/env bash
# Runs one libFuzzer target for a while over its checked-in seed corpus.
#   run_one.sh <binary> <test/fuzz dir> <name> <seconds> <out dir> [corpus cache dir]
# New inputs go to the cache dir (default: a scratch dir removed afterwards); the checked-in
# corpus is only read. A crash is saved under <out dir>/crashes/<name>/.
set -uo pipefail
binary=$1 src=$2 name=$3 seconds=$4 out=$5 cache=${6:-}

seeds="$src/corpus/$name"
[[ -d "$seeds" ]] || { echo "no seed corpus at $seeds" >&2; exit 1; }
crashes="$out/crashes/$name"
mkdir -p "$crashes"
scratch=""
if [[ -z "$cache" ]]; then
  scratch=$(mktemp -d)
  cache=$scratch
  trap 'rm -rf "$scratch"' EXIT
fi
mkdir -p "$cache"

flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
  -artifact_prefix="$crashes/")
[[ -f "$src/dict/$name.dict" ]] && flags+=(-dict="$src/dict/$name.dict")
[[ -f "$src/options/$name.options" ]] && read -r -a extra < "$src/options/$name.options" && flags+=("${extra[@]}")

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
log="$out/$name.log"
"$binary" "${flags[@]}" "$cache" "$seeds" > "$log" 2>&1
rc=$?
grep -E '^(stat::|#[0-9]+ +DONE|Done )' "$log" | sed "s/^/[$name] /"
if [[ $rc -ne 0 ]]; then
  tail -n 60 "$log"
  latest=$(ls -t "$crashes" 2>/dev/null | head -n 1)
  echo "FUZZ FAILURE in $name (exit $rc); full log: $log" >&2
  if [[ -n "$latest" ]]; then
    echo "crashing input: $crashes/$latest" >&2
    echo "reproduce:      $binary $crashes/$latest" >&2
    echo "then add it to $seeds/ as a regression seed once fixed" >&2
  fi
  exit 1
fi
