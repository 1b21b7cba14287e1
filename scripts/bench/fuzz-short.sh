#!/usr/bin/env bash
# The benchmark's short fuzz run: every libFuzzer target for 30 s (docs/reliability.md); not
# part of CI. Same as `scripts/fuzz/run.sh --seconds 30`, findings in fuzz/.work/artifacts/.
exec "$(dirname "$0")/../fuzz/run.sh" --seconds "${1:-30}"
