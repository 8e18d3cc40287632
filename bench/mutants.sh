#!/usr/bin/env bash
# Mutation testing with cargo-mutants (configured in .cargo/mutants.toml), by module, each
# mutant tested by the tests that bear on that module (a nextest filter), so that a module
# takes minutes, not hours, on two cores. Prints caught / missed / timed out per module; the
# survivors are listed in target/mutants/<module>/mutants.out/missed.txt.
# Usage: bench/mutants.sh [MODULE...]      modules: checks drift redaction ledger retries
#                                          handlers (default: all)
#        bench/mutants.sh --survivors [MODULE...]  only the mutants each module's last run
#                                          missed (after adding tests for them)
#        bench/mutants.sh --in-diff [BASE] the mutants in lines changed since BASE (main)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-mutants >/dev/null || cargo install --locked cargo-mutants
command -v cargo-nextest >/dev/null || cargo install --locked cargo-nextest
# One build directory for every module's scratch copy: the dependencies compile once.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target/mutants-build}

lib='kind(lib)'
cases='(binary(contract) & test(/^case::/))'
declare -A files=(
  [checks]=src/suite/verify/check.rs
  [drift]=src/suite/verify/drift.rs
  [redaction]='src/redact/*.rs'
  [ledger]=src/suite/ledger.rs
  [retries]=src/suite/transport/retry.rs
  [handlers]=src/mock/handlers.rs
)
declare -A tests=(
  [checks]="$lib | $cases | (binary(contract) & test(/^transport::/))"
  [drift]="$lib | $cases | (binary(contract) & test(/^parity::/))"
  [redaction]="$lib | (binary(contract) & (test(/key/) | test(/^reports::/)))"
  [ledger]="$lib | (binary(contract) & (test(/^safety::/) | test(/^transport::/)))"
  [retries]="$lib | (binary(contract) & test(/^transport::/))"
  [handlers]="$lib | $cases | (binary(contract) & (test(/^hostile::/) | test(/^mock_http::/) | test(/^mock_assert::/) | test(/^parity::/)))"
)
order=(checks drift redaction ledger retries handlers)

count() { # outcomes file, outcome name
  python3 -c '
import json, sys
outcomes = json.load(open(sys.argv[1]))["outcomes"]
print(sum(1 for o in outcomes if o.get("summary") == sys.argv[2]))' "$1" "$2"
}

if [ "${1:-}" = "--in-diff" ]; then
  base=${2:-main}
  diff=$(mktemp)
  git diff "$base" -- src > "$diff"
  exec cargo mutants --in-diff "$diff" -o target/mutants/in-diff
fi

survivors=
if [ "${1:-}" = "--survivors" ]; then
  survivors=1
  shift
fi
modules=("$@")
[ ${#modules[@]} -eq 0 ] && modules=("${order[@]}")
echo "| module | file | mutants | caught | missed | timed out | unviable | caught of viable | minutes |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for module in "${modules[@]}"; do
  file=${files[$module]:?unknown module $module; known: ${order[*]}}
  out=target/mutants/$module
  only=()
  if [ -n "$survivors" ]; then
    missed_list=$out/mutants.out/missed.txt
    if [ ! -s "$missed_list" ]; then
      echo "| $module | \`$file\` | no survivors in its last run | | | | | | |"
      continue
    fi
    # One regular expression naming each survivor exactly (as regex::escape would quote it).
    only=(--re "$(python3 -c '
import re, sys
quote = lambda text: re.sub(r"([\\.+*?()|\[\]{}^$#&\-~])", r"\\\1", text)
print("|".join("^" + quote(line) + "$" for line in open(sys.argv[1]).read().splitlines() if line))' "$missed_list")")
    out=target/mutants/$module-survivors
  fi
  mkdir -p target/mutants
  start=$(date +%s)
  cargo mutants -f "$file" "${only[@]}" -o "$out" -- -E "${tests[$module]}" >"$out.log" 2>&1 || true
  minutes=$(( ($(date +%s) - start + 30) / 60 ))
  outcomes=$out/mutants.out/outcomes.json
  caught=$(count "$outcomes" CaughtMutant)
  missed=$(count "$outcomes" MissedMutant)
  timeout=$(count "$outcomes" Timeout)
  unviable=$(count "$outcomes" Unviable)
  total=$((caught + missed + timeout + unviable))
  viable=$((caught + missed + timeout))
  share=$(python3 -c "print(f'{100 * ($caught + $timeout) / max($viable, 1):.0f} %')")
  echo "| $module | \`$file\` | $total | $caught | $missed | $timeout | $unviable | $share | $minutes |"
done
