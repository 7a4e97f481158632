#pragma once
/// \file
/// The `crsim` subcommands. Each takes the arguments after its own name and returns the exit status:
/// 0 success, 1 a failure while running, 2 bad input (usage, scenario or parameter errors).

namespace crsim::cli {

/// `crsim run SCENARIO.yaml [--replications N] [--seed S] [--threads T] [--out DIR] [--format F]`.
int run_command(int argc, const char* const* argv);

/// `crsim validate SCENARIO.yaml`: load and check a scenario only.
int validate_command(int argc, const char* const* argv);
/// `crsim erlang ...`: Erlang C / Erlang A for one class and one pool.
int erlang_command(int argc, const char* const* argv);

/// `crsim check SCENARIO.yaml [--format table|json]`: routing graph and fluid capacity check.
int check_command(int argc, const char* const* argv);

/// `crsim sweep SWEEP.yaml --out RESULTS.sqlite [--threads T] [--shard I/N]`: a sweep into a SQLite store.
int sweep_command(int argc, const char* const* argv);

/// `crsim export RESULTS.sqlite --csv DIR`: each table of a sweep store as CSV.
int export_command(int argc, const char* const* argv);

/// `crsim merge A.sqlite B.sqlite ... --out ALL.sqlite`: stores of one sweep combined.
int merge_command(int argc, const char* const* argv);

/// `crsim staff SCENARIO.yaml [--window W] [--out DIR] ...`: the cheapest roster meeting every target.
int staff_command(int argc, const char* const* argv);
/// `crsim fit CALLS.csv --out SCENARIO.yaml ...`: a scenario fitted to a call log.
int fit_command(int argc, const char* const* argv);

/// `crsim backtest SCENARIO.yaml CALLS.csv ...`: the scenario simulated over the log's dates, set beside it.
int backtest_command(int argc, const char* const* argv);

/// `crsim scrutiny SCENARIO.yaml KPIS.csv ...`: reported weeks against the model's one-week bands.
int scrutiny_command(int argc, const char* const* argv);

/// `crsim calibrate SCENARIO.yaml KPIS.csv --vary PATH=LO..HI ...`: parameters the weekly figures imply.
int calibrate_command(int argc, const char* const* argv);

/// `crsim compare A.yaml B.yaml ...`: options run with common random numbers, compared with the first.
int compare_command(int argc, const char* const* argv);

}  // namespace crsim::cli
