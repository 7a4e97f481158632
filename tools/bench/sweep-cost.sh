#!/bin/sh
# What a sweep costs, and how the cost grows with its replications and its horizon: the shipped
# example (scenarios/sweeps/patience-by-nights.yaml, 20 points) run on one thread with 5, 10 and 20
# replications at the base scenario's horizon, and with 10 replications at 1, 2 and 4 times that
# horizon (a `horizon:` parameter of one value added to the copy). For each: the tasks, the CPU
# seconds (user + system), tasks per CPU second (tasks/s per core, what a core gives whatever
# else runs on the machine), CPU ms per task and per simulated week of a task, and the growth of
# the CPU seconds against the first row of its kind. The store's writing is included (one
# transaction per batch of tasks). CPU seconds, not wall time: on a shared machine a run waits for
# a CPU, which wall time counts and CPU time does not. Each configuration runs REPEAT times
# (default 3), the configurations taking turns; the median CPU time counts.
# Usage (from the repository root): tools/bench/sweep-cost.sh [CRSIM]
set -eu
crsim=${1:-build/bin/crsim}
repeat=${REPEAT:-3}
sweep=scenarios/sweeps/patience-by-nights.yaml
base_weeks=5 # the horizon of scenarios/two-rooms.yaml, the sweep's base
points=20    # 4 patience values x 5 night headcounts
[ -x "$crsim" ] || { echo "sweep-cost.sh: $crsim is not an executable (build first)" >&2; exit 2; }
grep -qx "horizon: ${base_weeks}w" scenarios/two-rooms.yaml || {
    echo "sweep-cost.sh: scenarios/two-rooms.yaml no longer has horizon: ${base_weeks}w; update base_weeks" >&2
    exit 2
}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# The configurations: "replications weeks".
configurations="5 $base_weeks
10 $base_weeks
20 $base_weeks
10 $((2 * base_weeks))
10 $((4 * base_weeks))"
# sweep_file REPLICATIONS WEEKS: a copy of the shipped sweep with these replications and horizon.
sweep_file() {
    file=$dir/r$1-w$2.yaml
    sed -e "s#^base: \.\./#base: $PWD/scenarios/#" -e "s/^replications: .*/replications: $1/" "$sweep" >"$file"
    [ "$2" = "$base_weeks" ] || sed -i "s/^parameters:$/parameters:\n  horizon: [$2w]/" "$file"
    echo "$file"
}
# cpu_seconds: user + system CPU seconds of this shell's finished children so far (run in this
# shell, not in a command substitution's subshell, which has children of its own).
cpu_seconds() {
    times >"$dir/times.txt"
    tail -n 1 "$dir/times.txt" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); print 60 * u[1] + u[2] + 60 * s[1] + s[2] }'
}
echo "crsim sweep $sweep on 1 thread, median of $repeat runs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
round=0
while [ $round -lt "$repeat" ]; do
    echo "$configurations" | while read -r replications weeks; do
        file=$(sweep_file "$replications" "$weeks")
        rm -f "$dir/s.sqlite"*
        cpu_seconds >"$dir/before.txt"
        "$crsim" sweep "$file" --threads 1 --out "$dir/s.sqlite" -q || {
            echo "sweep-cost.sh: the sweep of $replications replications, ${weeks}w failed" >&2
            exit 1
        }
        cpu_seconds >"$dir/after.txt"
        awk -v a="$(cat "$dir/before.txt")" -v b="$(cat "$dir/after.txt")" 'BEGIN { printf "%.3f\n", b - a }' >>"$dir/cpu-r$replications-w$weeks"
    done
    round=$((round + 1))
done
printf '%-12s %-8s %6s %7s %14s %13s %17s %7s\n' replications horizon tasks cpu_s tasks_per_cpu_s cpu_ms_per_task \
    cpu_ms_per_task_week growth
echo "$configurations" | while read -r replications weeks; do
    cpu=$(sort -n "$dir/cpu-r$replications-w$weeks" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    if [ "$weeks" = "$base_weeks" ] && [ "$replications" = 5 ]; then by_replications=$cpu; fi
    if [ "$replications" = 10 ] && [ "$weeks" = "$base_weeks" ]; then by_horizon=$cpu; fi
    if [ "$weeks" = "$base_weeks" ]; then first=$by_replications; else first=$by_horizon; fi
    awk -v r="$replications" -v w="$weeks" -v c="$cpu" -v p="$points" -v f="$first" 'BEGIN {
        tasks = r * p
        printf "%-12d %-8s %6d %7.2f %14.1f %15.1f %17.2f %6.2fx\n", r, w "w", tasks, c, tasks / c, 1000 * c / tasks,
            1000 * c / tasks / w, c / f
    }'
done
echo "growth: CPU s against 5 replications (rows at ${base_weeks}w) or against ${base_weeks}w (rows of 10 replications beyond it)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
