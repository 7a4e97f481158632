// bench_loader: how the scenario loader's time grows with the keys of one map (issue 15, item 9:
// once quadratic, 100,000 keys took more than 120 s).
//
// For each case it loads a generated scenario with K and then 4K keys in one map and prints
//   case=… keys=… seconds=… us_per_key=…
// then   case=… growth=…   the time for 4K keys over the time for K: about 4 when the loader is
// linear in the keys, about 16 when quadratic. Exit status 1 when a growth exceeds --max-growth,
// so a script can use it as a check; the times are wall times of load_scenario_text alone.
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "crsim/scenario/load_scenario.hpp"

namespace {

// A valid scenario of one class, group and room; each case adds its many keys to it.
const std::string head = "name: many-keys\nhorizon: 1d\nreplications: 2\nseed: 1\n";
const std::string classes =
    "classes:\n  c:\n    priority: 1\n    arrivals: {per_day: 100}\n    handle_time: 5min\n    patience: 3min\n";
const std::string groups = "groups:\n  g: {takes: [c]}\n";
const std::string roster = "roster:\n  - {room: r, group: g, shift: always, headcount: 2}\n";

struct Case {
    const char* name;
    std::function<std::string(std::size_t)> text;  ///< the scenario with this many keys
};

std::string many(std::size_t keys, const std::string& indent, const std::string& prefix, const std::string& value) {
    std::string out;
    for (std::size_t i = 0; i < keys; ++i) out += indent + prefix + std::to_string(i) + ": " + value + "\n";
    return out;
}

const std::vector<Case> cases = {
    {"unknown-top-level-keys",  // each an error with a suggestion
     [](std::size_t k) { return head + "rooms: {r: {}}\n" + classes + groups + roster + many(k, "", "key", "1"); }},
    {"rooms",  // each a warning: no roster line staffs it
     [](std::size_t k) { return head + "rooms:\n  r: {}\n" + many(k, "  ", "r", "{}") + classes + groups + roster; }},
    {"duplicate-keys",  // every key given twice
     [](std::size_t k) {
         return head + "rooms: {r: {}}\n" + classes + groups + roster + "x:\n" + many(k / 2, "  ", "k", "1") +
                many(k / 2, "  ", "k", "2");
     }},
    {"classes",  // 5 keys a class
     [](std::size_t k) {
         std::string text = head + "rooms: {r: {}}\nclasses:\n";
         std::string takes;
         for (std::size_t i = 0; i < k / 5; ++i) {
             text += "  c" + std::to_string(i) +
                     ":\n    priority: 1\n    arrivals: {per_day: 1}\n    handle_time: 5min\n    patience: 3min\n";
             takes += (i ? ", c" : "c") + std::to_string(i);
         }
         return text + "groups:\n  g: {takes: [" + takes + "]}\n" + roster;
     }},
};

double load_seconds(const std::string& text) {
    const auto start = std::chrono::steady_clock::now();
    const crsim::scenario::LoadResult loaded = crsim::scenario::load_scenario_text(text, "many-keys.yaml");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (loaded.diagnostics.empty() && !loaded.spec) std::cerr << "bench_loader: neither a scenario nor an error\n";
    return seconds;
}

}  // namespace

int main(int argc, char** argv) {
    namespace po = boost::program_options;
    po::options_description options("bench_loader options");
    options.add_options()("help,h", "show this help")("keys", po::value<std::size_t>()->default_value(25000),
                                                      "keys of the smaller map (the larger has 4 times as many)")(
        "max-growth", po::value<double>()->default_value(10), "exit 1 when a case's growth exceeds this");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "bench_loader: " << e.what() << "\n" << options;
        return 2;
    }
    if (vm.count("help")) {
        std::cout << "Usage: bench_loader [--keys K] [--max-growth G]\n" << options;
        return 0;
    }
    const std::size_t keys = vm["keys"].as<std::size_t>();
    if (keys < 100) {
        std::cerr << "bench_loader: --keys must be at least 100\n";
        return 2;
    }
    bool linear = true;
    for (const Case& c : cases) {
        double seconds[2] = {0, 0};
        for (int i = 0; i < 2; ++i) {
            const std::size_t k = i == 0 ? keys : 4 * keys;
            seconds[i] = load_seconds(c.text(k));
            std::printf("case=%s keys=%zu seconds=%.3f us_per_key=%.2f\n", c.name, k, seconds[i],
                        1e6 * seconds[i] / static_cast<double>(k));
        }
        const double growth = seconds[1] / seconds[0];
        std::printf("case=%s growth=%.1f\n", c.name, growth);
        linear = linear && growth <= vm["max-growth"].as<double>();
    }
    return linear ? 0 : 1;
}
