#pragma once
// Command-line options shared by the commands that read weekly KPIs (scrutiny, calibrate): the
// random seed, threads, where demand comes from, --map and --start-date.

#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>

#include "crsim/calllog/call_log.hpp"
#include "crsim/scrutiny/scrutiny.hpp"

namespace crsim::cli {

/// Adds --seed, --threads, --demand, --map and --start-date.
void add_kpi_options(boost::program_options::options_description& options);

/// What those give.
struct KpiOptions {
    std::optional<std::uint64_t> seed;
    unsigned threads = 0;
    scrutiny::Demand demand = scrutiny::Demand::scenario;
    calllog::ReadOptions read;  ///< --map; --allow-large lifts the limits of size
};

/// Reads them; UsageError for a bad value.
KpiOptions read_kpi_options(const boost::program_options::variables_map& vm);

}  // namespace crsim::cli
