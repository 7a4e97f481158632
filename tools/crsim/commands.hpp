#pragma once
/// \file
/// The `crsim` subcommands. Each takes the arguments after its own name and returns the exit status:
/// 0 success, 1 a failure while running, 2 bad input (usage, scenario or parameter errors).

namespace crsim::cli {

int erlang_command(int argc, const char* const* argv);


}  // namespace crsim::cli
