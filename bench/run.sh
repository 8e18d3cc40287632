#!/usr/bin/env bash
# The benchmark: the mock beside Prism and a bare axum ceiling, the suite's wall time, the
# mock's start-up time and memory, instructions per request under callgrind. Installs what
# it needs, builds in release, prints a table.
# Usage: bench/run.sh [--build] [--quick] [--callgrind] [--profile DIR]
#   --build: first the cold build times (bench/build.sh: the main command in debug, the
#            release binary, the tests, the mock alone, .ci/run on a clean clone; about 25 minutes
#            on 2 cores)
#   --quick: 3 s runs instead of 10 s, for a smoke test
#   --callgrind: only the instructions per request of the mock and the two ceilings
#   --profile DIR: also write callgrind's instructions per request by function there
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--build" ]; then
  shift
  bench/build.sh main release test mock ci
fi

if ! command -v wrk >/dev/null || ! command -v hyperfine >/dev/null || ! command -v valgrind >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk hyperfine valgrind
fi
if [ ! -x bench/node_modules/.bin/prism ]; then
  (cd bench && npm install --no-audit --no-fund --silent)
fi
cargo build --release --quiet --bin extracta-contract --example ceiling
exec python3 bench/bench.py "$@"
