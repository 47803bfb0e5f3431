#!/usr/bin/env bash
# THE test command (`npm test`). Runs every suite, keeps going after a failure, and ends with one line
#   N passed, M failed, K skipped
# summing them all. Exit status 0 only when nothing failed.
#
# Suites, in order:
#   wasm      `bash wasm/build.sh --check`: the committed wasm/dta.wasm is a byte-identical rebuild (1 test)
#   types     `tsc --noEmit` (1 test)
#   style     `biome check`: formatting and lint rules of biome.json (1 test)
#   node      vitest, Node project (vitest.config.ts: unit tests, vectors through the vector CLI, shared cases;
#             most files share a worker process, those that need a fresh one are listed there)
#   components vitest, component project (test/components/vitest.config.ts: Solid components in happy-dom)
#   browser   vitest, browser project (test/browser/vitest.config.ts: the shared cases in Chromium via the worker)
#   e2e       vitest, e2e project (test/e2e/vitest.config.ts: the built app in Chromium against real nodes, one worker)
# Benchmarks are never run here (`npm run bench`).
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"   # Node 22 from the `node` devDependency comes first

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
passed=0
failed=0
skipped=0
summary=()

# Runs one command as a single test: pass when it exits 0 within its time limit.
single() { # name limit_seconds cmd...
  local name="$1" limit="$2"; shift 2
  echo "== $name: $*"
  local t0=$SECONDS
  if timeout --kill-after=10 "$limit" "$@"; then
    passed=$((passed + 1)); summary+=("$name: passed ($((SECONDS - t0)) s)")
  else
    failed=$((failed + 1)); summary+=("$name: FAILED ($((SECONDS - t0)) s)")
  fi
}

# Prints "<passed> <failed> <skipped>" from a vitest JSON report. A file that failed without a failed test (an import
# error, a failing beforeAll) counts as one failure, and so does a run that left no report at all.
count_vitest() { # report_file exit_status
  node -e '
    const fs = require("node:fs");
    const [file, status] = [process.argv[1], Number(process.argv[2])];
    let r;
    try { r = JSON.parse(fs.readFileSync(file, "utf8")); } catch { console.log("0 1 0"); process.exit(0); }
    let failed = r.numFailedTests;
    for (const f of r.testResults) {
      if (f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed")) failed++;
    }
    if (status !== 0 && failed === 0) failed = 1;
    console.log(`${r.numPassedTests} ${failed} ${r.numPendingTests + r.numTodoTests}`);
  ' "$1" "$2"
}

vitest_suite() { # name config limit_seconds
  local name="$1" config="$2" limit="$3"
  echo "== $name: vitest run --config $config"
  local t0=$SECONDS status=0
  timeout --kill-after=10 "$limit" vitest run --config "$config" \
    --reporter=default --reporter=json --outputFile.json="$out/$name.json" || status=$?
  local p f k
  read -r p f k < <(count_vitest "$out/$name.json" "$status")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + k))
  summary+=("$name: $p passed, $f failed, $k skipped ($((SECONDS - t0)) s)")
}

# Debian tools the suites need (clang, lld, chromium): installed when missing and we are root, else a note.
bash scripts/setup-system.sh || echo "note: the wasm check and the browser suite will fail without those packages"

single wasm 300 bash wasm/build.sh --check
single types 300 tsc --noEmit
single style 300 biome check --diagnostic-level=error .
vitest_suite node vitest.config.ts 1200
vitest_suite components test/components/vitest.config.ts 300
vitest_suite browser test/browser/vitest.config.ts 600
vitest_suite e2e test/e2e/vitest.config.ts 900

echo
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
