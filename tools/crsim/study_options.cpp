#include "study_options.hpp"

#include <stdexcept>
#include <vector>

#include "scenario_command_line.hpp"

namespace crsim::cli {

namespace po = boost::program_options;

namespace {

ResultFormat read_result_format(const po::variables_map& vm) {
    const std::string format = vm["format"].as<std::string>();
    if (format == "table") return ResultFormat::table;
    if (format == "csv") return ResultFormat::csv;
    if (format == "json") return ResultFormat::json;
    throw UsageError("--format must be table, csv or json, not '" + format + "'");
}

void read_precision(const po::variables_map& vm, model::PrecisionGoals& goals, std::size_t& max_replications) {
    if (vm.count("precision"))
        for (const std::string& text : vm["precision"].as<std::vector<std::string>>()) {
            try {
                model::add_precision_goal(goals, text);
            } catch (const std::invalid_argument& e) {
                throw UsageError(std::string("--precision: ") + e.what());
            }
        }
    if (vm.count("max-replications")) {
        max_replications = parse_unsigned(vm["max-replications"].as<std::string>(), "max-replications", 1'000'000'000);
        if (max_replications == 0) throw UsageError("--max-replications must be at least 1");
        if (!goals.any()) throw UsageError("--max-replications is for --precision; give -n for a fixed count");
    }
}

}  // namespace

study::RunPlan StudyOptions::plan(std::size_t default_replications, std::uint64_t default_seed) const {
    study::RunPlan p;
    p.replications = replications.value_or(default_replications);
    p.seed = seed.value_or(default_seed);
    p.threads = threads;
    p.window = window;
    p.precision = precision;
    p.max_replications = max_replications;
    return p;
}

void add_study_options(po::options_description& options, const StudyOptionHelp& help) {
    auto add = options.add_options();
    add("replications,n", po::value<std::string>(), help.replications);
    add("seed,s", po::value<std::string>(), help.seed);
    add("threads,t", po::value<std::string>(), "worker threads; 0 = all cores (default 0)");
    add("window,w", po::value<std::string>(), help.window);
    add("out,o", po::value<std::string>(), help.out);
    add("format,f", po::value<std::string>()->default_value("table"), help.format);
    add("precision", po::value<std::vector<std::string>>()->composing(), help.precision);
    add("max-replications", po::value<std::string>(), "the most replications --precision may run (default 1000)");
    add("quiet,q", "no progress, notes or warnings on stderr (errors still)");
    add("report", po::value<std::string>(), "write a self-contained HTML report with charts to this file");
}

StudyOptions read_study_options(const po::variables_map& vm) {
    StudyOptions o;
    if (vm.count("replications")) {
        o.replications = parse_unsigned(vm["replications"].as<std::string>(), "replications", 1'000'000'000);
        if (*o.replications == 0) throw UsageError("--replications must be at least 1");
    }
    if (vm.count("seed")) o.seed = parse_unsigned(vm["seed"].as<std::string>(), "seed", UINT64_MAX);
    if (vm.count("threads"))
        o.threads = static_cast<unsigned>(parse_unsigned(vm["threads"].as<std::string>(), "threads", 100'000));
    if (vm.count("out")) {
        o.out = vm["out"].as<std::string>();
        if (o.out->empty()) throw UsageError("--out needs a directory");
    }
    if (vm.count("window")) o.window = vm["window"].as<std::string>();
    read_precision(vm, o.precision, o.max_replications);
    o.format = read_result_format(vm);
    o.quiet = vm.count("quiet") > 0;
    if (vm.count("report")) {
        o.report = vm["report"].as<std::string>();
        if (o.report->empty()) throw UsageError("--report needs a file name");
    }
    return o;
}

}  // namespace crsim::cli
