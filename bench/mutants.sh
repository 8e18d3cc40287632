#!/usr/bin/env bash
# Mutation testing with cargo-mutants (configured in .cargo/mutants.toml), by module, each
# mutant tested by the tests that bear on that module (a nextest filter), so that a module
# takes minutes, not hours, on two cores. Prints caught / missed / timed out per module; the
# survivors are listed in target/mutants/<module>/mutants.out/missed.txt.
# Usage: bench/mutants.sh [MODULE...]      modules: see `order` below (default: all)
#        bench/mutants.sh --survivors [MODULE...]  only the mutants each module's last run
#                                          missed (after adding tests for them)
#        bench/mutants.sh --in-diff [BASE] the mutants in lines changed since BASE (main)
#        MUTANTS_SAMPLE=K/N bench/mutants.sh MODULE  one mutant in N (those whose index is K
#                                          modulo N): an estimate for a module of hundreds
set -euo pipefail
cd "$(dirname "$0")/.."
# The version CI pins (.ci/mutants), in the same place.
export PATH=$PWD/target/tools/bin:$PATH
cargo mutants --version 2>/dev/null | grep -qF 27.1.0 ||
  cargo install --locked cargo-mutants@27.1.0 --root target/tools
command -v cargo-nextest >/dev/null || cargo install --locked cargo-nextest
# One build directory for every module's scratch copy: the dependencies compile once.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target/mutants-build}

lib='kind(lib)'
cases='(binary(contract) & test(/^case::/))'
bin='kind(bin)'
declare -A files=(
  [checks]=src/suite/verify/check.rs
  [drift]=src/suite/verify/drift.rs
  [redaction]='src/redact/*.rs'
  [ledger]=src/suite/ledger.rs
  [retries]=src/suite/transport/retry.rs
  [handlers]=src/mock/handlers.rs
  [volatile]=src/suite/verify/volatile.rs
  [normalise]=src/suite/verify/normalise.rs
  [baseline]='src/suite/verify/{baseline,comparison,snap}.rs'
  [plan]='src/suite/plan/*.rs'
  [preflight]=src/suite/preflight.rs
  [learn]='src/suite/learn/*.rs'
  [profile]=src/contract/profile.rs
  [fixture]=src/suite/fixture.rs
  [text]=src/report/text.rs
  [curl]=src/report/curl.rs
  [json]='src/report/json/*.rs'
  [junit]=src/report/junit.rs
  [markdown]=src/report/markdown.rs
  [html]=src/report/html.rs
  [args]='src/cli/args/*.rs'
  [logging]=src/cli/logging.rs
  [explorer]='src/suite/explore/*.rs'
)
declare -A tests=(
  [checks]="$lib | $cases | (binary(contract) & test(/^transport::/))"
  [drift]="$lib | $cases | (binary(contract) & test(/^parity::/))"
  [redaction]="$lib | (binary(contract) & (test(/key/) | test(/^reports::/)))"
  [ledger]="$lib | (binary(contract) & (test(/^safety::/) | test(/^transport::/)))"
  [retries]="$lib | (binary(contract) & test(/^transport::/))"
  [handlers]="$lib | $cases | (binary(contract) & (test(/^hostile::/) | test(/^mock_http::/) | test(/^mock_assert::/) | test(/^parity::/)))"
  [volatile]="$lib | $cases | (binary(contract) & (test(/^parity::/) | test(/^standins::/)))"
  [normalise]="$lib | $cases | (binary(contract) & (test(/^parity::/) | test(/^standins::/)))"
  [baseline]="$lib | (binary(contract) & (test(/^files::/) | test(/^reports::/) | test(/^standins::/)))"
  [plan]="$lib | (binary(contract) & (test(/^safety::/) | test(/^cli::/)))"
  [preflight]="$lib | $bin | (binary(contract) & (test(/^cli::/) | test(/^safety::/) | test(/^files::/) | test(/^reports::/)))"
  [learn]="$lib | (binary(contract) & test(/^parity::/))"
  [profile]="$lib | (binary(contract) & test(/^parity::/))"
  [fixture]="$lib | $cases | (binary(contract) & (test(/^ownership::/) | test(/^standins::/) | test(/^keep::/)))"
  [text]="$lib | $bin | (binary(contract) & (test(/^reports::/) | test(/^output::/) | test(/^terminal::/)))"
  [curl]="$lib | (binary(contract) & (test(/^reports::/) | test(/^output::/)))"
  [json]="$lib | (binary(contract) & test(/^reports::/))"
  [junit]="$lib | (binary(contract) & (test(/^reports::/) | test(/^output::/)))"
  [markdown]="$lib | (binary(contract) & (test(/^reports::/) | test(/^output::/)))"
  [html]="$lib | (binary(contract) & (test(/^reports::/) | test(/^output::/)))"
  [args]="$bin | (binary(contract) & (test(/^cli::/) | test(/^terminal::/)))"
  [logging]="$bin | (binary(contract) & (test(/^cli::/) | test(/^terminal::/) | test(/^mock_http::/)))"
  [explorer]="$lib | (binary(contract) & test(/^explore::/))"
)
# What each module's tests need built: the library's tests and the integration tests, and the
# binary's own tests only where the filter runs them (building every target, examples
# included, costs each mutant seconds more).
declare -A builds=(
  [preflight]="--lib --bins --test contract"
  [text]="--lib --bins --test contract"
  [args]="--lib --bins --test contract"
  [logging]="--lib --bins --test contract"
)
order=(checks drift redaction ledger retries handlers volatile normalise baseline plan preflight
  learn profile fixture text curl json junit markdown html args logging explorer)

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
  if [ -n "${MUTANTS_SAMPLE:-}" ]; then
    only+=(--shard "$MUTANTS_SAMPLE" --sharding round-robin)
    out=$out-sample
  fi
  mkdir -p target/mutants
  start=$(date +%s)
  built=()
  for target in ${builds[$module]:---lib --test contract}; do built+=(--cargo-arg="$target"); done
  cargo mutants -f "$file" "${only[@]}" "${built[@]}" -o "$out" -- -E "${tests[$module]}" >"$out.log" 2>&1 || true
  minutes=$(( ($(date +%s) - start + 30) / 60 ))
  outcomes=$out/mutants.out/outcomes.json
  if [ ! -f "$outcomes" ]; then
    echo "| $module | \`$file\` | none under the filters (see .cargo/mutants.toml) | | | | | | |"
    continue
  fi
  caught=$(count "$outcomes" CaughtMutant)
  missed=$(count "$outcomes" MissedMutant)
  timeout=$(count "$outcomes" Timeout)
  unviable=$(count "$outcomes" Unviable)
  total=$((caught + missed + timeout + unviable))
  viable=$((caught + missed + timeout))
  share=$(python3 -c "print(f'{100 * ($caught + $timeout) / max($viable, 1):.0f} %')")
  echo "| $module | \`$file\` | $total | $caught | $missed | $timeout | $unviable | $share | $minutes |"
done
