#!/bin/sh
# Scaling of `crsim sweep` on the shipped example: tasks/s on 1 and 2 threads and, when MPI support
# is built in and mpirun is on PATH, on 1 and 2 MPI ranks; each configuration runs REPEAT times
# (default 3) into a fresh store and the best run counts (the one least disturbed by other
# processes). The figure is crsim's own closing report; the CPU seconds (user + system, all threads
# and ranks) show whether a slower run did less work or waited for a CPU. The load average is
# printed before and after: on a shared machine, quote it with the numbers.
# Usage (from the repository root): tools/bench/sweep-scaling.sh [CRSIM] [SWEEP.yaml]
set -eu
crsim=${1:-build/bin/crsim}
sweep=${2:-scenarios/sweeps/patience-by-nights.yaml}
repeat=${REPEAT:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "crsim sweep $sweep, best of $repeat runs; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-16s %10s %9s %8s %12s\n' configuration tasks/s wall_s cpu_s efficiency
one=
# The CPU seconds (user + system) of this shell's finished children so far, from `times` (run in
# this shell, not in a command substitution's subshell, which has children of its own).
children_cpu() {
    times >"$dir/times.txt"
    tail -n 1 "$dir/times.txt" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); print 60 * u[1] + u[2] + 60 * s[1] + s[2] }'
}
# run NAME COMMAND...: runs the configuration $repeat times, prints its best line.
run() {
    name=$1
    shift
    best= best_wall= best_cpu=
    i=0
    while [ $i -lt "$repeat" ]; do
        rm -f "$dir"/s.sqlite*
        children_cpu >"$dir/cpu.txt"
        cpu_before=$(cat "$dir/cpu.txt")
        start=$(date +%s.%N)
        "$@" --out "$dir/s.sqlite" 2>"$dir/err.txt" >/dev/null || { echo "$name failed: $(tail -3 "$dir/err.txt")" >&2; exit 1; }
        wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
        children_cpu >"$dir/cpu.txt"
        cpu=$(awk -v a="$cpu_before" -v b="$(cat "$dir/cpu.txt")" 'BEGIN { printf "%.2f", b - a }')
        rate=$(sed -n 's/.*: \([0-9.]*\) tasks\/s on .*/\1/p' "$dir/err.txt" | tail -n 1)
        if [ -z "$best" ] || awk -v r="$rate" -v b="$best" 'BEGIN { exit !(r > b) }'; then
            best=$rate best_wall=$wall best_cpu=$cpu
        fi
        i=$((i + 1))
    done
    # Efficiency: tasks/s per worker against one worker's.
    workers=${name##* }
    if [ "$workers" = 1 ]; then one=$best; fi
    efficiency=$(awk -v r="$best" -v w="$workers" -v o="$one" 'BEGIN { printf "%.0f", 100 * r / (w * o) }')
    printf '%-16s %10s %9s %8s %11s%%\n' "$name" "$best" "$best_wall" "$best_cpu" "$efficiency"
}
run "threads 1" "$crsim" sweep "$sweep" --threads 1
run "threads 2" "$crsim" sweep "$sweep" --threads 2
if "$crsim" --version | grep -qx 'mpi: yes' && command -v mpirun >/dev/null; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    run "mpi ranks 1" mpirun -np 1 "$crsim" sweep "$sweep"
    run "mpi ranks 2" mpirun -np 2 --oversubscribe "$crsim" sweep "$sweep"
else
    echo "(no MPI runs: crsim --version says mpi: no, or mpirun is not on PATH)"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
