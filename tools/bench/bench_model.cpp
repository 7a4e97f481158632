// bench_model: speed of the control-room model on a reference scenario.
//
// Runs one replication of the scenario (by default scenarios/bench-reference.yaml) and prints
//   calls=… events=… seconds=… calls_per_s=… events_per_s=… peak_rss_mb=…
// where calls are the calls offered, events the engine events executed, and seconds the wall
// time of the simulation alone (loading the scenario excluded).
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "crsim/model/run_replication.hpp"
#include "crsim/scenario/load_scenario.hpp"
#include "peak_rss.hpp"

int main(int argc, char** argv) {
    namespace po = boost::program_options;
    po::options_description options("bench_model options");
    options.add_options()("help,h", "show this help")(
        "scenario", po::value<std::string>()->default_value(CRSIM_SOURCE_DIR "/scenarios/bench-reference.yaml"),
        "scenario to run")("days", po::value<double>(), "horizon in days (default: the scenario's)")(
        "seed", po::value<std::uint64_t>()->default_value(1), "master seed");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "bench_model: " << e.what() << "\n" << options;
        return 2;
    }
    if (vm.count("help")) {
        std::cout << "Usage: bench_model [--scenario FILE] [--days D] [--seed S]\n" << options;
        return 0;
    }

    auto loaded = crsim::scenario::load_scenario(vm["scenario"].as<std::string>());
    for (const auto& d : loaded.diagnostics) std::cerr << d.format() << '\n';
    if (!loaded.ok()) return 2;
    crsim::model::ScenarioSpec spec = *loaded.spec;
    if (vm.count("days")) {
        const double days = vm["days"].as<double>();
        if (!(days > 0)) {
            std::cerr << "bench_model: --days must be positive\n";
            return 2;
        }
        spec.horizon_s = days * crsim::model::seconds_per_day;
        spec.warmup_s = 0;
    }

    const auto start = std::chrono::steady_clock::now();
    const auto result = crsim::model::run_replication(spec, vm["seed"].as<std::uint64_t>(), 0);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::uint64_t calls = 0;
    for (const auto& c : result.classes) calls += c.counts.offered;
    std::printf("calls=%llu events=%llu seconds=%.3f calls_per_s=%.0f events_per_s=%.0f peak_rss_mb=%.1f\n",
                static_cast<unsigned long long>(calls), static_cast<unsigned long long>(result.events), seconds,
                static_cast<double>(calls) / seconds, static_cast<double>(result.events) / seconds,
                crsim::bench::peak_rss_mb());
    return 0;
}
