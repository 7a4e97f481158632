// libFuzzer target for the sweep-file loader (issue 22): any bytes as a sweep file, then, for a
// sweep that loads, the work check of every point (crsim sweep's refusal before anything runs).
// The loader reads a path (a sweep's `base` is relative to its file), so each input is written to
// a hidden file in sweeps/ of the working directory (tools/fuzz/run-fuzz.sh runs in scenarios/,
// so `base: ../two-rooms.yaml` reaches a shipped scenario). Built only with -DCRSIM_FUZZ=ON.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "crsim/scenario/sweep_file.hpp"
#include "crsim/sweep/sweep_task.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = [] {
        const std::filesystem::path dir = std::filesystem::is_directory("sweeps") ? "sweeps" : ".";
        return (dir / (".fuzz-sweep-" + std::to_string(::getpid()) + ".yaml")).string();
    }();
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    const crsim::scenario::SweepLoadResult loaded = crsim::scenario::load_sweep(path);
    for (const crsim::scenario::Diagnostic& d : loaded.diagnostics) (void)d.format();
    if (loaded.sweep) {
        crsim::model::WorkLimits limits;
        limits.max_memory_bytes = 1e9;
        for (const crsim::sweep::SweepWorkProblem& p : crsim::sweep::check_sweep_work(*loaded.sweep, 2, limits))
            if (p.point > 0) (void)crsim::sweep::describe_point(*loaded.sweep, p.point);
    }
    std::filesystem::remove(path);
    return 0;
}
