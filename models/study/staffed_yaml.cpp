// staffed.yaml: the answer of a staffing search as a scenario `crsim run` takes as it is.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "crsim/model/number_text.hpp"
#include "crsim/model/verdict.hpp"
#include "crsim/study/staff.hpp"

namespace crsim::study {

namespace {

/// A YAML double-quoted scalar: JSON's string syntax is a subset of YAML's.
std::string quoted(const std::string& text) { return nlohmann::json(text).dump(); }

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

}  // namespace

std::string staffed_yaml(const model::ScenarioSpec& spec, const StaffAnswer& answer, const std::string& extends) {
    const staffing::StaffingResult& r = answer.result;
    const std::optional<model::ReportWindow>& window = answer.plan.window;
    const std::string window_text = window ? ", " + model::describe(*window) : std::string();
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
    out << "extends: " << quoted(extends) << "\n";
    out << "name: " << quoted(spec.name + "-staffed") << "\n";
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
        out << "  " << quoted(b) << ":" << (any ? "\n" : " ~\n");
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

}  // namespace crsim::study
