// libFuzzer target for the scenario loader (issue 15): any bytes as a scenario file, then, for a
// scenario that loads, the work estimate and its limits. Built only with -DCRSIM_FUZZ=ON and clang
// (tools/fuzz/run-fuzz.sh); a crash, a hang, a leak or undefined behaviour is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "crsim/model/work_estimate.hpp"
#include "crsim/scenario/load_scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const crsim::scenario::LoadResult loaded = crsim::scenario::load_scenario_text(text, "fuzz.yaml");
    for (const crsim::scenario::Diagnostic& d : loaded.diagnostics) (void)d.format();
    if (loaded.spec) {
        crsim::model::WorkLimits limits;
        limits.max_memory_bytes = 1e9;
        for (const crsim::model::WorkProblem& p :
             crsim::model::check_work(*loaded.spec, loaded.spec->replications, 2, limits))
            (void)crsim::scenario::locate(loaded, p.key_path, p.message).format();
    }
    return 0;
}
