// `crsim check`: the routing graph and the fluid capacity check of a scenario, without running it.
#include <boost/program_options.hpp>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "crsim/model/capacity_check.hpp"
#include "crsim/model/number_text.hpp"
#include "crsim/model/roster_calendar.hpp"
#include "crsim/model/routing_graph.hpp"
#include "scenario_command_line.hpp"

namespace crsim::cli::check_command {

namespace {

namespace po = boost::program_options;

constexpr const char* usage_line =
    "Usage: crsim check SCENARIO.yaml [--format table|json] [--set PATH=VALUE ...] [--allow-large]\n";

constexpr const char* description =
    "Checks, before any run, whether the scenario's staff can answer its calls at all:\n"
    "\n"
    "Routing graph (classes -> staff groups -> rooms): a class no group takes is an error; a group\n"
    "that takes nothing or has no roster line, a class only unrostered groups take, and a room nobody\n"
    "is rostered in are warnings.\n"
    "\n"
    "Capacity, per interval of the finest arrival profile (1 h for hourly profiles) over the whole\n"
    "horizon: each class's offered load in Erlangs (arrival rate x mean handle + wrap-up time) is routed\n"
    "by a max-flow to the groups that may take it in its home rooms (and other rooms when it may\n"
    "overflow), each group-in-room carrying its expected people on duty (absence, breaks, merges,\n"
    "disruptions, attrition, training courses and overtime caps taken in). Higher priorities are\n"
    "routed first. Every interval in which a class's load cannot be carried is named with the class\n"
    "and the shortfall in Erlangs; consecutive intervals are merged and weeks alike reported once.\n"
    "This is a fluid bound: feasible means only that the average load fits, not that waits are short.\n"
    "Reserve rules, call-ins, redials and daily volume noise are left out. See README.md.\n"
    "\n"
    "The rostered cost of the roster from the warm-up to the horizon (what `crsim run` reports as\n"
    "total.rostered_cost) is given in total and per group.\n"
    "\n"
    "A scenario `crsim run` would refuse as too large is refused here too, as by `crsim validate`.\n"
    "\n"
    "Scenario errors go to stderr; the report goes to stdout. Exit status: 0 the check ran (short\n"
    "intervals and warnings included), 2 bad options, an invalid scenario, a scenario beyond the limits\n"
    "or a routing error.\n";

/// The rostered cost of the whole run, as `crsim run` without --window reports it.
model::RosteredCost rostered_cost(const model::ScenarioSpec& spec) {
    return model::RosterCalendar(spec).rostered_cost(spec.warmup_s, spec.horizon_s);
}

void write_table(std::ostream& out, const model::ScenarioSpec& spec, const model::RoutingGraph& graph,
                 const std::vector<model::RoutingIssue>& issues, const model::CapacityReport& report) {
    out << spec.name << ": " << count(spec.classes.size(), "class", "classes") << ", "
        << count(spec.groups.size(), "group", "groups") << ", " << count(spec.rooms.size(), "room", "rooms") << ", "
        << count(spec.shifts.size(), "roster line", "roster lines") << '\n'
        << graph.describe();
    const model::RosteredCost cost = rostered_cost(spec);
    out << "rostered cost (warm-up to horizon): " << model::format_number(std::round(cost.total));
    for (std::size_t g = 0; g < spec.groups.size(); ++g)
        out << (g == 0 ? " (" : ", ") << spec.groups[g].name << ' ' << model::format_number(std::round(cost.groups[g]));
    out << (spec.groups.empty() ? "\n" : ")\n");
    for (const model::RoutingIssue& i : issues) out << (i.error ? "error: " : "warning: ") << i.message << '\n';
    if (report.feasible()) {
        out << "capacity: every interval of the week is feasible\n";
        return;
    }
    out << "capacity: " << count(report.findings.size(), "finding", "findings") << " (fluid check of weeks "
        << report.first_week << "–" << report.last_week << " in intervals of "
        << model::format_number(report.interval_s / 60) << " min; loads in Erlangs)\n";
    for (const model::CapacityFinding& f : report.findings) out << "  " << f.describe(spec) << '\n';
}

void write_json(std::ostream& out, const model::ScenarioSpec& spec, const model::RoutingGraph& graph,
                const std::vector<model::RoutingIssue>& issues, const model::CapacityReport& report) {
    using nlohmann::ordered_json;
    const auto names = [](const std::vector<std::size_t>& indices, auto name_of) {
        ordered_json list = ordered_json::array();
        for (const std::size_t i : indices) list.push_back(name_of(i));
        return list;
    };
    const auto group_name = [&](std::size_t g) { return spec.groups[g].name; };
    const auto room_name = [&](std::size_t r) { return spec.rooms[r].name; };
    ordered_json classes = ordered_json::array(), groups = ordered_json::array(), issue_list = ordered_json::array();
    for (std::size_t k = 0; k < spec.classes.size(); ++k)
        classes.push_back({{"name", spec.classes[k].name}, {"groups", names(graph.groups_of_class(k), group_name)}});
    for (std::size_t g = 0; g < spec.groups.size(); ++g)
        groups.push_back({{"name", spec.groups[g].name}, {"rooms", names(graph.rooms_of_group(g), room_name)}});
    for (const model::RoutingIssue& i : issues)
        issue_list.push_back({{"severity", i.error ? "error" : "warning"}, {"message", i.message}});
    ordered_json findings = ordered_json::array();
    for (const model::CapacityFinding& f : report.findings) {
        ordered_json shortfalls = ordered_json::array();
        for (std::size_t c = 0; c < f.classes.size(); ++c) {
            const model::ClassShortfall& s = f.classes[c];
            shortfalls.push_back({{"class", spec.classes[s.cls].name},
                                  {"worst", f.worst[c]},
                                  {"load_erlangs", s.load_erlangs},
                                  {"shortfall_erlangs", s.shortfall_erlangs},
                                  {"shortfall_min_erlangs", s.shortfall_min_erlangs}});
        }
        findings.push_back(
            {{"span", f.span}, {"weeks", f.weeks}, {"text", f.describe(spec)}, {"classes", std::move(shortfalls)}});
    }
    const model::RosteredCost cost = rostered_cost(spec);
    ordered_json cost_groups = ordered_json::object();
    for (std::size_t g = 0; g < spec.groups.size(); ++g) cost_groups[spec.groups[g].name] = cost.groups[g];
    const ordered_json json{{"scenario", spec.name},
                            {"routing", {{"classes", std::move(classes)}, {"groups", std::move(groups)}}},
                            {"rostered_cost", {{"total", cost.total}, {"groups", std::move(cost_groups)}}},
                            {"issues", std::move(issue_list)},
                            {"capacity",
                             {{"interval_s", report.interval_s},
                              {"first_week", report.first_week},
                              {"last_week", report.last_week},
                              {"intervals", report.intervals_checked},
                              {"feasible", report.feasible()},
                              {"findings", std::move(findings)}}}};
    out << json.dump(2) << '\n';
}

}  // namespace

int run(int argc, const char* const* argv) {
    po::options_description options("Options", 100);
    options.add_options()("help,h", "print this help")("format,f", po::value<std::string>()->default_value("table"),
                                                       "report on stdout: table or json");
    add_set_option(options);
    add_quiet_option(options);
    add_allow_large_option(options);
    const std::string text = std::string(description) + "\n" + set_option_help + "\n" + allow_large_help;
    const CommandHelp help{"check", usage_line, text.c_str()};
    po::variables_map vm;
    if (const auto done = parse_scenario_command(argc, argv, help, options, vm)) return *done;
    const std::string format = vm["format"].as<std::string>();
    if (format != "table" && format != "json")
        return usage_error(help, "--format must be table or json, not '" + format + "'");
    const bool json = format == "json";

    const std::optional<scenario::LoadResult> loaded = load_within_limits(vm);
    if (!loaded) return 2;
    const model::ScenarioSpec& spec = *loaded->spec;

    const model::RoutingGraph graph(spec);
    const std::vector<model::RoutingIssue> issues = graph.issues();
    const model::CapacityReport report = model::check_capacity(spec);
    if (json)
        write_json(std::cout, spec, graph, issues, report);
    else
        write_table(std::cout, spec, graph, issues, report);
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "crsim check: error: cannot write the report to stdout\n";
        return 1;
    }
    for (const model::RoutingIssue& i : issues)
        if (i.error) return 2;
    return 0;
}

}  // namespace crsim::cli::check_command
