#include "staffing_requirements.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "crsim/analytic/erlang.hpp"
#include "crsim/model/interval_load.hpp"
#include "crsim/model/routing_policy.hpp"
#include "crsim/model/target_metric.hpp"

namespace crsim::staffing {

namespace {

using model::ScenarioSpec;
using model::ShiftSpec;
using model::TargetSpec;

constexpr double infinite_patience = std::numeric_limits<double>::infinity();

std::size_t slot_of(const ScenarioSpec& spec, double t) {
    const double calendar = t + model::calendar_offset_s(spec);
    const auto hour = static_cast<long long>(std::floor(calendar / model::seconds_per_hour + 1e-9));
    return static_cast<std::size_t>(((hour % 168) + 168) % 168);
}

/// Mean staffed people per (slot, room, group) of `spec`'s roster over [from, to), averaged over
/// the window's weeks.
std::vector<std::vector<std::vector<double>>> staffed_by_slot(const ScenarioSpec& spec, double from, double to) {
    std::vector<std::vector<std::vector<double>>> out(
        StaffingRequirements::slots,
        std::vector<std::vector<double>>(spec.rooms.size(), std::vector<double>(spec.groups.size(), 0.0)));
    std::vector<double> seconds(StaffingRequirements::slots, 0.0);
    if (spec.shifts.empty()) return out;
    for (const model::IntervalLoad& in : model::tabulate_intervals(spec, from, to)) {
        const std::size_t s = slot_of(spec, in.start_s);
        const double d = in.end_s - in.start_s;
        seconds[s] += d;
        for (std::size_t r = 0; r < spec.rooms.size(); ++r)
            for (std::size_t g = 0; g < spec.groups.size(); ++g) out[s][r][g] += in.staffed[r][g] * d;
    }
    for (std::size_t s = 0; s < out.size(); ++s)
        if (seconds[s] > 0)
            for (auto& room : out[s])
                for (double& v : room) v /= seconds[s];
    return out;
}

/// Busy time of group g on class k relative to a factor-1 handler's.
double work_ratio(const ScenarioSpec& spec, std::size_t k, std::size_t g) {
    const double handle = spec.classes[k].handle_time.mean(), wrap = spec.classes[k].wrap_up.mean();
    return model::RoutingPolicy::busy_s(handle, spec.groups[g].handle_factor[k], 1.0, wrap) /
           model::RoutingPolicy::busy_s(handle, 1.0, 1.0, wrap);
}

/// The mean patience of a class (infinity when its callers never abandon).
double patience_mean(const model::ClassSpec& c) { return c.patience ? c.patience->mean() : infinite_patience; }

}  // namespace

StaffingRequirements::StaffingRequirements(const ScenarioSpec& spec, double from_s, double to_s, bool worst_week)
    : spec_(spec) {
    const std::size_t n_classes = spec.classes.size();
    for (const model::ClassSpec& c : spec.classes)
        callback_busy_s_.push_back(c.abandoned_callback && c.patience ? model::expected_busy_s(*c.abandoned_callback)
                                                                      : 0.0);
    if (n_classes <= 4) {
        for (unsigned mask = 1; mask < (1u << n_classes); ++mask) {
            std::vector<bool> set(n_classes);
            for (std::size_t k = 0; k < n_classes; ++k) set[k] = (mask >> k) & 1u;
            sets_.push_back(set);
        }
    } else {
        for (std::size_t k = 0; k < n_classes; ++k) {
            std::vector<bool> set(n_classes, false);
            set[k] = true;
            sets_.push_back(set);
        }
        sets_.emplace_back(n_classes, true);
    }

    // Loads: the modified offered load m(t) of each class, the mean number of calls in service
    // with infinitely many people, m' = λ(t) − m/E[S] (exponential work), integrated interval by
    // interval from the window's start (begun at the first interval's stationary value).
    const std::vector<model::IntervalLoad> intervals = model::tabulate_intervals(spec, from_s, to_s);
    load_.assign(slots, std::vector<double>(n_classes, 0.0));
    rate_.assign(slots, std::vector<double>(n_classes, 0.0));
    std::vector<std::vector<double>> week_load(slots, std::vector<double>(n_classes, 0.0)), week_rate = week_load;
    std::vector<double> week_seconds(slots, 0.0), seconds(slots, 0.0);
    int current_week = intervals.empty() ? 0 : intervals.front().week;
    const auto close_week = [&] {
        for (std::size_t s = 0; s < slots; ++s) {
            if (week_seconds[s] <= 0) continue;
            for (std::size_t k = 0; k < n_classes; ++k) {
                const double l = week_load[s][k] / week_seconds[s], r = week_rate[s][k] / week_seconds[s];
                if (worst_week) {
                    load_[s][k] = std::max(load_[s][k], l);
                    rate_[s][k] = std::max(rate_[s][k], r);
                } else {
                    load_[s][k] += week_load[s][k];
                    rate_[s][k] += week_rate[s][k];
                }
            }
            seconds[s] += week_seconds[s];
            week_seconds[s] = 0;
            for (std::size_t k = 0; k < n_classes; ++k) week_load[s][k] = week_rate[s][k] = 0;
        }
    };
    std::vector<double> m(n_classes, -1.0);
    double backlog_work = 0, window_s = 0;
    for (const model::IntervalLoad& in : intervals) {
        for (const double w : in.backlog_work_per_s) backlog_work += w * (in.end_s - in.start_s);
        window_s += in.end_s - in.start_s;
        if (in.week != current_week) {
            close_week();
            current_week = in.week;
        }
        const std::size_t s = slot_of(spec, in.start_s);
        const double d = in.end_s - in.start_s;
        week_seconds[s] += d;
        for (std::size_t k = 0; k < n_classes; ++k) {
            double lambda = 0;
            for (const double a : in.arrivals_per_s[k]) lambda += a;
            const double work = in.base_work_s[k];
            const double stationary = lambda * work;
            if (m[k] < 0) m[k] = stationary;
            // Mean of m over the interval, then m at its end.
            const double decay = work > 0 ? std::exp(-d / work) : 0.0;
            const double mean = work > 0 ? stationary + (m[k] - stationary) * work / d * (1 - decay) : 0.0;
            m[k] = stationary + (m[k] - stationary) * decay;
            week_load[s][k] += mean * d;
            week_rate[s][k] += lambda * model::seconds_per_hour * d;
        }
    }
    close_week();
    backlog_people_ = window_s > 0 ? backlog_work / window_s : 0.0;
    if (!worst_week)
        for (std::size_t s = 0; s < slots; ++s)
            if (seconds[s] > 0)
                for (std::size_t k = 0; k < n_classes; ++k) {
                    load_[s][k] /= seconds[s];
                    rate_[s][k] /= seconds[s];
                }

    // Coverage: each decision line alone at one person, and the lines that are not decisions as
    // rostered. A person of group g counts towards a set of classes by how fast they work on the
    // set's classes they take, weighted by load (an officer 30% slower at 101 counts 1/1.3).
    const std::size_t n_lines = spec.shifts.size() + spec.staffing->candidates.size();
    std::vector<bool> is_decision(n_lines, false);
    for (const model::StaffingDecision& d : spec.staffing->decisions) is_decision[d.line] = true;
    const auto line = [&](std::size_t i) -> const ShiftSpec& {
        return i < spec.shifts.size() ? spec.shifts[i] : spec.staffing->candidates[i - spec.shifts.size()];
    };
    const auto rows_of = [&](const std::vector<std::vector<std::vector<double>>>& staffed) {
        std::vector<double> cover(rows(), 0.0);
        for (std::size_t s = 0; s < slots; ++s)
            for (std::size_t set = 0; set < sets_.size(); ++set) {
                double people = 0;
                for (std::size_t g = 0; g < spec.groups.size(); ++g) {
                    double load = 0, weighted = 0, plain = 0;
                    int taken = 0;
                    for (std::size_t k = 0; k < n_classes; ++k) {
                        if (!sets_[set][k] || !spec.groups[g].takes[k]) continue;
                        load += load_[s][k];
                        weighted += load_[s][k] * work_ratio(spec, k, g);
                        plain += work_ratio(spec, k, g);
                        ++taken;
                    }
                    if (taken == 0) continue;
                    const double efficiency = weighted > 0 ? load / weighted : taken / plain;
                    for (std::size_t r = 0; r < spec.rooms.size(); ++r) people += staffed[s][r][g] * efficiency;
                }
                cover[row(s, set)] = people;
            }
        return cover;
    };
    ScenarioSpec alone = spec;
    for (const model::StaffingDecision& d : spec.staffing->decisions) {
        alone.shifts = {line(d.line)};
        alone.shifts.front().headcount = 1;
        coverage_.push_back(rows_of(staffed_by_slot(alone, from_s, to_s)));
    }
    alone.shifts.clear();
    for (std::size_t i = 0; i < spec.shifts.size(); ++i)
        if (!is_decision[i]) alone.shifts.push_back(spec.shifts[i]);
    fixed_ = rows_of(staffed_by_slot(alone, from_s, to_s));
}

std::vector<double> StaffingRequirements::erlang_requirements() const {
    std::vector<double> out(rows(), 0.0);
    const std::size_t n_classes = spec_.classes.size();
    for (std::size_t s = 0; s < slots; ++s)
        for (std::size_t set = 0; set < sets_.size(); ++set) {
            double lambda_per_hour = 0, load = 0, abandon_rate = 0;
            bool has_target = false;
            for (std::size_t k = 0; k < n_classes; ++k) {
                if (!sets_[set][k]) continue;
                lambda_per_hour += rate_[s][k];
                load += load_[s][k];
                abandon_rate += rate_[s][k] / patience_mean(spec_.classes[k]);
                has_target = has_target || !spec_.classes[k].targets.empty();
            }
            if (lambda_per_hour <= 0 || load <= 0 || !has_target) continue;
            analytic::ErlangDemand demand;
            demand.arrivals_per_hour = lambda_per_hour;
            demand.handle_mean_s = load / lambda_per_hour * model::seconds_per_hour;
            demand.patience_mean_s = abandon_rate > 0 ? lambda_per_hour / abandon_rate : infinite_patience;
            const auto meets = [&](const analytic::ErlangQueue& q) {
                for (std::size_t k = 0; k < n_classes; ++k) {
                    if (!sets_[set][k]) continue;
                    const model::ClassSpec& c = spec_.classes[k];
                    const double connection = c.connection.mean();
                    const double p_abandon = std::min(1.0, q.mean_wait_s() / patience_mean(c));
                    const model::ErlangWaits waits{[&](double wait_s) { return q.service_level(wait_s); },
                                                   q.mean_wait_s() / std::max(1e-9, 1 - p_abandon) + connection,
                                                   p_abandon, connection};
                    for (const TargetSpec& t : c.targets)
                        if (!model::meets(t.metric, model::target_metric(t.metric).erlang_figure(waits, t), t.goal))
                            return false;
                }
                return true;
            };
            const bool erlang_c = !std::isfinite(demand.patience_mean_s);
            int n = std::max(1, static_cast<int>(std::floor(load)) + (erlang_c ? 1 : 0));
            const int most = static_cast<int>(std::ceil(4 * load)) + 100;
            for (; n < most; ++n)
                if (meets(analytic::ErlangQueue(demand, n))) break;
            // Abandoned-call call-backs: each class's calls abandoning at n (Erlang A's estimate, as
            // its targets are judged above) bring their call-back work, done by the same people.
            const analytic::ErlangQueue at_n(demand, n);
            double callback_people = 0;
            for (std::size_t k = 0; k < n_classes; ++k)
                if (sets_[set][k] && callback_busy_s_[k] > 0)
                    callback_people += rate_[s][k] / model::seconds_per_hour *
                                       std::min(1.0, at_n.mean_wait_s() / patience_mean(spec_.classes[k])) *
                                       callback_busy_s_[k];
            out[row(s, set)] = n + callback_people;
        }
    add_backlog_people(out);
    return out;
}

void StaffingRequirements::add_backlog_people(std::vector<double>& requirements) const {
    if (backlog_people_ <= 0) return;
    for (std::size_t s = 0; s < slots; ++s) requirements[row(s, all_classes())] += backlog_people_;
}

std::vector<double> StaffingRequirements::fluid_requirements() const {
    std::vector<double> out(rows(), 0.0);
    for (std::size_t s = 0; s < slots; ++s)
        for (std::size_t set = 0; set < sets_.size(); ++set) {
            double need = 0;
            for (std::size_t k = 0; k < spec_.classes.size(); ++k) {
                if (!sets_[set][k]) continue;
                const model::ClassSpec& c = spec_.classes[k];
                double share = 0;  // of the class's calls that must be answered
                for (const TargetSpec& t : c.targets)
                    share = std::max(share, model::target_metric(t.metric).answered_share(t, c.patience.has_value()));
                if (!c.patience && !c.targets.empty()) share = 1;  // nobody abandons: every call is answered
                // The rest may abandon; with abandoned-call call-backs each brings its call-back's
                // work instead, unless answering it would cost less.
                const double abandoned_work =
                    std::min(load_[s][k], rate_[s][k] / model::seconds_per_hour * callback_busy_s_[k]);
                need += share * load_[s][k] + (1 - share) * abandoned_work;
            }
            out[row(s, set)] = need;
        }
    add_backlog_people(out);
    return out;
}

double StaffingRequirements::covered(const std::vector<int>& headcounts, std::size_t row) const {
    double people = fixed_[row];
    for (std::size_t d = 0; d < coverage_.size() && d < headcounts.size(); ++d)
        people += coverage_[d][row] * headcounts[d];
    return people;
}

std::size_t StaffingRequirements::all_classes() const {
    for (std::size_t k = 0; k < sets_.size(); ++k)
        if (std::all_of(sets_[k].begin(), sets_[k].end(), [](bool in) { return in; })) return k;
    return sets_.size() - 1;
}

CoveringProgram StaffingRequirements::program(const std::vector<double>& requirements,
                                              const std::vector<double>& cost_per_head) const {
    CoveringProgram p;
    p.requirements.assign(rows(), 0.0);
    const auto& decisions = spec_.staffing->decisions;
    for (std::size_t d = 0; d < decisions.size(); ++d) {
        CoveringColumn c;
        c.cost = cost_per_head[d];
        c.lower = decisions[d].min;
        c.upper = decisions[d].max;
        for (std::size_t i = 0; i < rows(); ++i)
            if (coverage_[d][i] > 1e-9) {
                c.rows.push_back(i);
                c.coefficients.push_back(coverage_[d][i]);
            }
        p.columns.push_back(std::move(c));
    }
    for (std::size_t i = 0; i < rows(); ++i) {
        double reachable = fixed_[i];
        for (std::size_t d = 0; d < decisions.size(); ++d) reachable += coverage_[d][i] * decisions[d].max;
        // A little below what the lines at their maximum reach, so that rounding never makes
        // the program infeasible; the simulation judges the outcome anyway.
        p.requirements[i] = std::min(requirements[i], reachable - 1e-6) - fixed_[i];
    }
    return p;
}

}  // namespace crsim::staffing
