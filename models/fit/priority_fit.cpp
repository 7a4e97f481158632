#include "crsim/fit/priority_fit.hpp"

#include <algorithm>
#include <cmath>

#include "crsim/fit/staffing_estimate.hpp"

namespace crsim::fit {

namespace {

/// For each pair of values (answered, still waiting), how much later the answered call arrived
/// than the waiting one, over every such pair seen, ascending.
using PairDiffs = std::vector<std::vector<std::vector<double>>>;

std::uint64_t in_order(const PairDiffs& diffs, const std::vector<double>& credit) {
    std::uint64_t n = 0;
    for (std::size_t a = 0; a < diffs.size(); ++a)
        for (std::size_t w = 0; w < diffs[a].size(); ++w) {
            const std::vector<double>& d = diffs[a][w];
            n += static_cast<std::uint64_t>(std::upper_bound(d.begin(), d.end(), credit[a] - credit[w]) - d.begin());
        }
    return n;
}

}  // namespace

PriorityFit fit_priorities(const calllog::CallLog& log, std::int64_t first_day, std::int64_t last_day,
                           const std::vector<bool>& agent_is_person) {
    PriorityFit fit;
    if (!log.has_priority) return fit;
    std::vector<const calllog::CallRecord*> waited;
    for (const calllog::CallRecord& c : log.calls) {
        const std::int64_t d = calllog::day_number(c.arrival_s);
        if (c.wait_s > 0 && c.priority >= 0 && d >= first_day && d <= last_day) waited.push_back(&c);
    }
    const std::size_t values = log.priorities.size();
    std::vector<std::uint64_t> count(values, 0);
    for (const calllog::CallRecord* c : waited) ++count[static_cast<std::size_t>(c->priority)];
    std::vector<std::uint32_t> index(values, 0);  // log value -> value among waiting calls
    for (std::size_t v = 0; v < values; ++v)
        if (count[v] > 0) {
            index[v] = static_cast<std::uint32_t>(fit.values.size());
            fit.values.push_back(log.priorities[v]);
            fit.waited.push_back(count[v]);
        }
    if (fit.values.size() < 2) {
        fit.values.clear();
        fit.waited.clear();
        return fit;
    }
    // The classes each agent takes.
    std::vector<std::vector<double>> mix(log.agents.size(), std::vector<double>(log.classes.size(), 0.0));
    for (const calllog::CallRecord& c : log.calls)
        if (c.outcome == calllog::Outcome::answered && c.agent >= 0) mix[static_cast<std::size_t>(c.agent)][c.cls] += 1;
    std::vector<std::vector<bool>> takes(log.agents.size());
    for (std::size_t a = 0; a < mix.size(); ++a) {
        double total = 0;
        for (double n : mix[a]) total += n;
        for (double n : mix[a]) takes[a].push_back(n >= skill_share * total && n > 0);
    }
    std::sort(waited.begin(), waited.end(),
              [](const calllog::CallRecord* a, const calllog::CallRecord* b) { return a->arrival_s < b->arrival_s; });
    double longest = 0;
    for (const calllog::CallRecord* c : waited) longest = std::max(longest, c->wait_s);
    PairDiffs pairs(fit.values.size(), std::vector<std::vector<double>>(fit.values.size()));
    for (std::size_t i = 0; i < waited.size(); ++i) {
        const calllog::CallRecord& c = *waited[i];
        if (c.outcome != calllog::Outcome::answered || c.agent < 0) continue;
        const auto agent = static_cast<std::size_t>(c.agent);
        if (agent < agent_is_person.size() && !agent_is_person[agent]) continue;
        const double answered_at = c.arrival_s + c.wait_s;
        // Calls that arrived before the answer (and after the longest wait before it) and still wait.
        const auto from = std::lower_bound(waited.begin(), waited.end(), answered_at - longest,
                                           [](const calllog::CallRecord* w, double t) { return w->arrival_s < t; });
        for (auto it = from; it != waited.end() && (*it)->arrival_s < answered_at; ++it) {
            const calllog::CallRecord& d = **it;
            if (&d == &c || d.arrival_s + d.wait_s <= answered_at || !takes[agent][d.cls]) continue;
            const std::uint32_t pc = index[static_cast<std::size_t>(c.priority)];
            const std::uint32_t pd = index[static_cast<std::size_t>(d.priority)];
            if (pc != pd) {
                pairs[pc][pd].push_back(c.arrival_s - d.arrival_s);
                ++fit.pairs;
            }
        }
    }
    for (auto& row : pairs)
        for (std::vector<double>& d : row) std::sort(d.begin(), d.end());
    std::vector<double> credit(fit.values.size(), 0.0);
    fit.in_order_fcfs = in_order(pairs, credit);
    const auto base =
        static_cast<std::size_t>(std::max_element(fit.waited.begin(), fit.waited.end()) - fit.waited.begin());
    std::uint64_t best = fit.in_order_fcfs;
    for (int sweep = 0; sweep < 3; ++sweep)
        for (std::size_t v = 0; v < credit.size(); ++v) {
            if (v == base) continue;
            double best_credit = credit[v];
            for (double h = -head_start_range_s; h <= head_start_range_s; h += head_start_step_s) {
                credit[v] = h;
                const std::uint64_t n = in_order(pairs, credit);
                // Ties keep the credit nearest the base's: no head start without evidence for it.
                if (n > best || (n == best && std::abs(h) < std::abs(best_credit))) {
                    best = n;
                    best_credit = h;
                }
            }
            credit[v] = best_credit;
        }
    fit.in_order_fitted = best;
    if (best <= fit.in_order_fcfs) {
        fit.values.clear();
        fit.waited.clear();
        return fit;
    }
    const double lowest = *std::min_element(credit.begin(), credit.end());
    for (double& h : credit) h -= lowest;
    fit.credit_s = credit;
    // Each class's mean credit over its calls that waited.
    std::vector<double> sum(log.classes.size(), 0.0), n(log.classes.size(), 0.0);
    for (const calllog::CallRecord* c : waited) {
        sum[c->cls] += credit[index[static_cast<std::size_t>(c->priority)]];
        n[c->cls] += 1;
    }
    for (std::size_t k = 0; k < sum.size(); ++k) fit.class_head_start_s.push_back(n[k] > 0 ? sum[k] / n[k] : 0.0);
    return fit;
}

}  // namespace crsim::fit
