#!/bin/sh
# Scaling of `crsim sweep` on the shipped example: tasks/s on 1 and 2 threads, two independent
# single-thread sweeps at once (`processes 2`: what this machine's cores give wholly independent
# work, the ceiling for the others) and, when MPI support is built in and mpirun is on PATH, on 1
# and 2 MPI ranks. Each configuration runs REPEAT times (default 5) into a fresh store, the
# configurations taking turns (round r runs each of them once), so a slow spell of the machine hits
# all of them alike rather than one; the best run of each counts (the one least disturbed by other
# processes). The figure is crsim's own closing report (summed over the processes); the CPU seconds
# (user + system, all threads, ranks and processes) show whether a slower run did less work or
# waited for a CPU. The load average is printed before and after: on a shared machine, quote it
# with the numbers. (`--oversubscribe` lets 2 ranks run on a 1-core machine; on 2 cores it changes
# nothing.)
# Usage (from the repository root): tools/bench/sweep-scaling.sh [CRSIM] [SWEEP.yaml]
set -eu
crsim=${1:-build/bin/crsim}
sweep=${2:-scenarios/sweeps/patience-by-nights.yaml}
repeat=${REPEAT:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
configurations="threads_1 threads_2 processes_2"
if "$crsim" --version | grep -qx 'mpi: yes' && command -v mpirun >/dev/null; then
    configurations="$configurations mpi_ranks_1 mpi_ranks_2"
    mpi_note=
else
    mpi_note="(no MPI runs: crsim --version says mpi: no, or mpirun is not on PATH)"
fi
# The CPU seconds (user + system) of this shell's finished children so far, from `times` (run in
# this shell, not in a command substitution's subshell, which has children of its own).
children_cpu() {
    times >"$dir/times.txt"
    tail -n 1 "$dir/times.txt" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); print 60 * u[1] + u[2] + 60 * s[1] + s[2] }'
}
# start CONFIGURATION: runs it once; crsim's stderr goes to $dir/err*.txt, one file a process.
start() {
    workers=${1##*_}
    rm -f "$dir"/*.sqlite* "$dir"/err*.txt
    case $1 in
    threads_*) "$crsim" sweep "$sweep" --threads "$workers" --out "$dir/s.sqlite" 2>"$dir/err.txt" ;;
    mpi_ranks_*) mpirun -np "$workers" --oversubscribe "$crsim" sweep "$sweep" --out "$dir/s.sqlite" 2>"$dir/err.txt" ;;
    processes_*)
        # What the machine gives wholly independent work: single-thread sweeps at once, each into
        # a store of its own; their tasks/s summed is the ceiling for threads and ranks.
        i=1
        while [ $i -le "$workers" ]; do
            "$crsim" sweep "$sweep" --threads 1 --out "$dir/p$i.sqlite" 2>"$dir/err$i.txt" &
            i=$((i + 1))
        done
        wait
        ;;
    esac >/dev/null
}
# measure CONFIGURATION: runs it once; keeps "tasks/s wall cpu" in $dir/CONFIGURATION if the best so far.
measure() {
    best_file=$dir/$1
    children_cpu >"$dir/cpu.txt"
    cpu_before=$(cat "$dir/cpu.txt")
    started=$(date +%s.%N)
    start "$1" || { echo "$1 failed: $(tail -3 "$dir"/err*.txt)" >&2; exit 1; }
    wall=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
    children_cpu >"$dir/cpu.txt"
    cpu=$(awk -v a="$cpu_before" -v b="$(cat "$dir/cpu.txt")" 'BEGIN { printf "%.2f", b - a }')
    rate=0
    for err in "$dir"/err*.txt; do
        r=$(sed -n 's/.*: \([0-9.]*\) tasks\/s on .*/\1/p' "$err" | tail -n 1)
        [ -n "$r" ] || { echo "$1 failed: $(tail -3 "$err")" >&2; exit 1; }
        rate=$(awk -v a="$rate" -v b="$r" 'BEGIN { printf "%.2f", a + b }')
    done
    best=$(cut -d' ' -f1 "$best_file" 2>/dev/null || echo 0)
    if awk -v r="$rate" -v b="$best" 'BEGIN { exit !(r > b) }'; then echo "$rate $wall $cpu" >"$best_file"; fi
}
echo "crsim sweep $sweep, best of $repeat runs; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
round=0
while [ $round -lt "$repeat" ]; do
    for config in $configurations; do measure "$config"; done
    round=$((round + 1))
done
printf '%-16s %10s %9s %8s %12s\n' configuration tasks/s wall_s cpu_s efficiency
for config in $configurations; do
    read -r rate wall cpu <"$dir/$config"
    workers=${config##*_}
    # Efficiency: tasks/s per worker against one worker of the same kind (processes: one thread).
    if [ "$workers" = 1 ]; then one=$rate; fi
    efficiency=$(awk -v r="$rate" -v w="$workers" -v o="$one" 'BEGIN { printf "%.0f", 100 * r / (w * o) }')
    printf '%-16s %10s %9s %8s %11s%%\n' "$(echo "$config" | tr _ ' ')" "$rate" "$wall" "$cpu" "$efficiency"
done
[ -z "$mpi_note" ] || echo "$mpi_note"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
