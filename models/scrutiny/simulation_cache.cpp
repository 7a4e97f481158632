#include "crsim/scrutiny/simulation_cache.hpp"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "crsim/report/atomic_file.hpp"
#include "crsim/scenario/sha256.hpp"

namespace crsim::scrutiny {

namespace {

/// Everything the figures depend on beyond the scenario: a change to any gives another file.
std::string cache_key(const WeekPlan& plan, const std::string& scenario_sha256, std::size_t replications,
                      std::uint64_t seed) {
    std::ostringstream key;
    key.precision(17);
    key << "crsim weekly figures 1\n" << scenario_sha256 << '\n' << seed << ' ' << replications << '\n';
    for (const std::string& m : plan.metrics) key << m << ' ';
    key << '\n';
    for (std::size_t e = 0; e < plan.rows.size(); ++e) key << plan.run_week[e] << ' ' << plan.class_index[e] << '\n';
    for (const model::ClassSpec& c : plan.spec.classes) {
        for (double f : c.arrivals.week_factors) key << f << ' ';
        key << '\n';
    }
    key << plan.spec.horizon_s << '\n';
    return scenario::sha256_hex(key.str());
}

}  // namespace

SimulatedFigures simulate_figures_cached(const WeekPlan& plan, const std::string& scenario_sha256,
                                         std::size_t replications, std::uint64_t seed, unsigned threads,
                                         const std::string& cache_dir) {
    if (cache_dir.empty()) return simulate_figures(plan, replications, seed, threads);
    const std::filesystem::path file =
        std::filesystem::path(cache_dir) / (cache_key(plan, scenario_sha256, replications, seed) + ".bin");
    const std::size_t count = plan.rows.size() * plan.metrics.size() * replications;
    SimulatedFigures values(plan.rows.size(),
                            std::vector<std::vector<double>>(plan.metrics.size(), std::vector<double>(replications)));
    if (std::ifstream in{file, std::ios::binary}) {
        const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        if (bytes.size() == count * sizeof(double)) {
            const char* next = bytes.data();
            for (auto& row : values)
                for (auto& figure : row) {
                    std::memcpy(figure.data(), next, replications * sizeof(double));
                    next += replications * sizeof(double);
                }
            return values;
        }
    }
    values = simulate_figures(plan, replications, seed, threads);
    std::string bytes;
    bytes.reserve(count * sizeof(double));
    for (const auto& row : values)
        for (const auto& figure : row)
            bytes.append(reinterpret_cast<const char*>(figure.data()), figure.size() * sizeof(double));
    std::filesystem::create_directories(cache_dir);
    report::write_file_atomically(file, bytes);
    return values;
}

}  // namespace crsim::scrutiny
