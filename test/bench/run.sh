#!/usr/bin/env bash
# What `make bench` runs: builds every benchmark (one per test/bench/*_bench.cc) and runs each
# in turn, printing its results. Exits non-zero if a build or a benchmark fails.
#
#   bash test/bench/run.sh                        # all benchmarks
#   bash test/bench/run.sh registrar_burst_bench  # only the named ones
#
# BUILD_DIR (default build) and JOBS (default 2) as in the Makefile. The registrar benchmark
# starts a real kube-apiserver + etcd (test/envtest/build.sh) and the OCI simulator; its glog
# lines go to $BUILD_DIR/bench/<name>.log, the table to stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${BUILD_DIR:-build}
[[ "$build_dir" = /* ]] || build_dir="$root/$build_dir"
jobs=${JOBS:-2}

if [[ $# -gt 0 ]]; then
  benches=("$@")
else
  benches=()
  for src in "$root"/test/bench/*_bench.cc; do benches+=("$(basename "$src" .cc)"); done
fi

[[ -f "$build_dir/build.ninja" || -f "$build_dir/Makefile" ]] ||
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build_dir" -j "$jobs" --target "${benches[@]}"

export CCM_SOURCE_DIR="$root"
ENVTEST_ASSETS=$(bash "$root/test/envtest/build.sh")
export ENVTEST_ASSETS

failed=()
for name in "${benches[@]}"; do
  bin="$build_dir/bench/$name"
  log="$build_dir/bench/$name.log"
  echo "=== $name"
  if "$bin" 2>"$log"; then
    echo "=== $name: ok (log: $log)"
  else
    echo "=== $name: FAILED (exit $?); last log lines:"
    tail -n 20 "$log" || true
    failed+=("$name")
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "benchmarks failed: ${failed[*]}"
  exit 1
fi
echo "all ${#benches[@]} benchmarks ran"
