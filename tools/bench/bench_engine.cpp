// bench_engine: throughput of the event calendar on the classic hold model.
//
//   hold    n events pending; each event schedules one new event at now + Exp(1).
//   cancel  as hold, and each event also schedules a second event at now + Exp(1) and cancels
//           the second event scheduled by its predecessor, so a cancelled timer lives as long
//           as a patience timer would: the calendar always carries dead entries to skip.
//
// With --case it runs one case in this process; with no arguments it runs every case for
// n = 10, 1e3, 1e5, each in a fresh process so that peak memory is per case.
#include <boost/program_options.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "crsim/sim/simulator.hpp"
#include "peak_rss.hpp"

namespace {

using crsim::sim::EventHandle;
using crsim::sim::Simulator;

struct Bench {
    Simulator sim;
    boost::random::mt19937_64 rng{20260101};
    boost::random::exponential_distribution<double> exp1{1.0};
    std::uint64_t target_events = 0;
    bool with_cancel = false;
    EventHandle previous_timer;
};

// A plain function object rather than a lambda so that it can schedule a copy of itself.
struct HoldEvent {
    Bench* b;
    void operator()() const {
        Simulator& sim = b->sim;
        if (sim.events_executed() >= b->target_events) {
            sim.stop();
            return;
        }
        sim.schedule_in(b->exp1(b->rng), *this);
        if (b->with_cancel) {
            sim.cancel(b->previous_timer);
            b->previous_timer = sim.schedule_in(b->exp1(b->rng), [] {});
        }
    }
};

int run_case(const std::string& name, std::uint64_t n, std::uint64_t events) {
    if (name != "hold" && name != "cancel") {
        std::cerr << "bench_engine: --case must be hold or cancel, not '" << name << "'\n";
        return 2;
    }
    Bench b;
    b.target_events = events;
    b.with_cancel = (name == "cancel");
    for (std::uint64_t i = 0; i < n; ++i) b.sim.schedule_in(b.exp1(b.rng), HoldEvent{&b});

    const auto start = std::chrono::steady_clock::now();
    b.sim.run();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const auto executed = b.sim.events_executed();
    std::printf("case=%s n=%llu events=%llu seconds=%.3f events_per_s=%.0f peak_rss_mb=%.1f\n", name.c_str(),
                static_cast<unsigned long long>(n), static_cast<unsigned long long>(executed), seconds,
                static_cast<double>(executed) / seconds, crsim::bench::peak_rss_mb());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    namespace po = boost::program_options;
    po::options_description options("bench_engine options");
    options.add_options()("help,h", "show this help")(
        "case", po::value<std::string>(), "hold or cancel; without it every case runs, each in a fresh process")(
        "n", po::value<std::uint64_t>()->default_value(1000), "events pending in the calendar")(
        "events", po::value<std::uint64_t>()->default_value(10'000'000), "events to execute");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "bench_engine: " << e.what() << "\n" << options;
        return 2;
    }
    if (vm.count("help")) {
        std::cout << "Usage: bench_engine [--case hold|cancel --n N --events E]\n" << options;
        return 0;
    }
    const auto events = vm["events"].as<std::uint64_t>();
    if (vm.count("case")) return run_case(vm["case"].as<std::string>(), vm["n"].as<std::uint64_t>(), events);

    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    for (const char* name : {"hold", "cancel"}) {
        for (const char* n : {"10", "1000", "100000"}) {
            const std::string command =
                "'" + self + "' --case " + name + " --n " + n + " --events " + std::to_string(events);
            std::fflush(stdout);
            if (std::system(command.c_str()) != 0) return 1;
        }
    }
    return 0;
}
