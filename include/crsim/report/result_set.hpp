#pragma once
/// \file
/// A directory of result files replaced as one: after any interruption, even SIGKILL or a full
/// disk, the files at the directory's own paths all come from one run.
///
/// The new set is written whole into a staging directory beside DIR (`.NAME.crsim-staging.PID.N`
/// in DIR's parent), flushed to disk, and then swapped with DIR in one step (Linux
/// renameat2 RENAME_EXCHANGE); the old set, now under the staging name, is then removed. A set
/// carries a manifest (`.crsim-result-set`) listing its files, so that a later run knows the
/// directory holds nothing else it would throw away.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace crsim::report {

/// One file of a result set: its name within the directory (no '/') and its whole content.
struct ResultFile {
    std::string name;
    std::string content;
};

/// Why a result set cannot be written. `usage` is true when the directory itself is the wrong
/// choice (it holds other files, or is not a directory): the user should name another one.
struct ResultSetError : std::runtime_error {
    ResultSetError(const std::string& message, bool usage_error) : std::runtime_error(message), usage(usage_error) {}
    bool usage;
};

/// The name of the manifest file in a result directory.
inline constexpr const char* result_manifest_name = ".crsim-result-set";

/// Checks, before any work, that a result set can later be written to `dir`: creates its missing
/// parent directories, and requires `dir` to be absent, an empty directory, or a directory holding
/// only a set written by write_result_set (its manifest and the files listed there); its parent
/// (and `dir`, if it exists) must be writable. Also removes staging directories left beside `dir`
/// by runs that were killed. Throws ResultSetError naming the problem.
void prepare_result_dir(const std::filesystem::path& dir);

/// Replaces whatever set `dir` holds by `files` at once (see the file comment); `dir` is created if
/// missing and must pass prepare_result_dir's checks. SIGINT, SIGTERM, SIGHUP and SIGQUIT are held
/// while the set is staged: one arriving then removes the staging directory and ends the process
/// by that signal, leaving `dir` as it was; one arriving after the swap ends it once the old set is
/// removed. Call it with no other thread running that could take those signals. Throws
/// ResultSetError on failure, leaving `dir` as it was.
void write_result_set(const std::filesystem::path& dir, const std::vector<ResultFile>& files);

}  // namespace crsim::report
