#pragma once
/// \file
/// Writing a file whole or not at all, so an interrupted run never leaves a truncated result file
/// that a later script would read as complete.

#include <filesystem>
#include <string_view>

namespace crsim::report {

/// Writes `content` to a temporary file beside `path`, flushes it to disk and renames it over
/// `path`. On any failure the temporary file is removed, `path` is left as it was, and
/// std::runtime_error names the file and the cause.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace crsim::report
