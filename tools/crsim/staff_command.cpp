// `crsim staff`: the cheapest headcounts of a scenario's staffing decisions that meet every target
// with confidence (include/crsim/staffing/staffing_search.hpp says how).
#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "crsim/model/number_text.hpp"
#include "crsim/model/report_window.hpp"
#include "crsim/model/routing_graph.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"
#include "crsim/model/verdict.hpp"
#include "crsim/report/atomic_file.hpp"
#include "crsim/report/staff_report.hpp"
#include "crsim/study/staff.hpp"
#include "scenario_command_line.hpp"

namespace crsim::cli::staff_command {

namespace {

namespace po = boost::program_options;
using staffing::StaffingResult;
using staffing::TargetCheck;

constexpr const char* usage_line =
    "Usage: crsim staff SCENARIO.yaml [--window W] [--out DIR] [--threads T] [--replications N]\n"
    "                   [--verify-replications M] [--seed S] [--format table|json]\n"
    "                   [--set PATH=VALUE ...] [--quiet] [--report FILE.html]\n";

constexpr const char* description =
    "Finds the cheapest headcounts for the roster lines named in the scenario's `staffing:` block that\n"
    "meet every target with the block's confidence (one-sided bound of each target's figure over the\n"
    "replications), and proves it: an Erlang (modified offered load) requirement per hour of the week,\n"
    "a covering integer program on COIN-OR CBC at least rostered cost, simulation-corrected\n"
    "requirements (iterative staffing), polish by single removals and moves under common random\n"
    "numbers, then verification on fresh seeds (repaired and verified again if a target fails there),\n"
    "where one person fewer on each line must fail a named target.\n"
    "\n"
    "Cost is the rostered cost in the window, as `crsim run` reports it (total.rostered_cost): each\n"
    "line's shifts paid for their part in the window (breaks, absence and the shift under way at t = 0\n"
    "included) at its group's cost_per_hour, overtime lines at the overtime premium within their\n"
    "weekly caps. The lower bound is the same covering program with fluid requirements (each hour's load times the\n"
    "share of calls the targets need answered). Progress goes to stderr, the answer to stdout.\n"
    "\n"
    "--window W judges the targets (and counts the cost) on calls arriving in W only, as `crsim run\n"
    "--window` reads it: weeks 14-26 or 14, days 3d-10d or 3d, or a window the scenario names; the run\n"
    "still starts at t = 0. --out DIR writes staffed.yaml (a scenario that `crsim run` takes as is: it\n"
    "extends the input, sets the chosen headcounts and, with --window, the window as its warm-up and\n"
    "horizon; its `verified:` block records the criterion, by which `crsim run` judges it again, and\n"
    "its header names the check `crsim run staffed.yaml -s SEED -n N` that prints the verification's\n"
    "figures) and staffing.json. scenarios/README.md documents the staffing block;\n"
    "README.md, \"How many people do we need?\", the output. Roster lines are named everywhere (table,\n"
    "progress, staffing.json) by where they are written, as --set reaches them: roster[3] (from 0).\n"
    "--report FILE.html writes a page with each line before and after, the people on duty by hour of\n"
    "the week against the requirement, the cost against the lower bound and each target's verified\n"
    "figure against its goal. --quiet silences progress and warnings (errors are still printed).\n"
    "Exit status: 0 an answer meeting every target, 1 a failure (or no roster within the bounds meets\n"
    "the targets: the best found is still written), 2 bad options or an invalid scenario.\n";

enum class Format { table, json };

struct Request {
    std::string scenario;
    std::optional<std::string> window;
    std::optional<std::string> out;
    std::optional<std::string> report;
    bool quiet = false;
    unsigned threads = 0;
    std::optional<std::size_t> replications;
    std::optional<std::size_t> verify_replications;
    std::optional<std::uint64_t> seed;
    Format format = Format::table;
};

/// "999 service_level 20s", with " by hour_of_day" for a target per period and " share met" for a
/// chance target (whose mean, bound and goal are then shares of the buckets).
std::string target_name(const model::TargetResult& t) {
    std::string name = t.class_name + " " + model::measure_label(t);
    if (t.by != model::TargetSpec::Period::window) name.append(" by ").append(model::target_period(t.by).name);
    if (model::is_chance_target(t)) name.append(" share met");
    return name;
}

std::string fixed(double x, int digits) {
    if (std::isnan(x)) return "-";
    char text[48];
    std::snprintf(text, sizeof text, "%.*f", digits, x);
    return text;
}

int digits_for(const model::TargetResult& t) {
    return model::is_chance_target(t) || model::target_metric(t.metric).unit == model::TargetUnit::share ? 3 : 1;
}

// ---------------------------------------------------------------------------------------------
// The table

/// Display columns of UTF-8 text: "±" pads like one character.
std::size_t display_width(const std::string& text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// Writes rows of cells, indented and apart by two spaces, in columns as wide as their widest cell,
/// text to the left and the columns `right` marks to the right. Names are never cut, so two shifts whose
/// names begin alike stay two columns of the mix.
void write_columns(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                   const std::vector<bool>& right) {
    std::vector<std::size_t> width(right.size(), 0);
    for (const std::vector<std::string>& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], display_width(row[c]));
    for (const std::vector<std::string>& row : rows) {
        std::string text;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string gap(width[c] - display_width(row[c]), ' ');
            text += "  " + (right[c] ? gap + row[c] : row[c] + gap);
        }
        text.erase(text.find_last_not_of(' ') + 1);
        out << text << '\n';
    }
}

void write_table(std::ostream& out, const model::ScenarioSpec& spec, const StaffingResult& r,
                 const std::string& window_text) {
    const auto& decisions = spec.staffing->decisions;
    char line[256];
    out << "crsim staff: " << spec.name << window_text << ", every target with "
        << model::format_number(100 * spec.staffing->confidence) << "% confidence (one-sided)"
        << (spec.staffing->every_week ? " in every week" : "") << "\n\n";
    std::vector<std::vector<std::string>> rows = {
        {"line", "room", "group", "shift", "days", "OT", "was", "now", "cost/head"}};
    for (std::size_t d = 0; d < decisions.size(); ++d) {
        const study::DecisionLineView v = study::decision_line_view(spec, decisions[d].line);
        const int was = decisions[d].line < spec.shifts.size() ? spec.shifts[decisions[d].line].headcount : 0;
        rows.push_back({v.source, v.room, v.group, v.shift, v.days, v.overtime ? "yes" : "", std::to_string(was),
                        std::to_string(r.headcounts[d]), fixed(r.cost_per_head[d], 0)});
    }
    out << "Decision lines\n";
    write_columns(out, rows, {false, false, false, false, false, false, true, true, true});
    // The mix: people on the decision lines by group and shift.
    std::map<std::string, std::map<std::string, int>> mix;
    std::vector<std::string> shifts;
    for (std::size_t d = 0; d < decisions.size(); ++d) {
        const study::DecisionLineView v = study::decision_line_view(spec, decisions[d].line);
        const std::string shift = v.shift + (v.overtime ? " OT" : "");
        if (std::find(shifts.begin(), shifts.end(), shift) == shifts.end()) shifts.push_back(shift);
        mix[v.group][shift] += r.headcounts[d];
    }
    rows = {{""}};
    rows.front().insert(rows.front().end(), shifts.begin(), shifts.end());
    for (const auto& [group, by_shift] : mix) {
        rows.push_back({group});
        for (const std::string& shift : shifts) {
            const auto it = by_shift.find(shift);
            rows.back().push_back(it == by_shift.end() ? "-" : std::to_string(it->second));
        }
    }
    std::vector<bool> right(1 + shifts.size(), true);
    right.front() = false;
    out << "\nMix (people per line, summed by group and shift)\n";
    write_columns(out, rows, right);
    const double gap = r.cost > 0 ? (r.cost - r.lower_bound) / r.cost : 0.0;
    const std::string unit = spec.currency.empty() ? "" : " " + spec.currency;
    out << "\nCost (rostered" << unit << ", in the window)\n";
    std::snprintf(line, sizeof line, "  answer %.0f   lower bound %.0f   gap %.1f%%   first Erlang covering %.0f\n",
                  r.cost, r.lower_bound, 100 * gap, r.analytic_cost);
    out << line;
    std::snprintf(line, sizeof line, "  the scenario's own roster %.0f, %s\n", r.input_cost,
                  r.input_judgement.passes ? "which meets every target too" : "which misses some target");
    out << line;
    std::snprintf(line, sizeof line, "  per week %.0f   per year %.0f (the scenario's own roster: %.0f a year)\n",
                  r.cost_per_week, r.cost_per_year, r.input_cost_per_year);
    out << line << "\nPeople to employ (FTE: rostered hours a week at the ordinary rate / contract hours)\n";
    rows.clear();
    for (std::size_t g = 0; g < spec.groups.size(); ++g)
        rows.push_back({spec.groups[g].name, "before", fixed(r.input_fte[g], 1), "after", fixed(r.fte[g], 1),
                        "(" + model::format_number(spec.groups[g].contract_hours_per_week) + " h a week)"});
    write_columns(out, rows, {false, false, true, false, true, false});

    out << "\nVerified on fresh seed " << r.verification.seed << " (" << r.verification.replications
        << " replications, round " << r.verification_rounds << ")" << (r.meets_targets ? "" : ": NOT MET") << "\n";
    rows = {{"target", "week", "mean ± ci95", "bound", "goal", ""}};
    for (const TargetCheck& c : r.verification.targets) {
        const model::TargetResult& t = c.target;
        const int digits = digits_for(t);
        rows.push_back({target_name(t), model::judged_on(c),
                        fixed(t.value.mean, digits) + " ± " + fixed(t.value.ci95, digits), fixed(c.bound, digits),
                        fixed(model::judged_goal(t), digits), std::string(model::verdict_word(c))});
    }
    write_columns(out, rows, {false, true, true, true, true, false});
    out << "\nOne person fewer would break (seed " << r.removals_seed << ", " << r.verification.replications
        << " replications, where polishing ended)\n";
    if (r.removals.empty()) out << "  (every decision line is at its minimum)\n";
    for (const staffing::Removal& m : r.removals) {
        const study::DecisionLineView v = study::decision_line_view(spec, decisions[m.decision].line);
        std::string fails;
        for (const TargetCheck& c : m.fails) {
            if (!fails.empty()) fails += "; ";
            const int digits = digits_for(c.target);
            fails += target_name(c.target);
            // Where it failed: its week (every_week) or its worst bucket (a target per period).
            if (c.week > 0 || c.bucket > 0) fails.append(c.week > 0 ? " week " : " ").append(model::judged_on(c));
            fails.append(" ").append(fixed(c.target.value.mean, digits));
            fails.append(" (bound ").append(fixed(c.bound, digits)).append(")");
        }
        std::snprintf(line, sizeof line, "  %-24s %d -> %d: ", v.source.c_str(), m.headcount + 1, m.headcount);
        out << line << (fails.empty() ? "nothing (still meets every target)" : fails) << "\n";
    }
    std::snprintf(line, sizeof line, "\n%zu evaluations in %.1f s\n", r.evaluations, r.seconds);
    out << line;
}

}  // namespace

int run(int argc, const char* const* argv) {
    po::options_description options("Options", 100);
    options.add_options()("help,h", "print this help")(
        "window,w", po::value<std::string>(),
        "judge the targets on a window: 14-26, 14, 3d-10d, or a name (default: the whole run)")(
        "out,o", po::value<std::string>(), "directory for staffed.yaml and staffing.json (created if missing)")(
        "threads,t", po::value<std::string>(), "worker threads; 0 = all cores (default 0)")(
        "replications,n", po::value<std::string>(),
        "replications per search evaluation (default: the scenario's, at least 2)")(
        "verify-replications", po::value<std::string>(),
        "replications per verification on fresh seeds (default: twice the search's, at least 20)")(
        "seed,s", po::value<std::string>(),
        "seed of the search (default: the scenario's); verification seeds derive from it")(
        "format,f", po::value<std::string>()->default_value("table"),
        "stdout: table, or json (staffing.json's content)")(
        "report", po::value<std::string>(), "write a self-contained HTML report with charts to this file")(
        "quiet,q", "no progress or warnings on stderr");
    add_set_option(options);
    static const std::string text = std::string(description) + "\n" + set_option_help;
    const CommandHelp help{"staff", usage_line, text.c_str()};
    po::variables_map vm;
    if (const auto done = parse_scenario_command(argc, argv, help, options, vm)) return *done;
    Request request;
    try {
        request.scenario = vm["scenario"].as<std::string>();
        if (vm.count("window")) request.window = vm["window"].as<std::string>();
        if (vm.count("out")) {
            request.out = vm["out"].as<std::string>();
            if (request.out->empty()) throw UsageError("--out needs a directory");
        }
        if (vm.count("report")) {
            request.report = vm["report"].as<std::string>();
            if (request.report->empty()) throw UsageError("--report needs a file name");
        }
        request.quiet = vm.count("quiet") > 0;
        if (vm.count("threads"))
            request.threads =
                static_cast<unsigned>(parse_unsigned(vm["threads"].as<std::string>(), "threads", 100'000));
        if (vm.count("replications")) {
            request.replications = parse_unsigned(vm["replications"].as<std::string>(), "replications", 1'000'000);
            if (*request.replications < 2)
                throw UsageError("--replications must be at least 2 (a confidence bound needs two)");
        }
        if (vm.count("verify-replications")) {
            request.verify_replications =
                parse_unsigned(vm["verify-replications"].as<std::string>(), "verify-replications", 1'000'000);
            if (*request.verify_replications < 2) throw UsageError("--verify-replications must be at least 2");
        }
        if (vm.count("seed")) request.seed = parse_unsigned(vm["seed"].as<std::string>(), "seed", UINT64_MAX);
        const std::string format = vm["format"].as<std::string>();
        if (format == "table")
            request.format = Format::table;
        else if (format == "json")
            request.format = Format::json;
        else
            throw UsageError("--format must be table or json, not '" + format + "'");
    } catch (const UsageError& e) {
        return usage_error(help, e.what());
    }

    const auto overrides = overrides_from(vm);
    if (!overrides) return 2;
    const std::optional<model::ScenarioSpec> loaded = load_reporting(request.scenario, *overrides, request.quiet);
    if (!loaded) return 2;
    const model::ScenarioSpec& spec = *loaded;
    if (!spec.staffing) {
        std::cerr << "crsim staff: error: " << request.scenario
                  << " has no staffing block: add `staffing: {vary: [...]}` (scenarios/README.md, staffing)\n";
        return 2;
    }
    for (const model::RoutingIssue& issue : model::RoutingGraph(spec).issues())
        if (issue.error) {
            std::cerr << "error: " << issue.message << '\n';
            return 2;
        }

    study::StaffPlan plan;
    std::string window_text;
    if (request.window) {
        // The window parser and the named windows of `crsim run --window` and `crsim compare`.
        try {
            plan.window = model::parse_window(*request.window, spec);
        } catch (const std::invalid_argument& e) {
            return usage_error(help, std::string("--window: ") + e.what());
        }
        plan.window_given = *request.window;
        window_text = ", " + model::describe(*plan.window);
    }
    plan.replications = request.replications;
    plan.verify_replications = request.verify_replications;
    plan.seed = request.seed;
    plan.threads = request.threads;
    if (!request.quiet) plan.progress = [](const std::string& text) { std::cerr << text << std::endl; };

    // Checked before the search, so that a long search does not fail only at the end.
    if (request.out)
        if (const auto status =
                check_output_dir("staff", *request.out, {study::staffed_yaml_file, study::staffing_json_file}))
            return *status;
    if (request.report)
        if (const auto status = check_output_files("staff", {*request.report})) return *status;
    const std::string chart_library = request.report ? report::load_chart_library() : std::string();
    const study::StaffAnswer answer = study::staff(spec, plan);
    const StaffingResult& result = answer.result;

    if (request.format == Format::json)
        std::cout << study::staffing_json(spec, answer).dump(2) << '\n';
    else
        write_table(std::cout, spec, result, window_text);
    std::cout.flush();
    if (request.out) {
        study::write_staff_files(*request.out, request.scenario, spec, answer);
        if (!request.quiet)
            std::cerr << "crsim staff: wrote staffed.yaml and staffing.json to " << *request.out << '\n';
    }
    if (request.report) {
        const report::HtmlPage page =
            report::staff_report(spec, result, study::staffing_options(spec, plan), plan.window);
        report::write_file_atomically(*request.report, page.html(chart_library));
        if (!request.quiet)
            std::cerr << "crsim: wrote the report (" << page.charts() << " charts) to " << *request.report << '\n';
    }
    if (!std::cout) {
        std::cerr << "crsim staff: error: cannot write the report to stdout\n";
        return 1;
    }
    if (!result.meets_targets) {
        std::cerr << "crsim staff: error: no roster found within the bounds meets every target on fresh seeds\n";
        return 1;
    }
    return 0;
}

}  // namespace crsim::cli::staff_command
