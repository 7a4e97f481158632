#include "kpi_options.hpp"

#include <string>

#include "crsim/scrutiny/weekly_kpis.hpp"
#include "scenario_command_line.hpp"

namespace crsim::cli {

namespace po = boost::program_options;

void add_kpi_options(po::options_description& options) {
    options.add_options()("seed,s", po::value<std::string>(), "master random seed (default: the scenario's)")(
        "threads,t", po::value<std::string>(), "worker threads; 0 = all cores (default 0)")(
        "demand", po::value<std::string>()->default_value("scenario"), "scenario or reported")(
        "map", po::value<std::string>(), "column names of the file: week_start=Week,offered=Calls,...")(
        "start-date", po::value<std::string>(), "the date of week 1, YYYY-MM-DD (as --set start_date=...)");
}

KpiOptions read_kpi_options(const po::variables_map& vm) {
    KpiOptions o;
    if (vm.count("seed")) o.seed = parse_unsigned(vm["seed"].as<std::string>(), "seed", UINT64_MAX);
    if (vm.count("threads"))
        o.threads = static_cast<unsigned>(parse_unsigned(vm["threads"].as<std::string>(), "threads", 100000));
    const std::string demand = vm["demand"].as<std::string>();
    if (demand != "scenario" && demand != "reported")
        throw UsageError("--demand must be scenario or reported, not '" + demand + "'");
    o.demand = demand == "reported" ? scrutiny::Demand::reported : scrutiny::Demand::scenario;
    if (vm.count("map")) {
        try {
            o.read.column_names = scrutiny::parse_kpi_column_map(vm["map"].as<std::string>());
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--map: ") + e.what());
        }
    }
    if (vm.count("allow-large")) o.read.max_bytes = o.read.max_record_bytes = UINT64_MAX;
    return o;
}

}  // namespace crsim::cli
