#!/usr/bin/env bash
# Builds a libFuzzer target and runs it for SECONDS: Fuzz/run.sh TARGET SECONDS, or
# Fuzz/run.sh all SECONDS for each target in turn (RELIABILITY.md).
#
# Seeds come from Fuzz/corpus/TARGET/ (committed, never written) and tokens from
# Fuzz/dict/TARGET.dict where there is one; what the fuzzer learns goes to
# Fuzz/.build/corpus/TARGET/ (ignored, kept between runs). Exits non-zero when a target
# crashes, leaks, hangs (10 s per input) or exceeds 2 GB, and says where the input is.
set -euo pipefail
cd "$(dirname "$0")"
# The toolchain: the `swift` on PATH, else one .ci/find-swift finds.
. ../.ci/find-swift
# A fatal error should end the process at once; the Swift backtracer is slow under ASan.
export SWIFT_BACKTRACE=enable=no

targets=(request json framer identity record-codec audit-codec snapshot store-image wal stats customers xml navet)

usage() {
    echo "usage: Fuzz/run.sh TARGET|all SECONDS   (TARGET: ${targets[*]})" >&2
    exit 2
}
[[ $# -eq 2 && $2 =~ ^[0-9]+$ ]] || usage
if [[ $1 == all ]]; then
    selected=("${targets[@]}")
    product=()
else
    [[ " ${targets[*]} " == *" $1 "* ]] || usage
    selected=("$1")
    product=(--product "fuzz-$1")
fi

# ASan in every module (C included), libFuzzer's coverage in every Swift module, lld because
# gold fails on the sanitizer objects. Release: fuzzing wants speed, and it is what ships.
mkdir -p .build/logs
built=yes
swift build --scratch-path .build -c release --sanitize address \
    -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld "${product[@]}" >.build/logs/build.log 2>&1 || built=no
grep -v -e "warning: Cannot export local symbol" -e "^ld.lld: warning" .build/logs/build.log || true
[[ $built == yes ]] || { echo "the fuzz build failed (Fuzz/.build/logs/build.log)" >&2; exit 1; }
bin="$(swift build --scratch-path .build -c release --show-bin-path)"

status=0
for target in "${selected[@]}"; do
    [[ -x "$bin/fuzz-$target" ]] || { echo "fuzz-$target: not built" >&2; exit 1; }
    work=".build/corpus/$target"
    crashes=".build/crashes"
    log=".build/logs/$target.log"
    mkdir -p "$work" "$crashes" "$(dirname "$log")"
    dict=()
    [[ -f "dict/$target.dict" ]] && dict=(-dict="dict/$target.dict")
    if "$bin/fuzz-$target" "$work" "corpus/$target" -max_total_time="$2" -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="$crashes/$target-" -print_final_stats=1 "${dict[@]}" >"$log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
        echo "fuzz-$target: ok, $runs executions in $2 s"
    else
        status=1
        tail -n 40 "$log" >&2
        artifact=$(grep -o "Test unit written to .*" "$log" | sed 's/Test unit written to //' || true)
        echo "fuzz-$target: FAILED; input: Fuzz/${artifact:-?}, log: Fuzz/$log" >&2
        echo "  reproduce: $bin/fuzz-$target $PWD/${artifact:-?}" >&2
    fi
done
exit $status
