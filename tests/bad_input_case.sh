#!/bin/sh
# One case of the bad-input corpus (tests/bad_inputs/): runs the real crsim as the case's header
# says and checks the exit status and the one line of stderr expected. Usage (from the repository
# root): bad_input_case.sh CRSIM CASE-FILE. The header is comment lines at the top of the case:
#   # command: validate {}          crsim's arguments; {} is the case file's path
#   # status: 2                     the exit status expected
#   # stderr: {}:9:18: error: ...   a line stderr must hold exactly ({} as above)
#   # stdout: ...                   or a line stdout must hold (for a correct result, not an error)
# A case with status 2 must print nothing on stdout.
set -u
crsim=$1 case_file=$2
fail() { echo "FAIL: $case_file: $*"; exit 1; }
[ -r "$case_file" ] || fail "cannot read the case"
header() { sed -n "s/^# $1: //p" "$case_file" | head -n 1; }
command=$(header command) status=$(header status) expected=$(header stderr) expected_out=$(header stdout)
[ -n "$command" ] && [ -n "$status" ] && { [ -n "$expected" ] || [ -n "$expected_out" ]; } ||
    fail "header lacks command, status, or stderr or stdout"
# {} → the case's path; the substitution is done by awk so that no character of the path is special.
subst() { printf '%s\n' "$1" | awk -v path="$case_file" '{ n = index($0, "{}"); while (n > 0) { $0 = substr($0, 1, n - 1) path substr($0, n + 2); n = index($0, "{}") } print }'; }
command=$(subst "$command") expected=$(subst "$expected") expected_out=$(subst "$expected_out")
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
# The command is split on spaces as written in the header: case paths hold none.
# shellcheck disable=SC2086
timeout 60 "$crsim" $command >"$out" 2>"$err"
got=$?
[ "$got" -eq "$status" ] || fail "status $got instead of $status; stderr: $(head -c 2000 "$err")"
if [ -n "$expected" ]; then
    grep -qxF -- "$expected" "$err" || fail "stderr lacks the line
  $expected
it holds:
$(head -c 2000 "$err")"
fi
if [ -n "$expected_out" ]; then
    grep -qxF -- "$expected_out" "$out" || fail "stdout lacks the line
  $expected_out
it holds:
$(head -c 2000 "$out")"
fi
if [ "$status" -eq 2 ] && [ -s "$out" ]; then fail "stdout not empty: $(head -c 500 "$out")"; fi
echo "ok: $case_file"
