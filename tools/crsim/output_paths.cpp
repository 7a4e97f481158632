#include "output_paths.hpp"

#include <filesystem>
#include <system_error>

#include "scenario_command_line.hpp"

namespace crsim::cli {

namespace {

namespace fs = std::filesystem;

bool same_file(const std::string& a, const std::string& b) {
    std::error_code error;
    if (fs::exists(a, error) && fs::exists(b, error)) return fs::equivalent(a, b, error) && !error;
    const fs::path x = fs::weakly_canonical(fs::absolute(a, error), error);
    const fs::path y = fs::weakly_canonical(fs::absolute(b, error), error);
    return x == y;
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
