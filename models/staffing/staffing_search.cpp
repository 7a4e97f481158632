#include "crsim/staffing/staffing_search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>

#include "crsim/model/number_text.hpp"
#include "crsim/model/roster_calendar.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"
#include "crsim/model/verdict.hpp"
#include "crsim/model/workforce.hpp"
#include "crsim/sim/replication_runner.hpp"
#include "crsim/staffing/covering_program.hpp"
#include "crsim/staffing/sequential_screen.hpp"
#include "staffing_requirements.hpp"

namespace crsim::staffing {

namespace {

using model::ScenarioSpec;
using model::ShiftSpec;
using model::TargetSpec;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

const ShiftSpec& line_at(const ScenarioSpec& spec, std::size_t line) {
    return line < spec.shifts.size() ? spec.shifts[line] : spec.staffing->candidates[line - spec.shifts.size()];
}

bool is_minimum(TargetSpec::Metric m) { return model::target_metric(m).minimum; }

/// A seed for verification round r, never the search's own: SplitMix64 of (seed, r).
std::uint64_t verification_seed(std::uint64_t seed, int round) {
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(round + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return z == seed ? z + 1 : z;
}

/// What the search keeps of an evaluation: the judgement and the per-hour figures of each class.
struct Evaluation {
    Judgement judgement;
    std::vector<std::vector<model::CallFigures<model::Figure>>> hours;  // [class][hour of week]
};

std::string money(double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f", x);
    return text;
}

class Search {
public:
    Search(const ScenarioSpec& spec, const StaffingOptions& options)
        : spec_(spec),
          options_(options),
          decisions_(spec.staffing->decisions),
          calendar_(spec),
          start_(std::chrono::steady_clock::now()) {
        for (std::size_t d = 0; d < decisions_.size(); ++d) cost_per_head_.push_back(line_cost(d, 1));
    }

    StaffingResult run();

private:
    void say(const std::string& stage, const std::string& what) {
        if (!options_.progress) return;
        char head[128];
        std::snprintf(head, sizeof head,
                      "staff: %-9s %4zu evaluations (%zu stopped early, %zu implied), %5zu replications, %6.1f s: ",
                      stage.c_str(), evaluations_ + screened_, screened_, dominated_, replications_, elapsed());
        std::string line(head);
        line.append(what);
        options_.progress(line);
    }
    double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
    /// The rostered cost of decision line d with `headcount` people in the window.
    double line_cost(std::size_t d, int headcount) const {
        return calendar_
            .rostered_cost(line_at(spec_, decisions_[d].line), headcount, options_.window_from_s, options_.window_to_s)
            .total;
    }
    /// The rostered cost of the decision lines at x, the quantity the search minimises.
    double cost_of(const std::vector<int>& x) const {
        double cost = 0;
        for (std::size_t d = 0; d < x.size(); ++d) cost += line_cost(d, x[d]);
        return cost;
    }
    /// The rostered cost of the whole roster with the decision lines at x, summed as `crsim run`
    /// sums it for the scenario apply_headcounts() gives (staffed.yaml).
    double roster_cost(const std::vector<int>& x) const {
        const ScenarioSpec staffed = apply_headcounts(spec_, x);
        return model::RosterCalendar(staffed).rostered_cost(options_.window_from_s, options_.window_to_s).total;
    }
    using Key = std::tuple<std::vector<int>, std::uint64_t, std::size_t>;
    /// The scenario simulated for headcounts x: the window's calls counted, the run ending with it.
    ScenarioSpec variant_of(const std::vector<int>& x) const;
    /// Replications [0, count) of x on seed: those run before kept, the rest run now.
    std::vector<model::ReplicationResult>& replications_of(const Key& key, std::size_t count);
    const Evaluation& evaluate(const std::vector<int>& x, std::uint64_t seed, std::size_t n);
    bool passes(const std::vector<int>& x, std::uint64_t seed, std::size_t n);
    Judgement judge(const model::Summary& summary, std::uint64_t seed, std::size_t n) const;
    std::vector<int> solve(const CoveringProgram& program, const char* what);
    std::vector<int> iterate(const StaffingRequirements& req, std::vector<double> requirements, std::vector<int> x);
    std::vector<int> polish(std::vector<int> x, const StaffingRequirements& req, std::uint64_t seed, std::size_t n);
    std::vector<int> repair(std::vector<int> x, std::uint64_t seed, std::size_t n);
    std::string failing(const Judgement& j) const;

    const ScenarioSpec& spec_;
    const StaffingOptions& options_;
    const std::vector<model::StaffingDecision>& decisions_;
    model::RosterCalendar calendar_;
    std::vector<double> cost_per_head_;
    std::map<Key, Evaluation> cache_;
    // Replications of questions stopped early, kept so that finishing one later runs only the rest.
    std::map<Key, std::vector<model::ReplicationResult>> started_;
    std::set<Key> clearly_failing_;
    std::size_t evaluations_ = 0;  // run to the end
    std::size_t screened_ = 0;     // stopped early: clearly failing
    std::size_t dominated_ = 0;    // not run: fewer people than a roster that failed
    std::map<std::pair<std::uint64_t, std::size_t>, std::vector<std::vector<int>>> failed_;  // per (seed, n)
    std::size_t replications_ = 0;
    double best_cost_ = nan;
    std::chrono::steady_clock::time_point start_;
};

ScenarioSpec Search::variant_of(const std::vector<int>& x) const {
    ScenarioSpec variant = apply_headcounts(spec_, x);
    // The window: calls before it are simulated (a warmed-up system) but not counted, and the run
    // stops once its last calls are followed to the end.
    variant.warmup_s = options_.window_from_s;
    variant.horizon_s = options_.window_to_s;
    return variant;
}

std::vector<model::ReplicationResult>& Search::replications_of(const Key& key, std::size_t count) {
    std::vector<model::ReplicationResult>& results = started_[key];
    const std::size_t from = results.size();
    if (from >= count) return results;
    const ScenarioSpec variant = variant_of(std::get<0>(key));
    const std::uint64_t seed = std::get<1>(key);
    // Replication r is the same whichever stage runs it, so a question finished in stages gets the
    // figures it would have got in one go.
    std::vector<model::ReplicationResult> more = sim::run_replications(
        count - from, options_.threads, [&](std::size_t r) { return model::run_replication(variant, seed, from + r); });
    replications_ += more.size();
    std::move(more.begin(), more.end(), std::back_inserter(results));
    return results;
}

const Evaluation& Search::evaluate(const std::vector<int>& x, std::uint64_t seed, std::size_t n) {
    const Key key{x, seed, n};
    if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
    const std::vector<model::ReplicationResult>& results = replications_of(key, n);
    const model::Summary summary = model::summarise(variant_of(x), results, seed);
    ++evaluations_;
    Evaluation e;
    e.judgement = judge(summary, seed, n);
    e.hours = summary.hours_of_week.classes;
    started_.erase(key);
    return cache_.emplace(key, std::move(e)).first->second;
}

/// Whether x meets every target on (seed, n), for the steps that need only that answer: the
/// replications run in stages (sequential_screen.hpp), and a candidate that clearly fails after a
/// stage is answered "no" there. A "yes" is always the judgement on all n replications.
bool Search::passes(const std::vector<int>& x, std::uint64_t seed, std::size_t n) {
    const Key key{x, seed, n};
    if (const auto it = cache_.find(key); it != cache_.end()) return it->second.judgement.passes;
    if (clearly_failing_.count(key)) return false;
    // No more people on any line than a roster that failed on the same replications: taken to fail
    // too, as one person fewer under common random numbers makes no figure better but by chance
    // (the check of each removal on all the replications, at the end of a round, does not rely on it).
    std::vector<std::vector<int>>& failed = failed_[{seed, n}];
    const auto within = [&](const std::vector<int>& f) {
        for (std::size_t d = 0; d < x.size(); ++d)
            if (x[d] > f[d]) return false;
        return true;
    };
    if (std::any_of(failed.begin(), failed.end(), within)) {
        ++dominated_;
        return false;
    }
    for (const std::size_t k : screening_looks(n)) {
        const std::vector<model::ReplicationResult>& results = replications_of(key, k);
        const model::Summary summary = model::summarise(variant_of(x), results, seed);
        if (some_clearly_fails(judge(summary, seed, k).targets, k, n, spec_.staffing->confidence)) {
            clearly_failing_.insert(key);
            failed.push_back(x);
            ++screened_;
            return false;
        }
    }
    const bool ok = evaluate(x, seed, n).judgement.passes;
    if (!ok) failed.push_back(x);
    return ok;
}

Judgement Search::judge(const model::Summary& summary, std::uint64_t seed, std::size_t n) const {
    Judgement j;
    j.seed = seed;
    j.replications = n;
    j.targets = model::judge_targets(spec_, summary, criterion(spec_));
    j.passes = model::all_clear(j.targets);
    return j;
}

std::string Search::failing(const Judgement& j) const {
    std::string text;
    for (const TargetCheck& c : j.targets) {
        if (c.clears) continue;
        char line[160];
        const model::TargetResult& t = c.target;
        std::string name = t.class_name + " " + model::measure_label(t);
        if (c.week > 0) name.append(" week ").append(std::to_string(c.week));
        if (c.bucket > 0)
            name.append(" by ").append(model::target_period(t.by).name).append(" ").append(model::judged_on(c));
        std::snprintf(line, sizeof line, "%s%s %.4g (bound %.4g, goal %.4g)", text.empty() ? "" : "; ", name.c_str(),
                      t.value.mean, c.bound, t.goal);
        text += line;
    }
    return text.empty() ? "every target met" : text;
}

std::vector<int> Search::solve(const CoveringProgram& program, const char* what) {
    const CoveringSolution s = solve_covering(program);
    if (s.headcounts.empty())
        throw std::runtime_error(std::string("the covering program (") + what +
                                 ") has no solution: " + to_string(s.status));
    return s.headcounts;
}

/// Per class and hour of the week, how far the hour's simulated figures miss each target `pick`
/// selects (> 0: missed; < 0: met with room), as a share of the goal; -infinity where undefined.
std::vector<std::vector<double>> hourly_misses(const ScenarioSpec& spec, const Evaluation& e,
                                               const std::function<bool(const TargetCheck&)>& pick) {
    std::vector<std::vector<double>> out(
        spec.classes.size(),
        std::vector<double>(StaffingRequirements::slots, -std::numeric_limits<double>::infinity()));
    for (const TargetCheck& c : e.judgement.targets) {
        if (c.target.backlog || !pick(c)) continue;  // a backlog is judged over the whole run only
        const std::size_t k = c.target.class_index;
        const model::ClassSpec& cls = spec.classes[k];
        for (std::size_t s = 0; s < StaffingRequirements::slots; ++s) {
            // A metric not measured per hour leaves every hour undefined: the repair step serves it.
            const model::Figure* f =
                model::target_metric(c.target.metric).period_figure(e.hours[k][s], cls.thresholds_s, c.target);
            const double value = f ? f->mean : nan;
            if (std::isnan(value)) continue;
            const double goal = c.target.goal;
            const double miss = is_minimum(c.target.metric) ? (goal - value) / std::max(goal, 1e-9)
                                                            : (value - goal) / std::max(goal, 1e-9);
            out[k][s] = std::max(out[k][s], miss);
        }
    }
    return out;
}

}  // namespace

/// Simulation-corrected requirements (iterative staffing). While the roster misses some target
/// overall, the hours of the week in which the class's own figures miss it get one more person in
/// every row that holds the class, and the covering program is solved again. Once it meets every
/// target, the hours in which every class of a row meets all its targets give one person back,
/// for as long as the cheaper solution still meets them.
std::vector<int> Search::iterate(const StaffingRequirements& req, std::vector<double> requirements,
                                 std::vector<int> x) {
    const auto& sets = req.class_sets();
    std::optional<std::vector<int>> best;
    for (int iteration = 1; iteration <= options_.max_isa_iterations; ++iteration) {
        const Evaluation& e = evaluate(x, options_.seed, options_.replications);
        const double cost = cost_of(x);
        say("isa " + std::to_string(iteration), "cost " + money(cost) + ": " + failing(e.judgement));
        if (best && !e.judgement.passes) break;  // a step down went too far
        std::vector<double> next = requirements;
        if (e.judgement.passes) {
            best = x;
            best_cost_ = cost;
            const auto misses = hourly_misses(spec_, e, [](const TargetCheck&) { return true; });
            for (std::size_t s = 0; s < StaffingRequirements::slots; ++s)
                for (std::size_t set = 0; set < sets.size(); ++set) {
                    bool all_met = true;
                    for (std::size_t k = 0; k < spec_.classes.size(); ++k)
                        if (sets[set][k] && misses[k][s] > -0.01) all_met = false;  // met with under 1% to spare
                    double& r = next[req.row(s, set)];
                    if (all_met && r >= 1) r -= 1;
                }
        } else {
            const auto misses = hourly_misses(spec_, e, [](const TargetCheck& c) { return !c.clears; });
            for (std::size_t k = 0; k < spec_.classes.size(); ++k) {
                std::vector<std::size_t> hours;
                for (std::size_t s = 0; s < StaffingRequirements::slots; ++s)
                    if (misses[k][s] > 0) hours.push_back(s);
                if (hours.empty()) {
                    // Every hour meets the goal on average, but not with confidence overall: the
                    // worst tenth of the hours get the extra person.
                    std::vector<std::size_t> order(StaffingRequirements::slots);
                    std::iota(order.begin(), order.end(), 0);
                    std::sort(order.begin(), order.end(),
                              [&](std::size_t a, std::size_t b) { return misses[k][a] > misses[k][b]; });
                    for (std::size_t i = 0; i < StaffingRequirements::slots / 10; ++i)
                        if (std::isfinite(misses[k][order[i]])) hours.push_back(order[i]);
                }
                for (const std::size_t s : hours)
                    for (std::size_t set = 0; set < sets.size(); ++set)
                        if (sets[set][k] && req.rate(s, k) > 0) next[req.row(s, set)] += 1;
            }
        }
        if (next == requirements) break;
        requirements = std::move(next);
        std::vector<int> y = solve(req.program(requirements, cost_per_head_), "corrected requirements");
        if (best && (y == x || cost_of(y) >= cost)) break;
        x = std::move(y);
    }
    if (best) return *best;
    // The corrections ran out: add people where they help most.
    return repair(x, options_.seed, options_.replications);
}

/// One more person at a time, on the line whose extra person closes most of the failing targets'
/// shortfall per unit of cost, until every target is met on (seed, n).
std::vector<int> Search::repair(std::vector<int> x, std::uint64_t seed, std::size_t n) {
    // Each failing check's relative miss (verdict.hpp); a target with buckets sums its buckets', so
    // a person where the worst hours are short closes most of it.
    const auto shortfall = [&](const Judgement& j) {
        double total = 0;
        for (const TargetCheck& c : j.targets) total += c.shortfall;
        return total;
    };
    for (int step = 0; step < 500; ++step) {
        const Judgement current = evaluate(x, seed, n).judgement;
        if (current.passes) return x;
        say("repair", "cost " + money(cost_of(x)) + ": " + failing(current));
        const double before = shortfall(current);
        const auto per_cost = [&](std::size_t d) { return 1 / std::max(cost_per_head_[d], 1e-9); };
        // Meeting everything beats any partial improvement, and among the lines whose extra person
        // meets everything the cheapest wins (the first in scenario order among equals): asked
        // cheapest first, the first "yes" is that line, and the dearer ones need not be simulated.
        std::vector<std::size_t> cheapest_first(x.size());
        std::iota(cheapest_first.begin(), cheapest_first.end(), 0);
        std::stable_sort(cheapest_first.begin(), cheapest_first.end(),
                         [&](std::size_t a, std::size_t b) { return per_cost(a) > per_cost(b); });
        std::optional<std::size_t> best;
        for (const std::size_t d : cheapest_first) {
            if (x[d] >= decisions_[d].max) continue;
            std::vector<int> y = x;
            ++y[d];
            if (!passes(y, seed, n)) continue;
            best = d;
            break;
        }
        // None does: the line that closes most of the shortfall per unit of cost, each judged on
        // all the replications.
        if (!best) {
            double best_value = -std::numeric_limits<double>::infinity();
            bool best_passes = false;
            for (std::size_t d = 0; d < x.size(); ++d) {
                if (x[d] >= decisions_[d].max) continue;
                std::vector<int> y = x;
                ++y[d];
                const Judgement& j = evaluate(y, seed, n).judgement;
                const double value = j.passes ? per_cost(d) : (before - shortfall(j)) * per_cost(d);
                if (j.passes > best_passes || (j.passes == best_passes && value > best_value)) {
                    best = d;
                    best_value = value;
                    best_passes = j.passes;
                }
            }
        }
        if (!best) {
            say("repair", "every decision line is at its maximum: the targets cannot be met within the bounds");
            return x;
        }
        ++x[*best];
    }
    return x;
}

/// Removes one person from each line in turn (dearest lines first, one per line per pass) while
/// every target is still met on (seed, n), then moves one person from a line to a cheaper line
/// covering much the same hours, until neither helps.
std::vector<int> Search::polish(std::vector<int> x, const StaffingRequirements& req, std::uint64_t seed,
                                std::size_t n) {
    const auto& coverage = req.coverage();
    std::vector<std::size_t> order(x.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return cost_per_head_[a] > cost_per_head_[b]; });
    // How much of line a's coverage line b gives too.
    const auto overlap = [&](std::size_t a, std::size_t b) {
        double shared = 0, own = 0;
        for (std::size_t i = 0; i < coverage[a].size(); ++i) {
            shared += std::min(coverage[a][i], coverage[b][i]);
            own += coverage[a][i];
        }
        return own > 0 ? shared / own : 0.0;
    };
    for (bool improved = true; improved;) {
        improved = false;
        for (const std::size_t d : order) {
            if (x[d] <= decisions_[d].min) continue;
            std::vector<int> y = x;
            --y[d];
            if (!passes(y, seed, n)) continue;
            x = y;
            improved = true;
            best_cost_ = cost_of(x);
            say("polish", "one fewer on " + line_label(spec_, decisions_[d].line) + ": cost " + money(best_cost_));
        }
        if (improved) continue;
        // Moves: a person from line a to a cheaper line b that covers at least half of a's hours.
        std::vector<std::tuple<double, std::size_t, std::size_t>> moves;
        for (std::size_t a = 0; a < x.size(); ++a)
            for (std::size_t b = 0; b < x.size(); ++b) {
                if (a == b || x[a] <= decisions_[a].min || x[b] >= decisions_[b].max) continue;
                if (cost_per_head_[b] >= cost_per_head_[a] - 1e-9) continue;
                const double o = overlap(a, b);
                if (o < 0.5) continue;
                moves.emplace_back((cost_per_head_[a] - cost_per_head_[b]) * o, a, b);
            }
        std::sort(moves.begin(), moves.end(),
                  [](const auto& l, const auto& r) { return std::get<0>(l) > std::get<0>(r); });
        const std::size_t tries = std::min<std::size_t>(moves.size(), 2 * x.size());
        for (std::size_t i = 0; i < tries && !improved; ++i) {
            const auto [gain, a, b] = moves[i];
            std::vector<int> y = x;
            --y[a];
            ++y[b];
            if (!passes(y, seed, n)) continue;
            x = y;
            improved = true;
            best_cost_ = cost_of(x);
            say("polish", "one moved from " + line_label(spec_, decisions_[a].line) + " to " +
                              line_label(spec_, decisions_[b].line) + ": cost " + money(best_cost_));
        }
    }
    return x;
}

StaffingResult Search::run() {
    StaffingResult result;
    result.cost_per_head = cost_per_head_;
    const StaffingRequirements req(spec_, options_.window_from_s, options_.window_to_s, spec_.staffing->every_week);

    // The fixed lines' cost.
    std::vector<bool> decided(spec_.shifts.size(), false);
    for (const model::StaffingDecision& d : decisions_)
        if (d.line < decided.size()) decided[d.line] = true;
    for (std::size_t i = 0; i < spec_.shifts.size(); ++i)
        if (!decided[i])
            result.fixed_cost += calendar_
                                     .rostered_cost(spec_.shifts[i], spec_.shifts[i].headcount, options_.window_from_s,
                                                    options_.window_to_s)
                                     .total;

    // 1–2. Erlang requirements and the covering program; the fluid bound from the same program.
    const CoveringSolution bound = solve_covering(req.program(req.fluid_requirements(), cost_per_head_));
    result.lower_bound = result.fixed_cost + bound.lower_bound;
    const std::vector<double> requirements = req.erlang_requirements();
    std::vector<int> x = solve(req.program(requirements, cost_per_head_), "Erlang requirements");
    result.analytic_cost = cost_of(x) + result.fixed_cost;
    say("analytic",
        "covering program cost " + money(result.analytic_cost) + ", fluid lower bound " + money(result.lower_bound));

    // 3. Simulation corrects the requirements.
    x = iterate(req, requirements, x);

    // The roster as written, if it is within the bounds, meets every target and costs less, is
    // the better place to polish from.
    std::vector<int> input;
    bool input_within = true;
    for (const model::StaffingDecision& d : decisions_) {
        input.push_back(d.line < spec_.shifts.size() ? spec_.shifts[d.line].headcount : 0);
        input_within = input_within && input.back() >= d.min && input.back() <= d.max;
    }
    result.input_cost = roster_cost(input);
    if (input_within && cost_of(input) < cost_of(x) &&
        evaluate(input, options_.seed, options_.replications).judgement.passes) {
        say("start", "the scenario's own roster costs less and meets every target: polishing from it");
        x = input;
    }

    // 4. Polish on the search's seed.
    x = polish(x, req, options_.seed, options_.replications);

    // 5. Fresh seeds, with more replications. On the first, repair if needed and polish again, so
    // that every single removal fails there; then verify on the next, never used before. If that
    // verification fails, its seed is the evidence: the next round repairs (adds people where that
    // seed's shortfall closes most per unit of cost) and polishes on it, then verifies on a new one.
    const std::size_t nv = options_.verify_replications;
    result.input_judgement = evaluate(input, verification_seed(options_.seed, 0), nv).judgement;
    constexpr int max_rounds = 4;
    std::uint64_t polish_seed = verification_seed(options_.seed, 0);
    for (int round = 0; round < max_rounds; ++round) {
        const std::uint64_t fresh_seed = verification_seed(options_.seed, round + 1);
        if (!evaluate(x, polish_seed, nv).judgement.passes) x = repair(x, polish_seed, nv);
        x = polish(x, req, polish_seed, nv);
        // Every removal judged on all the replications: the polish may have stopped a "no" early,
        // the answer's guarantee (each single removal fails a target) may not.
        for (;;) {
            const std::size_t none = x.size();
            std::size_t passing = none;  // the first line whose removal meets every target
            result.removals.clear();
            result.removals_seed = polish_seed;
            for (std::size_t d = 0; d < x.size(); ++d) {
                if (x[d] <= decisions_[d].min) continue;
                std::vector<int> y = x;
                --y[d];
                Removal removal{d, y[d], {}};
                for (const TargetCheck& c : evaluate(y, polish_seed, nv).judgement.targets)
                    if (!c.clears) removal.fails.push_back(c);
                if (removal.fails.empty() && passing == none) passing = d;
                result.removals.push_back(std::move(removal));
            }
            if (passing == none) break;
            say("polish", "one fewer on " + line_label(spec_, decisions_[passing].line) +
                              " meets every target on all the replications: polishing from there");
            --x[passing];
            x = polish(x, req, polish_seed, nv);
        }
        const Judgement j = evaluate(x, fresh_seed, nv).judgement;
        result.verification = j;
        result.verification_rounds = round + 1;
        say("verify", "fresh seed " + std::to_string(fresh_seed) + ", " + std::to_string(nv) + " replications, cost " +
                          money(cost_of(x) + result.fixed_cost) + ": " + failing(j));
        if (j.passes) break;
        result.failed_verifications.push_back(j);
        polish_seed = fresh_seed;
    }
    result.headcounts = x;
    result.cost = roster_cost(x);
    const model::WindowSpan span{options_.window_from_s, options_.window_to_s};
    result.cost_per_week = span.per_week(result.cost);
    result.cost_per_year = span.per_year(result.cost);
    result.input_cost_per_year = span.per_year(result.input_cost);
    result.input_fte = model::fte_to_employ(spec_, span);
    result.fte = model::fte_to_employ(apply_headcounts(spec_, x), span);
    for (std::size_t slot = 0; slot < StaffingRequirements::slots; ++slot) {
        const std::size_t row = req.row(slot, req.all_classes());
        result.required_by_hour.push_back(requirements[row]);
        result.input_on_duty_by_hour.push_back(req.covered(input, row));
        result.on_duty_by_hour.push_back(req.covered(x, row));
    }
    result.meets_targets = result.verification.passes;
    result.evaluations = evaluations_;
    result.seconds = elapsed();
    return result;
}

std::string line_label(const ScenarioSpec& spec, std::size_t line) {
    if (line >= spec.shifts.size())
        return "staffing.candidates[" +
               std::to_string(spec.staffing->candidate_sources[line - spec.shifts.size()].index) + "]";
    const model::RosterLineSource& src = spec.shift_sources[line];
    return (src.block.empty() ? std::string("roster") : "rosters." + src.block) + "[" + std::to_string(src.index) + "]";
}

ScenarioSpec apply_headcounts(const ScenarioSpec& spec, const std::vector<int>& headcounts) {
    if (!spec.staffing) throw std::invalid_argument("apply_headcounts: the scenario has no staffing block");
    if (headcounts.size() != spec.staffing->decisions.size())
        throw std::invalid_argument("apply_headcounts: one headcount per decision line expected");
    ScenarioSpec out = spec;
    for (std::size_t i = 0; i < spec.staffing->candidates.size(); ++i) {
        out.shifts.push_back(spec.staffing->candidates[i]);
        out.shift_sources.push_back(spec.staffing->candidate_sources[i]);
    }
    for (std::size_t d = 0; d < headcounts.size(); ++d)
        out.shifts[spec.staffing->decisions[d].line].headcount = headcounts[d];
    // Lines at 0 are left out, as staffed.yaml leaves them out.
    std::vector<ShiftSpec> shifts;
    std::vector<model::RosterLineSource> sources;
    for (std::size_t i = 0; i < out.shifts.size(); ++i) {
        if (out.shifts[i].headcount <= 0) continue;
        shifts.push_back(out.shifts[i]);
        if (i < out.shift_sources.size()) sources.push_back(out.shift_sources[i]);
    }
    out.shifts = std::move(shifts);
    out.shift_sources = std::move(sources);
    return out;
}

model::VerdictCriterion criterion(const ScenarioSpec& spec) {
    return {.confidence = spec.staffing->confidence, .two_sided = false, .every_week = spec.staffing->every_week};
}

StaffingResult search_staffing(const ScenarioSpec& spec, const StaffingOptions& options) {
    if (!spec.staffing) throw std::invalid_argument("the scenario has no staffing block: nothing to vary");
    if (!(options.window_to_s > options.window_from_s))
        throw std::invalid_argument("search_staffing: the window is empty");
    if (options.replications < 2 || options.verify_replications < 2)
        throw std::invalid_argument("search_staffing: at least 2 replications are needed for a confidence bound");
    Search search(spec, options);
    return search.run();
}

}  // namespace crsim::staffing
