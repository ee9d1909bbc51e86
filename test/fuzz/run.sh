#!/usr/bin/env bash
# Long fuzzing runs (`make fuzz`): builds the libFuzzer targets with clang-16 and runs each
# one in turn. New corpus entries are kept in a cache outside the repository and reused by
# the next run; crashes are saved under $FUZZ_DIR/fuzz-out/crashes/<target>/.
#
#   test/fuzz/run.sh [--seconds N] [--target NAME]... [--list]
#     --seconds N   how long each target runs (default 600)
#     --target NAME only this target (repeatable); default every target
#     --list        print the target names and exit
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
fuzz_dir=${FUZZ_DIR:-build-fuzz}
[[ "$fuzz_dir" = /* ]] || fuzz_dir="$root/$fuzz_dir"
jobs=${JOBS:-2}
cache_root=${CCM_FUZZ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oci-lb-registrar-ccm/fuzz-corpus}
seconds=600
targets=()

all_targets() { for f in "$root"/test/fuzz/*_fuzz.cc; do basename "$f" _fuzz.cc; done; }

while (($#)); do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --target) targets+=("$2"); shift 2 ;;
    --list) all_targets; exit 0 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
((${#targets[@]})) || mapfile -t targets < <(all_targets)
for t in "${targets[@]}"; do
  [[ -f "$root/test/fuzz/${t}_fuzz.cc" ]] || { echo "no fuzz target '$t'; try --list" >&2; exit 2; }
done

if [[ ! -f "$fuzz_dir/build.ninja" ]]; then
  CC=clang-16 CXX=clang++-16 cmake -S "$root" -B "$fuzz_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCCM_FUZZ=ON
fi
cmake --build "$fuzz_dir" -j "$jobs" --target $(printf '%s_fuzz ' "${targets[@]}")

failed=()
for t in "${targets[@]}"; do
  echo "== $t: ${seconds}s, corpus cache $cache_root/$t"
  if ! bash "$root/test/fuzz/run_one.sh" "$fuzz_dir/bin/${t}_fuzz" "$root/test/fuzz" "$t" "$seconds" \
      "$fuzz_dir/fuzz-out" "$cache_root/$t"; then
    failed+=("$t")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz targets that failed: ${failed[*]} (crashes in $fuzz_dir/fuzz-out/crashes/)" >&2
  exit 1
fi
echo "all ${#targets[@]} fuzz targets ran ${seconds}s without a finding"
