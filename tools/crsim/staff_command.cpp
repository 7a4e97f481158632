// `crsim staff`: the cheapest headcounts of a scenario's staffing decisions that meet every target
// with confidence (include/crsim/staffing/staffing_search.hpp says how).
#include <algorithm>
#include <boost/program_options.hpp>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>

#include "commands.hpp"
#include "crsim/model/report_window.hpp"
#include "crsim/model/routing_graph.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/report/atomic_file.hpp"
#include "crsim/report/staff_report.hpp"
#include "crsim/report/summary_writers.hpp"
#include "crsim/staffing/staffing_search.hpp"
#include "scenario_command_line.hpp"

namespace crsim::cli {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;
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

std::string unquote(const std::string& flow) {
    if (flow.size() >= 2 && flow.front() == '"' && flow.back() == '"') return flow.substr(1, flow.size() - 2);
    return flow;
}

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", c);
            out += esc;
            continue;
        }
        out += c;
    }
    return out + '"';
}

std::string json_number(double x) {
    const std::string text = model::format_number(x);
    return text.empty() ? "null" : text;
}

/// A decision line as the user wrote it.
struct LineView {
    std::string source;  // roster[3], rosters.overtime[0], staffing.candidates[1]
    std::string room, group, shift, days;
    bool overtime = false;
};

LineView view_of(const model::ScenarioSpec& spec, std::size_t line) {
    const bool candidate = line >= spec.shifts.size();
    const model::RosterLineSource& src =
        candidate ? spec.staffing->candidate_sources[line - spec.shifts.size()] : spec.shift_sources[line];
    LineView v;
    v.source = staffing::line_label(spec, line);
    v.room = unquote(src.field("room"));
    v.group = unquote(src.field("group"));
    v.shift = unquote(src.field("shift"));
    v.days = unquote(src.field("days", "all"));
    v.overtime = src.field("overtime", "false") == "true";
    return v;
}

std::string target_name(const model::TargetResult& t) { return t.class_name + " " + model::measure_label(t); }

std::string fixed(double x, int digits) {
    if (std::isnan(x)) return "-";
    char text[48];
    std::snprintf(text, sizeof text, "%.*f", digits, x);
    return text;
}

int digits_for(const model::TargetResult& t) {
    return model::target_metric(t.metric).unit == model::TargetUnit::share ? 3 : 1;
}

// ---------------------------------------------------------------------------------------------
// staffed.yaml

/// A roster line as flow YAML with its new headcount, written after `days` (or `shift`).
std::string flow_line(const model::RosterLineSource& src, int headcount) {
    const std::string after = !src.field("days").empty() ? "days" : !src.field("shift").empty() ? "shift" : "";
    const std::string count = "headcount: " + std::to_string(headcount);
    std::string text;
    for (const auto& [key, value] : src.fields) {
        text += (text.empty() ? "" : ", ") + key + ": " + value;
        if (key == after) text += ", " + count;
    }
    if (after.empty()) text += (text.empty() ? "" : ", ") + count;
    return "{" + text + "}";
}

std::string staffed_yaml(const model::ScenarioSpec& spec, const StaffingResult& r, const std::string& extends,
                         const std::string& window_text, const std::optional<model::ReportWindow>& window) {
    // The calls the verification judged: the window, or the scenario's [warm-up, horizon).
    const double from_s = window ? window->from_s : spec.warmup_s;
    const double to_s = window ? window->to_s : spec.horizon_s;
    const std::size_t n_shifts = spec.shifts.size();
    std::vector<int> headcount(n_shifts + spec.staffing->candidates.size(), 0);
    std::vector<bool> decided(headcount.size(), false);
    for (std::size_t i = 0; i < n_shifts; ++i) headcount[i] = spec.shifts[i].headcount;
    for (std::size_t d = 0; d < r.headcounts.size(); ++d) {
        headcount[spec.staffing->decisions[d].line] = r.headcounts[d];
        decided[spec.staffing->decisions[d].line] = true;
    }
    // The lists that hold a decision are written whole (a child's list replaces the parent's).
    std::map<std::string, std::vector<std::size_t>> blocks;  // "" = roster
    std::vector<std::string> order;
    for (std::size_t i = 0; i < n_shifts; ++i) {
        const std::string& b = spec.shift_sources[i].block;
        if (!blocks.contains(b)) order.push_back(b);
        blocks[b].push_back(i);
    }
    std::ostringstream out;
    const std::string check = "crsim run staffed.yaml -s " + std::to_string(r.verification.seed) + " -n " +
                              std::to_string(r.verification.replications);
    const model::VerdictCriterion criterion = staffing::criterion(spec);
    out << "# Written by `crsim staff` for " << spec.name << window_text << ": the cheapest headcounts found for its\n"
        << "# staffing decisions (staffing.json has the evidence). Verified with every target's "
        << model::describe(criterion) << "\n# bound on seed " << r.verification.seed << ", "
        << r.verification.replications << " replications (`verified:` below); this prints those figures\n"
        << "# and each target's verdict under that criterion:\n"
        << "#   " << check << "\n"
        << "# and a seed of your own (S) checks it afresh: crsim run staffed.yaml -s S\n";
    out << "extends: " << json_string(extends) << "\n";
    out << "name: " << json_string(spec.name + "-staffed") << "\n";
    if (window) {
        // As the search ran it: calls before the window simulated but not counted, the run ended
        // with the window (its last calls followed to the end).
        out << "warmup: " << model::format_number(window->from_s) << "s\n"
            << "horizon: " << model::format_number(window->to_s) << "s\n";
    }
    // The criterion as data, so that `crsim run` judges the targets the way the search verified them.
    out << "verified:\n"
        << "  confidence: " << model::format_number(100 * criterion.confidence) << "%\n"
        << "  sided: " << (criterion.two_sided ? "two" : "one") << "\n"
        << "  every_week: " << (criterion.every_week ? "true" : "false") << "\n"
        << "  window: {from: " << model::format_number(from_s) << "s, to: " << model::format_number(to_s) << "s}\n"
        << "  seed: " << r.verification.seed << "\n"
        << "  replications: " << r.verification.replications << "\n";
    // The answer is a scenario, not a search: the inherited staffing block goes (its selectors
    // may match no line once a decision line at 0 is left out).
    out << "staffing: ~\n";
    const auto changed = [&](const std::vector<std::size_t>& lines) {
        return std::any_of(lines.begin(), lines.end(), [&](std::size_t i) { return decided[i]; });
    };
    if (blocks.contains("") && changed(blocks[""])) {
        out << "roster:\n";
        for (const std::size_t i : blocks[""])
            if (headcount[i] > 0) out << "  - " << flow_line(spec.shift_sources[i], headcount[i]) << "\n";
    }
    std::vector<std::size_t> opened;
    for (std::size_t c = 0; c < spec.staffing->candidates.size(); ++c)
        if (headcount[n_shifts + c] > 0) opened.push_back(n_shifts + c);
    bool rosters_written = false;
    const auto rosters_key = [&] {
        if (!rosters_written) out << "rosters:\n";
        rosters_written = true;
    };
    for (const std::string& b : order) {
        if (b.empty() || !changed(blocks[b])) continue;
        rosters_key();
        bool any = false;
        for (const std::size_t i : blocks[b]) any = any || headcount[i] > 0;
        out << "  " << json_string(b) << ":" << (any ? "\n" : " ~\n");
        for (const std::size_t i : blocks[b])
            if (headcount[i] > 0) out << "    - " << flow_line(spec.shift_sources[i], headcount[i]) << "\n";
    }
    if (!opened.empty()) {
        rosters_key();
        std::string name = "staffing-candidates";
        while (blocks.contains(name)) name += "-new";
        out << "  " << name << ":\n";
        for (const std::size_t i : opened)
            out << "    - " << flow_line(spec.staffing->candidate_sources[i - n_shifts], headcount[i]) << "\n";
    }
    return out.str();
}

// ---------------------------------------------------------------------------------------------
// staffing.json

void write_check(std::ostream& out, const TargetCheck& c) {
    const model::TargetResult& t = c.target;
    out << "{\"class\": " << json_string(t.class_name)
        << ", \"metric\": " << json_string(std::string(model::metric_name(t.metric)))
        << ", \"threshold_s\": " << json_number(t.threshold_s) << ", \"goal\": " << json_number(t.goal)
        << ", \"mean\": " << json_number(t.value.mean) << ", \"ci95\": " << json_number(t.value.ci95)
        << ", \"bound\": " << json_number(c.bound) << ", \"met\": " << (t.met ? "true" : "false")
        << ", \"p_met\": " << json_number(t.p_met) << ", \"confident\": " << (t.confident ? "true" : "false")
        << ", \"clears\": " << (c.clears ? "true" : "false");
    if (c.week > 0) out << ", \"week\": " << c.week;
    out << "}";
}

void write_json(std::ostream& out, const model::ScenarioSpec& spec, const StaffingResult& r,
                const std::optional<std::string>& window_name, const std::optional<model::ReportWindow>& window) {
    const auto& decisions = spec.staffing->decisions;
    out << "{\n  \"scenario\": " << json_string(spec.name) << ",\n  \"window\": ";
    if (window) {
        const bool weeks = window->unit == model::ReportWindow::Unit::week;
        out << "{\"given\": " << json_string(*window_name) << ", \"unit\": " << (weeks ? "\"week\"" : "\"day\"")
            << ", \"from\": " << window->from << ", \"to\": " << window->to
            << ", \"from_s\": " << json_number(window->from_s) << ", \"to_s\": " << json_number(window->to_s) << "}";
    } else {
        out << "null";
    }
    out << ",\n  \"confidence\": " << json_number(spec.staffing->confidence)
        << ",\n  \"every_week\": " << (spec.staffing->every_week ? "true" : "false")
        << ",\n  \"meets_targets\": " << (r.meets_targets ? "true" : "false")
        << ",\n  \"currency\": " << (spec.currency.empty() ? "null" : json_string(spec.currency))
        << ",\n  \"cost\": " << json_number(r.cost) << ",\n  \"cost_per_week\": " << json_number(r.cost_per_week)
        << ",\n  \"cost_per_year\": " << json_number(r.cost_per_year)
        << ",\n  \"lower_bound\": " << json_number(r.lower_bound)
        << ",\n  \"gap\": " << json_number(r.cost > 0 ? (r.cost - r.lower_bound) / r.cost : 0.0)
        << ",\n  \"analytic_cost\": " << json_number(r.analytic_cost)
        << ",\n  \"input_cost\": " << json_number(r.input_cost)
        << ",\n  \"input_cost_per_year\": " << json_number(r.input_cost_per_year) << ",\n  \"fte\": {";
    for (std::size_t g = 0; g < spec.groups.size(); ++g)
        out << (g ? ", " : "") << json_string(spec.groups[g].name) << ": {\"before\": " << json_number(r.input_fte[g])
            << ", \"after\": " << json_number(r.fte[g]) << "}";
    out << "}"
        << ",\n  \"input_meets_targets\": " << (r.input_judgement.passes ? "true" : "false") << ",\n  \"lines\": [\n";
    for (std::size_t d = 0; d < decisions.size(); ++d) {
        const LineView v = view_of(spec, decisions[d].line);
        out << "    {\"room\": " << json_string(v.room) << ", \"group\": " << json_string(v.group)
            << ", \"shift\": " << json_string(v.shift) << ", \"days\": " << json_string(v.days)
            << ", \"overtime\": " << (v.overtime ? "true" : "false") << ", \"headcount\": " << r.headcounts[d]
            << ", \"min\": " << decisions[d].min << ", \"max\": " << decisions[d].max
            << ", \"cost_per_head\": " << json_number(r.cost_per_head[d]) << ", \"source\": " << json_string(v.source)
            << "}" << (d + 1 == decisions.size() ? "\n" : ",\n");
    }
    out << "  ],\n  \"verification\": {\"seed\": " << r.verification.seed
        << ", \"replications\": " << r.verification.replications << ", \"rounds\": " << r.verification_rounds
        << ", \"targets\": [\n";
    for (std::size_t i = 0; i < r.verification.targets.size(); ++i) {
        out << "    ";
        write_check(out, r.verification.targets[i]);
        out << (i + 1 == r.verification.targets.size() ? "\n" : ",\n");
    }
    out << "  ]},\n  \"removals_seed\": " << r.removals_seed << ",\n  \"failed_verifications\": [";
    for (std::size_t i = 0; i < r.failed_verifications.size(); ++i) {
        const staffing::Judgement& j = r.failed_verifications[i];
        out << (i ? ", " : "") << "{\"seed\": " << j.seed << ", \"replications\": " << j.replications
            << ", \"targets\": [";
        for (std::size_t k = 0; k < j.targets.size(); ++k) {
            out << (k ? ", " : "");
            write_check(out, j.targets[k]);
        }
        out << "]}";
    }
    out << "],\n  \"removals\": [" << (r.removals.empty() ? "" : "\n");
    for (std::size_t i = 0; i < r.removals.size(); ++i) {
        const staffing::Removal& m = r.removals[i];
        out << "    {\"line\": " << json_string(view_of(spec, decisions[m.decision].line).source)
            << ", \"headcount\": " << m.headcount << ", \"fails\": [";
        for (std::size_t k = 0; k < m.fails.size(); ++k) {
            const model::TargetResult& t = m.fails[k].target;
            out << (k ? ", " : "") << "{\"class\": " << json_string(t.class_name)
                << ", \"metric\": " << json_string(std::string(model::metric_name(t.metric)))
                << ", \"threshold_s\": " << json_number(t.threshold_s) << ", \"mean\": " << json_number(t.value.mean)
                << ", \"ci95\": " << json_number(t.value.ci95) << ", \"bound\": " << json_number(m.fails[k].bound);
            if (m.fails[k].week > 0) out << ", \"week\": " << m.fails[k].week;
            out << "}";
        }
        out << "]}" << (i + 1 == r.removals.size() ? "\n" : ",\n");
    }
    out << (r.removals.empty() ? "" : "  ") << "],\n  \"evaluations\": " << r.evaluations
        << ",\n  \"seconds\": " << json_number(std::round(r.seconds * 100) / 100) << "\n}\n";
}

// ---------------------------------------------------------------------------------------------
// The table

void write_table(std::ostream& out, const model::ScenarioSpec& spec, const StaffingResult& r,
                 const std::string& window_text) {
    const auto& decisions = spec.staffing->decisions;
    char line[256];
    out << "crsim staff: " << spec.name << window_text << ", every target with "
        << model::format_number(100 * spec.staffing->confidence) << "% confidence (one-sided)"
        << (spec.staffing->every_week ? " in every week" : "") << "\n\n";
    std::snprintf(line, sizeof line, "  %-24s %-12s %-20s %-10s %-10s %-3s %5s %5s %12s\n", "line", "room", "group",
                  "shift", "days", "OT", "was", "now", "cost/head");
    out << "Decision lines\n" << line;
    for (std::size_t d = 0; d < decisions.size(); ++d) {
        const LineView v = view_of(spec, decisions[d].line);
        const int was = decisions[d].line < spec.shifts.size() ? spec.shifts[decisions[d].line].headcount : 0;
        std::snprintf(line, sizeof line, "  %-24s %-12s %-20s %-10s %-10s %-3s %5d %5d %12.0f\n", v.source.c_str(),
                      v.room.substr(0, 12).c_str(), v.group.c_str(), v.shift.substr(0, 10).c_str(),
                      v.days.substr(0, 10).c_str(), v.overtime ? "yes" : "", was, r.headcounts[d], r.cost_per_head[d]);
        out << line;
    }
    // The mix: people on the decision lines by group and shift.
    std::map<std::string, std::map<std::string, int>> mix;
    std::vector<std::string> shifts;
    for (std::size_t d = 0; d < decisions.size(); ++d) {
        const LineView v = view_of(spec, decisions[d].line);
        const std::string shift = v.shift.substr(0, 10) + (v.overtime ? " OT" : "");
        if (std::find(shifts.begin(), shifts.end(), shift) == shifts.end()) shifts.push_back(shift);
        mix[v.group][shift] += r.headcounts[d];
    }
    out << "\nMix (people per line, summed by group and shift)\n  " << std::string(20, ' ');
    for (const std::string& s : shifts) {
        std::snprintf(line, sizeof line, " %10s", s.c_str());
        out << line;
    }
    out << "\n";
    for (const auto& [group, by_shift] : mix) {
        std::snprintf(line, sizeof line, "  %-20s", group.c_str());
        out << line;
        for (const std::string& s : shifts) {
            const auto it = by_shift.find(s);
            std::snprintf(line, sizeof line, " %10s", it == by_shift.end() ? "-" : std::to_string(it->second).c_str());
            out << line;
        }
        out << "\n";
    }
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
    for (std::size_t g = 0; g < spec.groups.size(); ++g) {
        std::snprintf(line, sizeof line, "  %-20s before %7.1f   after %7.1f   (%g h a week)\n",
                      spec.groups[g].name.c_str(), r.input_fte[g], r.fte[g], spec.groups[g].contract_hours_per_week);
        out << line;
    }

    out << "\nVerified on fresh seed " << r.verification.seed << " (" << r.verification.replications
        << " replications, round " << r.verification_rounds << ")" << (r.meets_targets ? "" : ": NOT MET") << "\n";
    std::snprintf(line, sizeof line, "  %-28s %8s %14s %9s %9s  %s\n", "target", "week", "mean ± ci95", "bound", "goal",
                  "");
    out << line;
    for (const TargetCheck& c : r.verification.targets) {
        const model::TargetResult& t = c.target;
        const int digits = digits_for(t);
        const std::string mean = fixed(t.value.mean, digits) + " ± " + fixed(t.value.ci95, digits);
        std::snprintf(line, sizeof line, "  %-28s %8s %14s %9s %9s  %s\n", target_name(t).c_str(),
                      c.week > 0 ? std::to_string(c.week).c_str() : "all", mean.c_str(), fixed(c.bound, digits).c_str(),
                      fixed(t.goal, digits).c_str(), std::string(model::verdict_word(c)).c_str());
        out << line;
    }
    out << "\nOne person fewer would break (seed " << r.removals_seed << ", " << r.verification.replications
        << " replications, where polishing ended)\n";
    if (r.removals.empty()) out << "  (every decision line is at its minimum)\n";
    for (const staffing::Removal& m : r.removals) {
        const LineView v = view_of(spec, decisions[m.decision].line);
        std::string fails;
        for (const TargetCheck& c : m.fails) {
            if (!fails.empty()) fails += "; ";
            const int digits = digits_for(c.target);
            fails += target_name(c.target) + (c.week > 0 ? " week " + std::to_string(c.week) : "") + " " +
                     fixed(c.target.value.mean, digits) + " (bound " + fixed(c.bound, digits) + ")";
        }
        std::snprintf(line, sizeof line, "  %-24s %d -> %d: ", v.source.c_str(), m.headcount + 1, m.headcount);
        out << line << (fails.empty() ? "nothing (still meets every target)" : fails) << "\n";
    }
    std::snprintf(line, sizeof line, "\n%zu evaluations in %.1f s\n", r.evaluations, r.seconds);
    out << line;
}

}  // namespace

int staff_command(int argc, const char* const* argv) {
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

    staffing::StaffingOptions o;
    o.window_from_s = spec.warmup_s;
    o.window_to_s = spec.horizon_s;
    std::optional<model::ReportWindow> window;
    std::string window_text;
    if (request.window) {
        // The window parser and the named windows of `crsim run --window` and `crsim compare`.
        try {
            window = model::parse_window(*request.window, spec);
        } catch (const std::invalid_argument& e) {
            return usage_error(help, std::string("--window: ") + e.what());
        }
        o.window_from_s = window->from_s;
        o.window_to_s = window->to_s;
        window_text = ", " + model::describe(*window);
    }
    o.replications = std::max<std::size_t>(2, request.replications.value_or(spec.replications));
    o.verify_replications = request.verify_replications.value_or(std::max<std::size_t>(20, 2 * o.replications));
    o.seed = request.seed.value_or(spec.seed);
    o.threads = request.threads;
    if (!request.quiet) o.progress = [](const std::string& text) { std::cerr << text << std::endl; };

    // Checked before the search, so that a long search does not fail only at the end.
    if (request.out)
        if (const auto status = check_output_dir("staff", *request.out, {"staffed.yaml", "staffing.json"}))
            return *status;
    if (request.report)
        if (const auto status = check_output_files("staff", {*request.report})) return *status;
    const std::string chart_library = request.report ? report::load_chart_library() : std::string();
    const StaffingResult result = staffing::search_staffing(spec, o);

    std::ostringstream json;
    write_json(json, spec, result, request.window, window);
    if (request.format == Format::json)
        std::cout << json.str();
    else
        write_table(std::cout, spec, result, window_text);
    std::cout.flush();
    if (request.out) {
        const fs::path dir = fs::absolute(*request.out);
        const std::string extends =
            fs::relative(fs::weakly_canonical(fs::absolute(request.scenario)), fs::weakly_canonical(dir))
                .generic_string();
        report::write_file_atomically(dir / "staffed.yaml", staffed_yaml(spec, result, extends, window_text, window));
        report::write_file_atomically(dir / "staffing.json", json.str());
        if (!request.quiet)
            std::cerr << "crsim staff: wrote staffed.yaml and staffing.json to " << *request.out << '\n';
    }
    if (request.report) {
        const report::HtmlPage page = report::staff_report(spec, result, o, window);
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

}  // namespace crsim::cli
