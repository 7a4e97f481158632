#include "study.hpp"

#include <iostream>

#include "crsim/study/run_study.hpp"

namespace crsim::cli {

bool print_pre_run_checks(std::span<const model::ScenarioSpec> specs, std::span<const std::string> names,
                          std::span<const std::string> paths, bool quiet) {
    const study::PreRunFindings findings = study::pre_run_checks(specs, names, paths);
    for (const std::string& error : findings.errors) std::cerr << "error: " << error << '\n';
    if (!quiet)
        for (const auto& [text, options] : findings.warnings) {
            std::cerr << "warning: ";
            if (specs.size() > 1) {
                for (std::size_t k = 0; k < options.size(); ++k) std::cerr << (k ? ", " : "") << options[k];
                std::cerr << ": ";
            }
            std::cerr << text << '\n';
        }
    return findings.errors.empty();
}

void StderrObserver::note(const std::string& text) {
    if (!quiet_) std::cerr << "crsim: " << text << std::endl;
}

void StderrObserver::warning(const std::string& text) {
    if (!quiet_) std::cerr << "warning: " << text << '\n';
}

}  // namespace crsim::cli
