#pragma once
/// \file
/// The `crsim` subcommands. Each command's file keeps its help text, options and helpers in a
/// namespace of its own, named after the file (crsim::cli::run_command, ...), with `run` its entry
/// point: it takes the arguments after the command's name and returns the exit status: 0 success,
/// 1 a failure while running, 2 bad input (usage, scenario or parameter errors).

namespace crsim::cli {

namespace run_command {
/// `crsim run SCENARIO.yaml [--replications N] [--seed S] [--threads T] [--out DIR] [--format F]`.
int run(int argc, const char* const* argv);
}  // namespace run_command

namespace validate_command {
/// `crsim validate SCENARIO.yaml`: load and check a scenario only.
int run(int argc, const char* const* argv);
}  // namespace validate_command

namespace erlang_command {
/// `crsim erlang ...`: Erlang C / Erlang A for one class and one pool.
int run(int argc, const char* const* argv);
}  // namespace erlang_command

namespace check_command {
/// `crsim check SCENARIO.yaml [--format table|json]`: routing graph and fluid capacity check.
int run(int argc, const char* const* argv);
}  // namespace check_command

namespace sweep_command {
/// `crsim sweep SWEEP.yaml --out RESULTS.sqlite [--threads T] [--shard I/N]`: a sweep into a SQLite store.
int run(int argc, const char* const* argv);
}  // namespace sweep_command

namespace store_commands {
/// `crsim export RESULTS.sqlite --csv DIR`: each table of a sweep store as CSV.
int export_tables(int argc, const char* const* argv);

/// `crsim merge A.sqlite B.sqlite ... --out ALL.sqlite`: stores of one sweep combined.
int merge_stores(int argc, const char* const* argv);
}  // namespace store_commands

namespace staff_command {
/// `crsim staff SCENARIO.yaml [--window W] [--out DIR] ...`: the cheapest roster meeting every target.
int run(int argc, const char* const* argv);
}  // namespace staff_command

namespace fit_command {
/// `crsim fit CALLS.csv --out SCENARIO.yaml ...`: a scenario fitted to a call log.
int run(int argc, const char* const* argv);
}  // namespace fit_command

namespace backtest_command {
/// `crsim backtest SCENARIO.yaml CALLS.csv ...`: the scenario simulated over the log's dates, set beside it.
int run(int argc, const char* const* argv);
}  // namespace backtest_command

namespace scrutiny_command {
/// `crsim scrutiny SCENARIO.yaml KPIS.csv ...`: reported weeks against the model's one-week bands.
int run(int argc, const char* const* argv);
}  // namespace scrutiny_command

namespace calibrate_command {
/// `crsim calibrate SCENARIO.yaml KPIS.csv --vary PATH=LO..HI ...`: parameters the weekly figures imply.
int run(int argc, const char* const* argv);
}  // namespace calibrate_command

namespace compare_command {
/// `crsim compare A.yaml B.yaml ...`: options run with common random numbers, compared with the first.
int run(int argc, const char* const* argv);
}  // namespace compare_command

}  // namespace crsim::cli
