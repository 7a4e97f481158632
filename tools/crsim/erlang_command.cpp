// `crsim erlang`: the Erlang C / Erlang A calculator for one class and one pool of agents.
#include <boost/program_options.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>

#include "commands.hpp"
#include "crsim/analytic/erlang.hpp"
#include "crsim/scenario/units.hpp"
#include "scenario_command_line.hpp"

namespace crsim::cli::erlang_command {

namespace {

namespace po = boost::program_options;
namespace an = crsim::analytic;

constexpr const char* usage_line =
    "Usage: crsim erlang --arrivals-per-hour L --handle-time 6min [--patience 5min]\n"
    "                    (--agents N [--threshold 20s] | --target 80% --threshold 20s)\n"
    "                    [--format table|json]\n";

constexpr const char* definitions =
    "Steady state of one call class offered to one pool of N agents: Poisson arrivals, exponential\n"
    "handle times; with --patience, exponential patience (Erlang A, M/M/N+M), else Erlang C (M/M/N).\n"
    "\n"
    "Figures:\n"
    "  p_wait         share of arrivals that find every agent busy\n"
    "  service_level  share of offered calls answered within the threshold; an abandoned call counts\n"
    "                 against it\n"
    "  asa_s          average speed of answer: mean wait of the answered calls, in seconds\n"
    "  mean_queue_s   mean time in queue over all offered calls, abandoned and unqueued ones included\n"
    "  abandoned_pct  percent of offered calls that abandon (Erlang A only)\n"
    "  occupancy      mean share of agents busy (carried load / agents)\n"
    "The names and units are those of `crsim run`.\n"
    "With --target (a share, 0.8, or a percentage, 80%): the smallest N whose service level reaches the\n"
    "target, and the square-root-staffing\n"
    "estimate N = R + beta*sqrt(R) (R = offered load in Erlangs), beta solving the Halfin-Whitt relation\n"
    "alpha(beta) * exp(-beta*sqrt(R)*threshold/handle) = 1 - target, alpha(beta) = 1/(1 + beta*Phi/phi);\n"
    "it ignores abandonment, so for Erlang A it tends to over-staff.\n"
    "Erlang C with load >= N is unstable: an error, exit status 2.\n"
    "Durations take a unit: s, min, h, d or w (e.g. 20s, 6min, 7.5h), as in scenario files.\n";

/// A duration option such as `20s`, `6min` or `7.5h` in seconds, in the scenario format's notation;
/// `option` names it in errors.
///
/// A bare number is rejected rather than read as seconds: handle times are habitually quoted in
/// minutes and thresholds in seconds, so guessing the unit would silently be wrong by 60x.
double parse_duration_s(const std::string& text, const std::string& option) {
    const scenario::Parsed<double> parsed = scenario::parse_duration(text);
    if (!parsed) throw UsageError("--" + option + ": " + parsed.error);
    if (*parsed.value < 0) throw UsageError("--" + option + ": '" + text + "' is negative");
    return *parsed.value;
}

/// A number for the table: `digits` significant figures, never a locale's decimal comma.
std::string number(double x, int digits) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, x);
    return buffer;
}

/// A figure for the table: 4 significant figures with trailing zeros kept, so 0.5690 reads as exact to 4.
std::string figure(double x) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%#.4g", x);
    return buffer;
}

/// A service-level target: a share (0.8) or a percentage (80%), strictly between 0 and 1.
double parse_target(const std::string& text) {
    const scenario::Parsed<double> parsed = scenario::parse_share(text);
    if (!parsed) throw UsageError("--target: " + parsed.error);
    const double value = *parsed.value;
    if (!(value > 0 && value < 1)) throw UsageError("--target must lie strictly between 0 and 1 (e.g. 0.8 or 80%)");
    return value;
}

struct Request {
    an::ErlangDemand demand;
    std::string handle_text, patience_text, threshold_text;
    std::optional<double> threshold_s;  // without it, only the figures that need no threshold
    std::optional<int> agents;
    std::optional<double> target;
    bool json = false;
};

Request read_request(const po::variables_map& vm) {
    Request r;
    for (const char* required : {"arrivals-per-hour", "handle-time"})
        if (!vm.count(required)) throw UsageError(std::string("missing --") + required);
    if (vm.count("target") && !vm.count("threshold"))
        throw UsageError("--target needs --threshold: the answer time its service level counts (e.g. 20s)");
    if (vm.count("agents") == vm.count("target")) throw UsageError("give exactly one of --agents and --target");
    r.demand.arrivals_per_hour = vm["arrivals-per-hour"].as<double>();
    if (!(r.demand.arrivals_per_hour > 0) || !std::isfinite(r.demand.arrivals_per_hour))
        throw UsageError("--arrivals-per-hour must be a positive number");
    r.handle_text = vm["handle-time"].as<std::string>();
    r.demand.handle_mean_s = parse_duration_s(r.handle_text, "handle-time");
    if (!(r.demand.handle_mean_s > 0)) throw UsageError("--handle-time must be positive");
    if (vm.count("patience")) {
        r.patience_text = vm["patience"].as<std::string>();
        r.demand.patience_mean_s = parse_duration_s(r.patience_text, "patience");
        if (!(r.demand.patience_mean_s > 0)) throw UsageError("--patience must be positive");
    }
    if (vm.count("threshold")) {
        r.threshold_text = vm["threshold"].as<std::string>();
        r.threshold_s = parse_duration_s(r.threshold_text, "threshold");
    }
    if (vm.count("agents")) {
        r.agents = vm["agents"].as<int>();
        if (*r.agents < 1) throw UsageError("--agents must be at least 1");
    } else {
        r.target = parse_target(vm["target"].as<std::string>());
    }
    const std::string format = vm["format"].as<std::string>();
    if (format != "table" && format != "json") throw UsageError("--format must be table or json, not '" + format + "'");
    r.json = format == "json";
    return r;
}

void print_json(std::ostream& out, const Request& r, const an::ErlangQueue& q, const an::StaffingResult* staffing) {
    nlohmann::ordered_json json{{"model", q.has_abandonment() ? "erlang_a" : "erlang_c"},
                                {"offered_load_erlangs", q.offered_load()},
                                {"agents", q.agents()}};
    if (r.threshold_s) json["threshold_s"] = *r.threshold_s;
    json["p_wait"] = q.p_wait();
    if (r.threshold_s) json["service_level"] = q.service_level(*r.threshold_s);
    json["asa_s"] = q.asa_s();
    json["mean_queue_s"] = q.mean_wait_s();
    if (q.has_abandonment()) json["abandoned_pct"] = 100 * q.p_abandon();
    json["occupancy"] = q.occupancy();
    if (staffing) {
        json["target"] = *r.target;
        json["sqrt_staffing_estimate"] = staffing->sqrt_staffing_estimate;
        json["sqrt_staffing_beta"] = staffing->beta;
    }
    out << json.dump() << '\n';
}

void print_table(std::ostream& out, const Request& r, const an::ErlangQueue& q, const an::StaffingResult* staffing) {
    out << (q.has_abandonment() ? "Erlang A (M/M/N+M)" : "Erlang C (M/M/N)") << ": "
        << number(r.demand.arrivals_per_hour, 6) << " calls/h, handle " << r.handle_text;
    if (q.has_abandonment()) out << ", patience " << r.patience_text;
    out << "; offered load " << number(q.offered_load(), 6) << " Erlangs\n";
    auto row = [&](const char* name, const std::string& value, const std::string& meaning) {
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "  %-22s %-10s", name, value.c_str());
        std::string line = buffer + (" " + meaning);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
    };
    if (staffing) {
        row("agents", std::to_string(q.agents()),
            "smallest N with service level >= " + number(*r.target, 6) + " within " + r.threshold_text);
        row("sqrt_staffing_estimate", std::to_string(staffing->sqrt_staffing_estimate),
            "R + beta*sqrt(R) = " + number(staffing->sqrt_staffing_exact, 5) + ", beta = " + number(staffing->beta, 4));
    } else {
        row("agents", std::to_string(q.agents()), "");
    }
    row("p_wait", figure(q.p_wait()), "share of arrivals that find every agent busy");
    if (r.threshold_s)
        row("service_level", figure(q.service_level(*r.threshold_s)),
            "share of offered calls answered within " + r.threshold_text);
    row("asa_s", figure(q.asa_s()), "mean wait of the answered calls, seconds");
    row("mean_queue_s", figure(q.mean_wait_s()), "mean time in queue over all offered calls, seconds");
    if (q.has_abandonment()) row("abandoned_pct", figure(100 * q.p_abandon()), "percent of offered calls that abandon");
    row("occupancy", figure(q.occupancy()), "mean share of agents busy");
}

}  // namespace

int run(int argc, const char* const* argv) {
    po::options_description options("Options");
    options.add_options()("help,h", "print this help and the definitions of the figures")(
        "arrivals-per-hour", po::value<double>(), "Poisson arrival rate, calls per hour")(
        "handle-time", po::value<std::string>(), "mean handle time (exponential), e.g. 6min")(
        "patience", po::value<std::string>(), "mean patience (exponential), e.g. 5min; gives Erlang A")(
        "agents", po::value<int>(), "number of agents")(
        "target", po::value<std::string>(),
        "service-level target, 0.8 or 80%: find the smallest N instead of --agents")(
        "threshold", po::value<std::string>(),
        "answer-time threshold of the service level, e.g. 20s (needed with --target; without it, no service level)")(
        "format,f", po::value<std::string>()->default_value("table"), "table or json");

    try {
        po::variables_map vm;
        po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << usage_line << '\n' << definitions << '\n' << options;
            return 0;
        }
        const Request request = read_request(vm);
        std::optional<an::StaffingResult> staffing;
        int agents = 0;
        if (request.target) {
            staffing = an::staff_for_service_level(request.demand, *request.threshold_s, *request.target);
            agents = staffing->agents;
        } else {
            agents = *request.agents;
        }
        const an::ErlangQueue queue(request.demand, agents);
        const an::StaffingResult* s = staffing ? &*staffing : nullptr;
        if (request.json)
            print_json(std::cout, request, queue, s);
        else
            print_table(std::cout, request, queue, s);
        return 0;
    } catch (const po::error& e) {
        std::cerr << "crsim erlang: error: " << option_error_text(e, options) << "\n"
                  << usage_line << "Run 'crsim erlang --help' for details.\n";
        return 2;
    } catch (const UsageError& e) {
        std::cerr << "crsim erlang: error: " << e.what() << "\n"
                  << usage_line << "Run 'crsim erlang --help' for details.\n";
        return 2;
    } catch (const an::UnstableQueueError& e) {
        std::cerr << "crsim erlang: error: " << e.what() << '\n';
        return 2;
    } catch (const std::invalid_argument& e) {
        std::cerr << "crsim erlang: error: " << e.what() << '\n';
        return 2;
    }
}

}  // namespace crsim::cli::erlang_command
