#include "crsim/study/staff.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"
#include "crsim/report/atomic_file.hpp"

namespace crsim::study {

namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;
using staffing::TargetCheck;

std::string unquote(const std::string& flow) {
    if (flow.size() >= 2 && flow.front() == '"' && flow.back() == '"') return flow.substr(1, flow.size() - 2);
    return flow;
}

/// A target's threshold, or null for a metric without one (abandoned_pct).
ordered_json number_or_null(double x) { return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr); }

/// The fields every target check shares: which target, its figure over the replications, its bound.
ordered_json check_head(const TargetCheck& c) {
    const model::TargetResult& t = c.target;
    ordered_json out{{"class", t.class_name},
                     {"metric", model::metric_name(t.metric)},
                     {"threshold_s", number_or_null(t.threshold_s)}};
    if (std::isfinite(t.q)) out["q"] = t.q;  // wait_quantile's quantile, as in summary.json
    // A target per period (target_periods.hpp): its buckets, and a chance target's share.
    if (t.by != model::TargetSpec::Period::window) {
        out["by"] = model::target_period(t.by).name;
        out["periods_met"] = number_or_null(t.periods_met);
    }
    return out;
}

ordered_json check_json(const TargetCheck& c) {
    const model::TargetResult& t = c.target;
    ordered_json out = check_head(c);
    out.update(ordered_json{{"goal", number_or_null(t.goal)},
                            {"mean", number_or_null(t.value.mean)},
                            {"ci95", number_or_null(t.value.ci95)},
                            {"bound", number_or_null(c.bound)},
                            {"met", t.met},
                            {"p_met", number_or_null(t.p_met)},
                            {"confident", t.confident},
                            {"clears", c.clears}});
    if (c.week > 0) out["week"] = c.week;
    if (c.bucket > 0) {
        out["bucket"] = ordered_json{{"index", c.bucket}, {"label", model::bucket_label(t.by, c.bucket - 1)}};
        out["buckets_failed"] = c.buckets_failed;
    }
    return out;
}

ordered_json failure_json(const TargetCheck& c) {
    ordered_json out = check_head(c);
    out.update(ordered_json{{"mean", number_or_null(c.target.value.mean)},
                            {"ci95", number_or_null(c.target.value.ci95)},
                            {"bound", number_or_null(c.bound)}});
    if (c.week > 0) out["week"] = c.week;
    if (c.bucket > 0) {
        out["bucket"] = ordered_json{{"index", c.bucket}, {"label", model::bucket_label(c.target.by, c.bucket - 1)}};
        out["buckets_failed"] = c.buckets_failed;
    }
    return out;
}

ordered_json checks_json(const std::vector<TargetCheck>& checks) {
    ordered_json out = ordered_json::array();
    for (const TargetCheck& c : checks) out.push_back(check_json(c));
    return out;
}

ordered_json window_json(const StaffPlan& plan) {
    if (!plan.window) return nullptr;
    const model::ReportWindow& w = *plan.window;
    return ordered_json{{"given", plan.window_given},
                        {"unit", w.unit == model::ReportWindow::Unit::week ? "week" : "day"},
                        {"from", w.from},
                        {"to", w.to},
                        {"from_s", w.from_s},
                        {"to_s", w.to_s}};
}

}  // namespace

DecisionLineView decision_line_view(const model::ScenarioSpec& spec, std::size_t line) {
    const bool candidate = line >= spec.shifts.size();
    const model::RosterLineSource& src =
        candidate ? spec.staffing->candidate_sources[line - spec.shifts.size()] : spec.shift_sources[line];
    DecisionLineView v;
    v.source = staffing::line_label(spec, line);
    v.room = unquote(src.field("room"));
    v.group = unquote(src.field("group"));
    v.shift = unquote(src.field("shift"));
    v.days = unquote(src.field("days", "all"));
    v.overtime = src.field("overtime", "false") == "true";
    return v;
}

staffing::StaffingOptions staffing_options(const model::ScenarioSpec& spec, const StaffPlan& plan) {
    staffing::StaffingOptions o;
    o.window_from_s = plan.window ? plan.window->from_s : spec.warmup_s;
    o.window_to_s = plan.window ? plan.window->to_s : spec.horizon_s;
    o.replications = std::max<std::size_t>(2, plan.replications.value_or(spec.replications));
    o.verify_replications = plan.verify_replications.value_or(std::max<std::size_t>(20, 2 * o.replications));
    o.seed = plan.seed.value_or(spec.seed);
    o.threads = plan.threads;
    o.progress = plan.progress;
    return o;
}

StaffAnswer staff(const model::ScenarioSpec& spec, const StaffPlan& plan) {
    return StaffAnswer{staffing::search_staffing(spec, staffing_options(spec, plan)), plan};
}

ordered_json staffing_json(const model::ScenarioSpec& spec, const StaffAnswer& answer) {
    const staffing::StaffingResult& r = answer.result;
    const auto& decisions = spec.staffing->decisions;
    ordered_json lines = ordered_json::array();
    for (std::size_t d = 0; d < decisions.size(); ++d) {
        const DecisionLineView v = decision_line_view(spec, decisions[d].line);
        lines.push_back(ordered_json{{"room", v.room},
                                     {"group", v.group},
                                     {"shift", v.shift},
                                     {"days", v.days},
                                     {"overtime", v.overtime},
                                     {"headcount", r.headcounts[d]},
                                     {"min", decisions[d].min},
                                     {"max", decisions[d].max},
                                     {"cost_per_head", number_or_null(r.cost_per_head[d])},
                                     {"source", v.source}});
    }
    ordered_json failed = ordered_json::array();
    for (const staffing::Judgement& j : r.failed_verifications)
        failed.push_back(
            ordered_json{{"seed", j.seed}, {"replications", j.replications}, {"targets", checks_json(j.targets)}});
    ordered_json removals = ordered_json::array();
    for (const staffing::Removal& m : r.removals) {
        ordered_json fails = ordered_json::array();
        for (const TargetCheck& c : m.fails) fails.push_back(failure_json(c));
        removals.push_back(ordered_json{{"line", decision_line_view(spec, decisions[m.decision].line).source},
                                        {"headcount", m.headcount},
                                        {"fails", std::move(fails)}});
    }
    ordered_json fte = ordered_json::object();
    for (std::size_t g = 0; g < spec.groups.size(); ++g)
        fte[spec.groups[g].name] = ordered_json{{"before", r.input_fte[g]}, {"after", r.fte[g]}};
    return ordered_json{
        {"scenario", spec.name},
        {"window", window_json(answer.plan)},
        {"confidence", spec.staffing->confidence},
        {"every_week", spec.staffing->every_week},
        {"meets_targets", r.meets_targets},
        {"currency", spec.currency.empty() ? ordered_json(nullptr) : ordered_json(spec.currency)},
        {"cost", r.cost},
        {"cost_per_week", r.cost_per_week},
        {"cost_per_year", r.cost_per_year},
        {"lower_bound", r.lower_bound},
        {"gap", r.cost > 0 ? (r.cost - r.lower_bound) / r.cost : 0.0},
        {"analytic_cost", r.analytic_cost},
        {"input_cost", r.input_cost},
        {"input_cost_per_year", r.input_cost_per_year},
        {"fte", std::move(fte)},
        {"input_meets_targets", r.input_judgement.passes},
        {"lines", std::move(lines)},
        {"verification", ordered_json{{"seed", r.verification.seed},
                                      {"replications", r.verification.replications},
                                      {"rounds", r.verification_rounds},
                                      {"targets", checks_json(r.verification.targets)}}},
        {"removals_seed", r.removals_seed},
        {"failed_verifications", std::move(failed)},
        {"removals", std::move(removals)},
        {"evaluations", r.evaluations},
        {"seconds", std::round(r.seconds * 100) / 100},
    };
}

void write_staff_files(const fs::path& dir, const fs::path& scenario_path, const model::ScenarioSpec& spec,
                       const StaffAnswer& answer) {
    const fs::path absolute = fs::absolute(dir);
    const std::string extends =
        fs::relative(fs::weakly_canonical(fs::absolute(scenario_path)), fs::weakly_canonical(absolute))
            .generic_string();
    report::write_file_atomically(absolute / staffed_yaml_file, staffed_yaml(spec, answer, extends));
    report::write_file_atomically(absolute / staffing_json_file, staffing_json(spec, answer).dump(2) + '\n');
}

}  // namespace crsim::study
