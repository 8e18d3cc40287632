#!/usr/bin/env bash
# Cold build times: each build from an empty target directory (crates already downloaded),
# as a new user or a fresh CI machine meets them. Keeps cargo's --timings page of the release
# build (the critical path: the slowest units and what waits on them) as
# bench/timings/release.html.
# Usage: bench/build.sh [main] [release] [test] [mock] [ci]
#   main: the README's main command, `cargo run -- run`, to its verdict; release: the
#   release binary (running it adds milliseconds); test: every test target; mock: the mock alone; ci: .ci/run on a clean clone
#   of HEAD. Default: all but ci.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cargo fetch --quiet

cold() { # label, then the cargo command
  local label=$1
  shift
  local dir="$scratch/target"
  local start
  start=$(date +%s)
  CARGO_TARGET_DIR="$dir" "$@" >"$scratch/build.log" 2>&1 || { cat "$scratch/build.log"; exit 1; }
  printf '| %s | %d s |\n' "$label" "$(($(date +%s) - start))"
  if [ -f "$dir/cargo-timings/cargo-timing.html" ]; then
    mkdir -p bench/timings
    cp "$dir/cargo-timings/cargo-timing.html" bench/timings/release.html
  fi
  rm -rf "$dir"
}

wanted() { # is this measurement asked for?
  local w; for w in "${selection[@]}"; do [ "$w" = "$1" ] && return 0; done; return 1; }
selection=("$@")
[ ${#selection[@]} -eq 0 ] && selection=(main release test mock)

echo "| cold build (empty target directory, $(nproc) cores) | wall time |"
echo "| --- | --- |"
if wanted main; then
  cold "\`cargo run -- run\` to its verdict (debug)" cargo run --quiet -- run
fi
if wanted release; then
  cold "\`cargo build --release\` (the binary; \`run\` adds milliseconds)" cargo build --release --timings
fi
if wanted test; then
  cold "\`cargo test --no-run\` (every test target)" cargo test --no-run
fi
if wanted mock; then
  cold "\`cargo build --no-default-features --features mock --lib\` (the mock alone)" \
    cargo build --no-default-features --features mock --lib
fi
if wanted ci; then
  clone="$scratch/clone"
  git clone --quiet "$root" "$clone"
  start=$(date +%s)
  (cd "$clone" && .ci/run >"$scratch/ci.log" 2>&1) || { tail -50 "$scratch/ci.log"; exit 1; }
  printf '| `.ci/run` on a clean clone of HEAD | %d s |\n' "$(($(date +%s) - start))"
fi
