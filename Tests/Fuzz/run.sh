#!/usr/bin/env bash
# Fuzzes the submission body decoding and validation path (ModeratoCore) with libFuzzer.
#
#   Tests/Fuzz/run.sh [SECONDS]      # default 60
#
# Builds Tests/Fuzz/SubmissionFuzzer with -sanitize=fuzzer in .build-fuzz (the first build takes a
# few minutes), seeds a corpus from Tests/Fuzz/corpus, and runs for SECONDS. New interesting inputs
# are kept in .build-fuzz/corpus; a crash leaves its input as .build-fuzz/crash-* and a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"

MODERATO_FUZZ=1 swift build --scratch-path .build-fuzz --product submission-fuzzer \
    -Xswiftc -sanitize=fuzzer,address
binary="$(MODERATO_FUZZ=1 swift build --scratch-path .build-fuzz --product submission-fuzzer --show-bin-path)/submission-fuzzer"

mkdir -p .build-fuzz/corpus
cp -n Tests/Fuzz/corpus/* .build-fuzz/corpus/ 2>/dev/null || true
cd .build-fuzz
# The Swift runtime backtracer and ASan both want the crash; let libFuzzer report it.
export SWIFT_BACKTRACE=enable=no
"$binary" -max_total_time="$seconds" -max_len=4096 -timeout=5 -print_final_stats=1 corpus
