#pragma once
// Outputs that would destroy an input, or each other: `crsim fit calls.csv --out calls.csv`, or
// `--out s.yaml --report s.yaml`. Refused before any work, as bad options.

#include <string>
#include <vector>

namespace crsim::cli {

/// A file a command reads or writes, and how the command line named it (`--out`, "the call log").
struct NamedPath {
    std::string role;
    std::string path;
};

/// Throws UsageError when an output is the same file as an input (by identity when both exist, so
/// links and other spellings count; else by absolute path), or two outputs are one file. Devices
/// (/dev/null) may take any number of outputs.
void refuse_clashing_paths(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs);

}  // namespace crsim::cli
