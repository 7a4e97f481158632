#!/bin/sh
# Tasks/s of `crsim sweep` on the shipped example, on 1 and 2 threads and (when MPI support is
# built in) 1 and 2 MPI ranks. Each configuration runs into a fresh store; the figure is crsim's
# own closing report. Usage: tools/bench/bench_sweep.sh [CRSIM] [SWEEP.yaml] (from the repository root).
set -eu
crsim=${1:-build/bin/crsim}
sweep=${2:-scenarios/sweeps/patience-by-nights.yaml}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
report() { grep 'tasks/s' "$dir/err.txt" | sed 's/^crsim sweep: //'; }
for t in 1 2; do
    "$crsim" sweep "$sweep" --out "$dir/t$t.sqlite" --threads "$t" 2>"$dir/err.txt"
    echo "threads $t: $(report)"
done
if "$crsim" --version | grep -qx 'mpi: yes' && command -v mpirun >/dev/null; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    for n in 1 2; do
        mpirun -np "$n" --oversubscribe "$crsim" sweep "$sweep" --out "$dir/r$n.sqlite" 2>"$dir/err.txt"
        echo "ranks $n: $(report)"
    done
fi
# CPU time per task, which the load of other processes does not inflate.
echo "mean task time (s, from the tasks table): $(sqlite3 "$dir/t1.sqlite" 'select round(avg(seconds), 4) from tasks')"
