#!/bin/sh
# The HTML report (--report FILE.html) end to end: the same numbers as the JSON, reproducible,
# clear errors, and drawn completely by headless Chromium offline (tools/check_report.py).
# Usage: test_report.sh CRSIM WORKDIR CASE (run from the repository root). Exit 77 = skipped.
set -u
crsim=$1 work=$2 case=$3
mkdir -p "$work" && cd "$work" || exit 1
root=$OLDPWD
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 >/dev/null || { echo "skipped: python3 is not installed (tools/install-deps.sh installs it)"; exit 77; }

# same_figures PAGE OPTION SUMMARY.json: the page's embedded summary of OPTION equals SUMMARY.json.
same_figures() {
    python3 - "$1" "$2" "$3" <<'EOF' || fail "$1: the figures of $2 differ from $3"
import json, re, sys
page, option, path = sys.argv[1:]
text = open(page, encoding="utf-8").read()
data = json.loads(re.search(r'<script type="application/json" id="crsim-summary">(.*?)</script>', text, re.S).group(1))
embedded = [d["summary"] for d in data if d["option"] == option]
sys.exit(0 if embedded and embedded[0] == json.load(open(path, encoding="utf-8")) else 1)
EOF
}

case $case in
run)
    # The page holds the numbers summary.json has, and the same seed gives the same page on 1 thread.
    "$crsim" run "$root/scenarios/two-rooms.yaml" -n 3 --out res --report r.html -f json >out.json 2>err.txt ||
        fail "status $?: $(cat err.txt)"
    grep -qx "crsim: wrote the report (8 charts) to r.html" err.txt || fail "stderr: $(cat err.txt)"
    [ "$(head -c 15 r.html)" = "<!DOCTYPE html>" ] || fail "r.html is not a page"
    [ "$(grep -c '<canvas id="chart-' r.html)" -eq 8 ] || fail "not 8 canvases"
    grep -q 'Chart.js v' r.html || fail "Chart.js is not inlined"
    grep -Eq '<(script|link|img)[^>]* (src|href)=' r.html && fail "the page loads a file"
    same_figures r.html two-rooms res/summary.json
    "$crsim" run "$root/scenarios/two-rooms.yaml" -n 3 -t 1 -q --report again.html >/dev/null 2>&1 || fail "status $?"
    cmp -s r.html again.html || fail "the same seed gives another page"
    ls | grep -v -x -e res -e r.html -e again.html -e out.json -e err.txt && fail "stray files"
    ;;
compare)
    "$crsim" compare "$root/scenarios/two-rooms.yaml" "$root/scenarios/one-room.yaml" -n 3 --window 3-5 -q \
        --out res --report c.html >/dev/null 2>err.txt || fail "status $?: $(cat err.txt)"
    [ ! -s err.txt ] || fail "--quiet printed: $(cat err.txt)"
    same_figures c.html two-rooms res/two-rooms/summary.json
    same_figures c.html one-room res/one-room/summary.json
    grep -q '<h2>Against the baseline two-rooms' c.html || fail "no paired differences"
    grep -q '<figcaption>Rostered cost per year against ' c.html || fail "no cost chart"
    ;;
errors)
    # Chart.js missing: exit 1 before anything runs, naming the package; an old report is kept.
    echo old >r.html
    CRSIM_CHART_JS=/nonexistent/chart.min.js "$crsim" run "$root/scenarios/two-rooms.yaml" -n 3 --report r.html \
        >out.txt 2>err.txt
    st=$?; [ $st -eq 1 ] || fail "status $st instead of 1"
    grep -qx "crsim run: error: cannot read Chart.js from /nonexistent/chart.min.js for the HTML report: install the Debian package libjs-chart.js (tools/install-deps.sh does), or set CRSIM_CHART_JS to a copy of chart.min.js" err.txt ||
        fail "stderr: $(cat err.txt)"
    [ ! -s out.txt ] || fail "stdout not empty"
    [ "$(cat r.html)" = old ] || fail "the old report was changed"
    CRSIM_CHART_JS=/nonexistent/chart.min.js "$crsim" compare "$root/scenarios/two-rooms.yaml" \
        "$root/scenarios/one-room.yaml" -n 2 --report r.html >out.txt 2>err.txt
    st=$?; [ $st -eq 1 ] || fail "compare: status $st instead of 1"
    grep -q "^crsim compare: error: cannot read Chart.js from /nonexistent/chart.min.js" err.txt || fail "compare stderr: $(cat err.txt)"
    [ ! -s out.txt ] || fail "compare: stdout not empty"
    # A report that cannot be written: exit 1, nothing left behind.
    echo file >notadir
    "$crsim" run "$root/scenarios/two-rooms.yaml" -n 2 -q --report notadir/r.html >out.txt 2>err.txt
    st=$?; [ $st -eq 1 ] || fail "status $st instead of 1 for an unwritable path"
    grep -q "^crsim run: error: cannot write notadir/r.html" err.txt || fail "stderr: $(cat err.txt)"
    "$crsim" run "$root/scenarios/two-rooms.yaml" --report '' >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "status $st instead of 2 for an empty --report"
    grep -q "crsim run: error: --report needs a file name" err.txt || fail "stderr: $(cat err.txt)"
    ;;
fit-backtest)
    # The bank log: the fit report and the backtest report, which carries backtest.json's numbers.
    "$crsim" fit "$root/scenarios/data/bank-1999-10.csv" --out bank.yaml --report fit.html >/dev/null 2>err.txt ||
        fail "fit: status $?: $(cat err.txt)"
    grep -qx "crsim: wrote the fit report (25 charts) to fit.html" err.txt || fail "fit stderr: $(cat err.txt)"
    grep -q '<figcaption>Patience of PS: survival from 741 abandoned and 21396 answered' fit.html || fail "no PS patience chart"
    "$crsim" backtest bank.yaml "$root/scenarios/data/bank-1999-10.csv" -n 4 --out res --report bt.html >/dev/null 2>err.txt ||
        fail "backtest: status $?: $(cat err.txt)"
    grep -q "^crsim: wrote the report (28 charts) to bt.html" err.txt || fail "backtest stderr: $(cat err.txt)"
    python3 - bt.html res/backtest.json <<'EOF' || fail "bt.html does not carry backtest.json's figures"
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
embedded = re.search(r'<script type="application/json" id="crsim-backtest">(.*?)</script>', text, re.S).group(1)
sys.exit(0 if json.loads(embedded) == json.load(open(sys.argv[2], encoding="utf-8")) else 1)
EOF
    CRSIM_CHART_JS=/nonexistent/chart.min.js "$crsim" fit "$root/scenarios/data/bank-1999-10.csv" --out other.yaml \
        --report other.html >/dev/null 2>err.txt
    st=$?; [ $st -eq 1 ] || fail "fit without Chart.js: status $st instead of 1"
    [ ! -e other.yaml ] || fail "fit without Chart.js wrote the scenario"
    grep -q "libjs-chart.js" err.txt || fail "fit without Chart.js: $(cat err.txt)"
    ;;
fit-backtest-chromium)
    "$crsim" fit "$root/scenarios/data/bank-1999-10.csv" --out bank.yaml --report fit.html >/dev/null 2>err.txt ||
        fail "fit: status $?: $(cat err.txt)"
    "$crsim" backtest bank.yaml "$root/scenarios/data/bank-1999-10.csv" -n 4 --report bt.html >/dev/null 2>err.txt ||
        fail "backtest: status $?: $(cat err.txt)"
    python3 "$root/tools/check_report.py" fit.html --min-charts 20 --no-screenshot || exit $?
    python3 "$root/tools/check_report.py" bt.html --min-charts 20 --no-screenshot
    exit $?
    ;;
chromium)
    # Issue 9's acceptance: the five merger options over the recovery window, drawn offline.
    "$crsim" compare "$root/scenarios/merger.yaml" "$root/scenarios/merger-officers.yaml" \
        "$root/scenarios/merger-overtime.yaml" "$root/scenarios/merger-101-training.yaml" \
        "$root/scenarios/merger-all-measures.yaml" -n 2 --window recovery -q --report r.html >/dev/null 2>err.txt ||
        fail "status $?: $(cat err.txt)"
    python3 "$root/tools/check_report.py" r.html --min-charts 5
    exit $?
    ;;
scrutiny-chromium)
    # Issue 27's control charts: reported weeks from the scenario itself, one chart per class and
    # figure, drawn offline, and the page carries scrutiny.json's numbers.
    "$crsim" run "$root/scenarios/two-rooms.yaml" --start-date 2014-01-06 --set horizon=6w -n 1 -s 5 \
        --weekly-kpis weeks.csv -q >/dev/null 2>err.txt || fail "run: status $?: $(cat err.txt)"
    "$crsim" scrutiny "$root/scenarios/two-rooms.yaml" weeks.csv --start-date 2014-01-06 -n 39 --before 2-3 \
        --after 4-6 --out res --report s.html >/dev/null 2>err.txt || fail "scrutiny: status $?: $(cat err.txt)"
    grep -qx "crsim: wrote the report (8 charts) to s.html" err.txt || fail "scrutiny stderr: $(cat err.txt)"
    for figure in "999: offered" "999: abandoned_pct" "999: asa_s" "999: service_level_10s" "101: offered" \
        "101: abandoned_pct" "101: asa_s" "101: service_level_180s"; do
        grep -q "<figcaption>$figure week by week" s.html || fail "no control chart of $figure"
    done
    python3 - s.html res/scrutiny.json <<'EOF' || fail "s.html does not carry scrutiny.json's figures"
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
embedded = re.search(r'<script type="application/json" id="crsim-scrutiny">(.*?)</script>', text, re.S).group(1)
sys.exit(0 if json.loads(embedded) == json.load(open(sys.argv[2], encoding="utf-8")) else 1)
EOF
    python3 "$root/tools/check_report.py" s.html --min-charts 8 --no-screenshot
    exit $?
    ;;
*)
    fail "unknown case $case"
    ;;
esac
echo "ok: $case"
