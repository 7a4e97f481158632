#include "output_paths.hpp"

#include <filesystem>
#include <system_error>

#include "scenario_command_line.hpp"

namespace crsim::cli {

namespace {

namespace fs = std::filesystem;

/// The path with symbolic links resolved as far as it exists, or only made absolute and normal
/// when that cannot be done (a directory that cannot be searched).
fs::path resolved(const std::string& path) {
    std::error_code error;
    const fs::path absolute = fs::absolute(path, error).lexically_normal();
    const fs::path canonical = fs::weakly_canonical(absolute, error);
    return error ? absolute : canonical;
}

bool same_file(const std::string& a, const std::string& b) {
    std::error_code error;
    if (fs::exists(a, error) && fs::exists(b, error)) return fs::equivalent(a, b, error) && !error;
    return resolved(a) == resolved(b);
}

bool is_device(const std::string& path) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    return fs::is_character_file(status) || fs::is_block_file(status);
}

}  // namespace

void refuse_clashing_paths(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs) {
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        const NamedPath& out = outputs[i];
        for (const NamedPath& in : inputs)
            if (same_file(out.path, in.path))
                throw UsageError(out.role + " " + out.path + " is " + in.role + " (" + in.path +
                                 "), which this command reads: it would be overwritten");
        for (std::size_t j = 0; j < i; ++j)
            if (!is_device(out.path) && same_file(out.path, outputs[j].path))
                throw UsageError(out.role + " " + out.path + " is the file " + outputs[j].role + " writes (" +
                                 outputs[j].path + "): give each output a file of its own");
    }
}

}  // namespace crsim::cli
