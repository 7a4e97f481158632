#pragma once
/// \file
/// Writing a file whole or not at all, so an interrupted run never leaves a truncated result file
/// that a later script would read as complete.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace crsim::report {

/// A result file's target that is not a regular file: a bad option (exit status 2).
struct OutputRefused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Throws OutputRefused when `path` exists and is not a regular file (following symbolic links): a
/// directory, a device such as /dev/null, a FIFO or a socket: result files are never written into
/// such a target, nor renamed over it. Then creates and removes the temporary file the write will
/// need, throwing std::runtime_error (naming the cause) when it cannot. Commands call it before any
/// work, so that a long run does not fail only at the end.
void check_output_file(const std::filesystem::path& path);

/// Creates directory `dir` and its missing parents. Throws OutputRefused, naming `option` (the
/// command-line option that gave `dir`), when `dir` or the nearest of its parents that exists is
/// not a directory (--out /dev/null); std::runtime_error (naming the cause) on any other failure.
void create_output_directory(const std::filesystem::path& dir, const std::string& option);

/// Writes `content` to a temporary file beside `path`, flushes it to disk and renames it over
/// `path`. A `path` that is not a regular file is refused first (check_output_file). On any failure the temporary file
/// is removed, `path` is left as it was, and std::runtime_error names the file and the cause.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace crsim::report
