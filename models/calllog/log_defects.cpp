#include "crsim/calllog/log_defects.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

namespace crsim::calllog {

std::vector<std::int64_t> find_missing_days(const CallLog& log, std::int64_t first_day, std::int64_t last_day) {
    std::vector<std::int64_t> missing;
    if (last_day < first_day) return missing;
    std::vector<double> calls(static_cast<std::size_t>(last_day - first_day + 1), 0.0);
    for (const CallRecord& c : log.calls) {
        const std::int64_t d = day_number(c.arrival_s);
        if (d >= first_day && d <= last_day) calls[static_cast<std::size_t>(d - first_day)] += 1;
    }
    // The sums over the days like a missing one, taken once (a missing day adds nothing to them, so
    // leaving it out changes only the count of all days): linear in the period, which a fit may
    // stretch to 115,740 days, where summing afresh for each missing day took minutes.
    std::array<double, 7> same_sum{}, same_n{};
    double all_sum = 0;
    for (std::size_t e = 0; e < calls.size(); ++e) {
        all_sum += calls[e];
        if (calls[e] > 0) {
            same_sum[e % 7] += calls[e];
            same_n[e % 7] += 1;
        }
    }
    const double all_n = static_cast<double>(calls.size() - 1);
    for (std::size_t d = 0; d < calls.size(); ++d) {
        if (calls[d] > 0) continue;
        // The mean of the days like it: the same weekday, else any other day.
        const std::size_t w = d % 7;
        const double expected = same_n[w] > 0 ? same_sum[w] / same_n[w] : all_n > 0 ? all_sum / all_n : 0;
        if (expected >= missing_day_expected_calls) missing.push_back(first_day + static_cast<std::int64_t>(d));
    }
    return missing;
}

std::string missing_days_warning(const std::vector<std::int64_t>& days, const std::string& what) {
    std::string list;
    for (std::int64_t d : days) list += (list.empty() ? "" : ", ") + format_date(d);
    return std::to_string(days.size()) +
           " day(s) of the period have no call at all while days like them have many: missing from the log, left "
           "out of " +
           what + " (" + list + ")";
}

std::vector<PlaceholderAgent> find_placeholder_agents(const CallLog& log, const std::vector<std::string>& not_agents) {
    struct Span {
        double start, end;
    };
    std::vector<std::vector<Span>> spans(log.agents.size());
    for (const CallRecord& c : log.calls)
        if (c.agent >= 0 && c.outcome == Outcome::answered) {
            const double start = c.arrival_s + c.wait_s;
            spans[static_cast<std::size_t>(c.agent)].push_back({start, start + c.handle_s + std::max(0.0, c.wrap_s)});
        }
    std::vector<PlaceholderAgent> found, by_rule;
    std::size_t with_calls = 0;
    for (std::size_t a = 0; a < log.agents.size(); ++a) {
        const auto agent = static_cast<std::int32_t>(a);
        std::vector<Span>& s = spans[a];
        with_calls += !s.empty();
        if (std::find(not_agents.begin(), not_agents.end(), log.agents[a]) != not_agents.end()) {
            found.push_back({agent, "named by --not-an-agent"});
            continue;
        }
        if (s.size() < 2) continue;
        std::sort(s.begin(), s.end(), [](const Span& x, const Span& y) { return x.start < y.start; });
        // Calls answered while one of the agent's calls is still in progress (a second of slack for
        // rounding in the log).
        std::size_t overlapping = 0;
        double busy_until = s.front().end;
        for (std::size_t i = 1; i < s.size(); ++i) {
            if (s[i].start < busy_until - 1) ++overlapping;
            busy_until = std::max(busy_until, s[i].end);
        }
        // Each day's stretch, first answer to last end.
        std::map<std::int64_t, std::array<double, 4>> days;  // day -> first, last end, calls, busy
        for (const Span& x : s) {
            auto [it, added] = days.try_emplace(day_number(x.start), std::array<double, 4>{x.start, x.end, 0, 0});
            it->second[0] = std::min(it->second[0], x.start);
            it->second[1] = std::max(it->second[1], x.end);
            it->second[2] += 1;
            it->second[3] += x.end - x.start;
        }
        std::vector<double> lengths;
        double span_total = 0, busy_total = 0;
        for (const auto& [day, d] : days)
            if (d[2] >= 2) {
                lengths.push_back(d[1] - d[0]);
                span_total += d[1] - d[0];
                busy_total += d[3];
            }
        double median = 0;
        if (!lengths.empty()) {
            std::nth_element(lengths.begin(), lengths.begin() + static_cast<std::ptrdiff_t>(lengths.size() / 2),
                             lengths.end());
            median = lengths[lengths.size() / 2];
        }
        const double overlap_share = static_cast<double>(overlapping) / static_cast<double>(s.size());
        char text[200];
        if (median > placeholder_median_day_s && busy_total < placeholder_busy_share * span_total) {
            std::snprintf(text, sizeof text,
                          "answers calls over %.1f hours on a median day (longer than a shift of %g), busy %.1f%% of "
                          "them",
                          median / 3600, placeholder_median_day_s / 3600, 100 * busy_total / span_total);
            by_rule.push_back({agent, text});
        } else if (overlap_share > placeholder_overlap_share) {
            std::snprintf(text, sizeof text, "answers %.0f%% of their calls while another of them is in progress",
                          100 * overlap_share);
            by_rule.push_back({agent, text});
        }
    }
    if (by_rule.size() + found.size() < with_calls) found.insert(found.end(), by_rule.begin(), by_rule.end());
    std::sort(found.begin(), found.end(),
              [](const PlaceholderAgent& x, const PlaceholderAgent& y) { return x.agent < y.agent; });
    return found;
}

}  // namespace crsim::calllog
