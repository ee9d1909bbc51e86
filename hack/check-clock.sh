#!/usr/bin/env bash
# Time is injected (pkg/base/clock.h) so tests can move it by hand: production code never reads
# a clock of its own. Fails, printing file:line, on a direct clock read in pkg/ or cmd/ outside
# the real clock's implementation (pkg/base/clock.cc), and on Clock::Real() in pkg/: only the
# binary (cmd/) and tests choose the real clock, every library takes it as an argument.
#
# test/ is not checked: integration tests, benchmarks and the envtest harness drive real
# processes and measure real wall time on purpose, as do the few unit tests that time real
# sockets or threads; unit tests of clocked code use testing::SimulatedClock by convention.
set -euo pipefail
cd "$(dirname "$0")/.."

pattern='\b(system|steady|high_resolution|utc|tai|gps|file)_clock::now[[:space:]]*\(|\bclock_gettime[[:space:]]*\(|\bgettimeofday[[:space:]]*\(|\bstd::time[[:space:]]*\(|\btime[[:space:]]*\([[:space:]]*(nullptr|NULL|0)[[:space:]]*\)'
allowed='pkg/base/clock.cc'

found=0
while IFS= read -r hit; do
  file=${hit%%:*}
  rest=${hit#*:}
  line=${rest%%:*}
  code=${rest#*:}
  [[ "$file" == "$allowed" ]] && continue
  code=${code%%//*}  # a clock named in a comment is no read
  if grep -qE "$pattern" <<<"$code"; then
    echo "$file:$line: reads a clock directly; take a const Clock& (pkg/base/clock.h) instead" >&2
    found=1
  fi
done < <(grep -rnE "$pattern" pkg cmd --include='*.h' --include='*.cc' || true)

while IFS= read -r hit; do
  file=${hit%%:*}
  rest=${hit#*:}
  line=${rest%%:*}
  code=${rest#*:}
  [[ "$file" == pkg/base/clock.* ]] && continue
  code=${code%%//*}
  if grep -qE 'Clock::Real\(\)' <<<"$code"; then
    echo "$file:$line: picks the real clock in a library; take a const Clock& from the caller" >&2
    found=1
  fi
done < <(grep -rnE 'Clock::Real\(\)' pkg --include='*.h' --include='*.cc' || true)
exit $found
