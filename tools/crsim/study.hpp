#pragma once
// What `crsim run` and `crsim compare` print around a study (crsim/study/run_study.hpp): the checks
// before a run, and the study's progress and notes on stderr.

#include <span>
#include <string>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/study/run_plan.hpp"
#include "progress.hpp"

namespace crsim::cli {

/// Prints the findings of study::pre_run_checks on each scenario (named `names[i]`, loaded from
/// `paths[i]`) on stderr, each warning once, naming the options it concerns when there are several;
/// nothing but errors when `quiet`. Returns false when a routing error must stop the run.
bool print_pre_run_checks(std::span<const model::ScenarioSpec> specs, std::span<const std::string> names,
                          std::span<const std::string> paths, bool quiet);

/// A study's notes ("crsim: ..."), warnings and progress on stderr; nothing when `quiet`.
class StderrObserver : public study::StudyObserver {
public:
    explicit StderrObserver(bool quiet) : quiet_(quiet), progress_(!quiet) {}
    void note(const std::string& text) override;
    void warning(const std::string& text) override;
    void start(const std::string& what, std::size_t total) override { progress_.start(what, total); }
    void step() override { progress_.step(); }
    void finish() override { progress_.finish(); }

private:
    bool quiet_;
    Progress progress_;
};

}  // namespace crsim::cli
