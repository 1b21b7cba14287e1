#!/bin/sh
# LSTM data-parallel scaling on this machine: 1 process vs `mpirun -np 2`, one thread per rank, same
# total work (scripts/bench/scale_mpi.py). Needs Open MPI (openmpi-bin). Release build; holds
# /tmp/lyrics-bench.lock so it never overlaps another benchmark.
#   scripts/bench/scale-mpi.sh [--steps 60] [--markdown-out docs/x.md]
set -eu
cd "$(dirname "$0")/../.."
scratch=${SCRATCH_PATH:-.build-w-rel}
swift build -c release --scratch-path "$scratch" --product lyrics >&2
exec flock /tmp/lyrics-bench.lock python3 scripts/bench/scale_mpi.py --lyrics "$scratch/release/lyrics" "$@"
