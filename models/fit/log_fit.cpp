#include "crsim/fit/log_fit.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "crsim/calllog/log_defects.hpp"
#include "crsim/fit/priority_fit.hpp"
#include "crsim/fit/session_gap_choice.hpp"
#include "crsim/fit/skill_groups.hpp"
#include "crsim/fit/staffing_noise_fit.hpp"

namespace crsim::fit {

using calllog::CallLog;
using calllog::CallRecord;
using calllog::Outcome;

std::vector<RosterBlock> roster_from_headcounts(const std::vector<std::vector<int>>& headcount, double interval_s,
                                                std::size_t room, const std::string& group) {
    std::vector<RosterBlock> blocks;
    for (std::size_t day = 0; day < headcount.size(); ++day) {
        const std::vector<int>& h = headcount[day];
        const int top = h.empty() ? 0 : *std::max_element(h.begin(), h.end());
        // Runs of each level, then levels with the same run joined into one line.
        std::map<std::pair<std::size_t, std::size_t>, int> runs;
        for (int level = 1; level <= top; ++level) {
            for (std::size_t i = 0; i < h.size();) {
                if (h[i] < level) {
                    ++i;
                    continue;
                }
                std::size_t j = i;
                while (j < h.size() && h[j] >= level) ++j;
                ++runs[{i, j}];
                i = j;
            }
        }
        for (const auto& [run, people] : runs) {
            RosterBlock b;
            b.room = room;
            b.group = group;
            b.day = static_cast<std::int64_t>(day);
            b.start_s = static_cast<double>(run.first) * interval_s;
            b.length_s = static_cast<double>(run.second - run.first) * interval_s;
            b.headcount = people;
            blocks.push_back(b);
        }
    }
    return blocks;
}

namespace {

/// The longest period a fit may cover: the longest duration of a scenario, in whole days.
constexpr std::int64_t max_period_days = static_cast<std::int64_t>(calllog::max_duration_s / 86400);

/// Throws, naming the first row that has it, when name `index` of `kind` cannot be a scenario name.
void refuse_bad_name(const CallLog& log, const std::string& source, const char* kind, std::size_t index) {
    const bool is_class = std::string_view(kind) == "class";
    const std::string& name = is_class ? log.classes[index] : log.rooms[index];
    const std::optional<std::string> problem = yaml_name_problem(name);
    if (!problem) return;
    std::uint64_t line = 0;
    for (const CallRecord& c : log.calls)
        if (is_class ? c.cls == index : c.room == static_cast<std::int32_t>(index)) {
            line = c.line;
            break;
        }
    throw calllog::CallLogError(source + ":" + std::to_string(line) + ": error: column '" + kind + "': " + *problem);
}

/// A day missing from the log gets the staffing of the nearest day of its weekday that is not.
void borrow_missing_days(std::vector<std::vector<int>>& headcount, const std::vector<bool>& missing) {
    const std::size_t days = headcount.size();
    for (std::size_t d = 0; d < days; ++d) {
        if (!missing[d]) continue;
        for (std::size_t weeks = 1; weeks * 7 <= days; ++weeks) {
            const std::size_t back = d >= weeks * 7 ? d - weeks * 7 : days;
            const std::size_t ahead = d + weeks * 7;
            const std::size_t from = back < days && !missing[back]     ? back
                                     : ahead < days && !missing[ahead] ? ahead
                                                                       : days;
            if (from < days) {
                headcount[d] = headcount[from];
                break;
            }
        }
    }
}

}  // namespace

LogFit fit_call_log(const CallLog& log, const std::string& source, const FitOptions& options) {
    const auto clock_start = std::chrono::steady_clock::now();
    LogFit fit;
    fit.source = source;
    fit.interval_s = options.interval_s;
    fit.targets = options.targets;
    fit.skipped_rows = log.skipped;
    if (log.calls.empty()) throw FitError("the log has no calls");

    // The classes to fit, in the order asked for (or of first appearance in the log).
    std::vector<std::int64_t> fitted_index(log.classes.size(), -1);
    std::vector<std::string> names = options.classes.empty() ? log.classes : options.classes;
    for (std::size_t k = 0; k < names.size(); ++k) {
        const auto it = std::find(log.classes.begin(), log.classes.end(), names[k]);
        if (it == log.classes.end()) {
            std::string known;
            for (const std::string& c : log.classes) known += (known.empty() ? "" : ", ") + c;
            throw FitError("class '" + names[k] + "' is not in the log (it has " + known + ")");
        }
        if (fitted_index[static_cast<std::size_t>(it - log.classes.begin())] >= 0)
            throw FitError("class '" + names[k] + "' is listed twice");
        fitted_index[static_cast<std::size_t>(it - log.classes.begin())] = static_cast<std::int64_t>(k);
    }

    // A name the scenario cannot hold is refused at the first row that has it.
    for (std::size_t i = 0; i < log.classes.size(); ++i)
        if (fitted_index[i] >= 0) refuse_bad_name(log, source, "class", i);
    for (std::size_t i = 0; i < log.rooms.size(); ++i) refuse_bad_name(log, source, "room", i);

    // The period: whole local days, at most as many as a scenario may last.
    const CallRecord* first = &log.calls.front();
    const CallRecord* last = first;
    for (const CallRecord& c : log.calls) {
        if (c.arrival_s < first->arrival_s) first = &c;
        if (c.arrival_s > last->arrival_s) last = &c;
    }
    fit.first_day = options.from_day.value_or(calllog::day_number(first->arrival_s));
    fit.last_day = options.to_day.value_or(calllog::day_number(last->arrival_s));
    if (fit.last_day < fit.first_day) throw FitError("the period is empty: --to is before --from");
    if (fit.last_day - fit.first_day >= max_period_days) {
        auto end = [](const std::optional<std::int64_t>& option, const char* name, const CallRecord& call) {
            return option ? std::string(name) : "the call on line " + std::to_string(call.line);
        };
        throw FitError("the period " + calllog::format_date(fit.first_day) + " (" +
                       end(options.from_day, "--from", *first) + ") .. " + calllog::format_date(fit.last_day) + " (" +
                       end(options.to_day, "--to", *last) + ") is " + std::to_string(fit.last_day - fit.first_day + 1) +
                       " days, longer than the " + std::to_string(max_period_days) +
                       " days (1e10 s) a scenario may last: fit a part of it with --from and --to");
    }
    const std::size_t days = fit.days();
    const auto per_day = static_cast<std::size_t>(std::llround(86400.0 / options.interval_s));
    const double origin = static_cast<double>(fit.first_day) * 86400.0;
    auto in_period = [&](const CallRecord& c) {
        const std::int64_t d = calllog::day_number(c.arrival_s);
        return d >= fit.first_day && d <= fit.last_day;
    };
    // Days missing from the log are gaps, not days without calls: left out of the arrivals, and
    // staffed as the nearest day of the same weekday.
    fit.missing_days = calllog::find_missing_days(log, fit.first_day, fit.last_day);
    std::vector<bool> missing(days, false);
    for (std::int64_t d : fit.missing_days) missing[static_cast<std::size_t>(d - fit.first_day)] = true;
    if (!fit.missing_days.empty()) fit.warnings.push_back(calllog::missing_days_warning(fit.missing_days, "the fit"));

    // Rooms: from the log, else from the staffing table, else one.
    if (log.has_room) {
        fit.rooms = log.rooms;
    } else if (options.staffing) {
        for (const StaffingRow& r : *options.staffing)
            if (std::find(fit.rooms.begin(), fit.rooms.end(), r.room) == fit.rooms.end()) fit.rooms.push_back(r.room);
    }
    if (fit.rooms.empty()) fit.rooms.push_back("centre");

    // The counts per class and the people on duty per room, for each interval of the period.
    const double cells = static_cast<double>(days) * static_cast<double>(per_day);
    const double memory = cells * sizeof(double) * 2 * static_cast<double>(names.size() + fit.rooms.size());
    if (options.max_memory_bytes > 0 && memory > options.max_memory_bytes) {
        char text[320];
        std::snprintf(text, sizeof text,
                      "the fit would need about %.3g GB of memory (%zu classes and %zu rooms over %zu days of %zu "
                      "intervals), beyond the %.3g GB this machine has (--allow-large fits anyway; --from and --to, "
                      "--classes or a longer --interval make it smaller)",
                      memory / 1e9, names.size(), fit.rooms.size(), days, per_day, options.max_memory_bytes / 1e9);
        throw FitError(text);
    }

    struct Gathered {
        std::vector<std::vector<double>> counts;
        std::vector<double> handle, wrap, abandoned_waits, answered_waits;
        std::vector<int> handle_hour;  // the hour of day each answered call arrived in
        std::vector<double> room_calls;
    };
    std::vector<Gathered> gathered(names.size());
    for (Gathered& g : gathered) {
        g.counts.assign(days, std::vector<double>(per_day, 0.0));
        g.room_calls.assign(fit.rooms.size(), 0.0);
    }
    for (const CallRecord& c : log.calls) {
        if (!in_period(c)) {
            ++fit.outside_period;
            continue;
        }
        const std::int64_t k = fitted_index[c.cls];
        if (k < 0) {
            ++fit.other_classes;
            continue;
        }
        Gathered& g = gathered[static_cast<std::size_t>(k)];
        const double t = (c.arrival_s - origin) / options.interval_s;
        const auto cell = std::min(static_cast<std::size_t>(t), days * per_day - 1);
        g.counts[cell / per_day][cell % per_day] += 1;
        if (log.has_room) g.room_calls[static_cast<std::size_t>(c.room)] += 1;
        if (c.outcome == Outcome::answered) {
            g.handle.push_back(c.handle_s);
            g.handle_hour.push_back(static_cast<int>(std::fmod(c.arrival_s, 86400.0) / 3600.0));
            if (c.wrap_s >= 0) g.wrap.push_back(c.wrap_s);
            g.answered_waits.push_back(c.wait_s);
        } else {
            g.abandoned_waits.push_back(c.wait_s);
        }
        ++fit.calls;
    }
    if (fit.calls == 0) throw FitError("no call of the classes fitted arrives in the period");

    const int first_weekday = calllog::weekday_of_day(fit.first_day);
    for (std::size_t k = 0; k < names.size(); ++k) {
        Gathered& g = gathered[k];
        ClassFit c;
        c.name = names[k];
        c.answered = g.handle.size();
        c.abandoned = g.abandoned_waits.size();
        c.calls = c.answered + c.abandoned;
        c.share = static_cast<double>(c.calls) / static_cast<double>(fit.calls);
        if (c.answered < options.min_answered)
            throw FitError("class '" + c.name + "': " + std::to_string(c.answered) +
                           " answered calls in the period, at least " + std::to_string(options.min_answered) +
                           " are needed to fit its handle time (leave it out with --classes)");
        const bool distinct =
            std::adjacent_find(g.handle.begin(), g.handle.end(), std::not_equal_to<>()) != g.handle.end();
        if (!distinct)
            throw FitError("class '" + c.name +
                           "': every handle time is the same: nothing to fit (leave it out with --classes)");
        c.small = c.share < options.small_share;
        if (c.small) {
            char percent[32];
            std::snprintf(percent, sizeof percent, "%.2g%%", 100 * c.share);
            fit.warnings.push_back("class '" + c.name + "' has only " + std::to_string(c.calls) + " calls (" + percent +
                                   " of those fitted): kept, but its figures rest on few calls");
        }
        c.arrivals = fit_arrivals(g.counts, first_weekday, options.interval_s, missing);
        c.handle = fit_durations(g.handle, options.resolution_s);
        c.handle_by_hour = fit_handle_by_hour(g.handle, g.handle_hour);
        if (g.wrap.size() >= 2 &&
            std::adjacent_find(g.wrap.begin(), g.wrap.end(), std::not_equal_to<>()) != g.wrap.end()) {
            c.wrap = fit_durations(g.wrap, options.resolution_s);
        } else if (!g.wrap.empty()) {
            c.wrap_constant_s = g.wrap.front();
        }
        c.patience = fit_patience(g.abandoned_waits, g.answered_waits, options.resolution_s);
        // Absurd but valid durations (up to 1e10 s each) may leave no family a scenario can hold.
        for (const auto& [what, family] :
             {std::pair{"handle time", &c.handle.best()}, std::pair{"wrap-up", c.wrap ? &c.wrap->best() : nullptr},
              std::pair{"patience", c.patience.has_patience() ? &c.patience.best() : nullptr}})
            if (family && !fits_in_scenario(*family)) {
                char figures[96];
                std::snprintf(figures, sizeof figures, " (mean %.3g s, sd %.3g s)", family->mean, family->sd);
                throw FitError("class '" + c.name + "': the " + what + " fitted, " +
                               std::string(family_name(family->family)) + figures +
                               ", is beyond the 1e10 s a scenario can hold: the log's durations are not plausible");
            }
        double wait_sum = 0;
        for (double w : g.answered_waits) wait_sum += w;
        c.mean_wait_answered_s = g.answered_waits.empty() ? 0 : wait_sum / static_cast<double>(g.answered_waits.size());
        if (log.has_room) {
            c.room_shares = g.room_calls;
            for (double& s : c.room_shares) s /= static_cast<double>(c.calls);
        } else {
            c.room_shares.assign(fit.rooms.size(), 1.0 / static_cast<double>(fit.rooms.size()));
        }
        fit.classes.push_back(std::move(c));
    }

    // Agents that are not people (found by calllog::find_placeholder_agents) say nothing about
    // staffing or the order of the queue.
    std::vector<bool> person(log.agents.size(), true);
    const std::vector<calllog::PlaceholderAgent> placeholders =
        log.has_agent ? calllog::find_placeholder_agents(log, options.not_agents)
                      : std::vector<calllog::PlaceholderAgent>{};
    for (const calllog::PlaceholderAgent& p : placeholders) person[static_cast<std::size_t>(p.agent)] = false;

    // Priorities: each class's mean head start in the queue.
    fit.priorities = fit_priorities(log, fit.first_day, fit.last_day, person);
    if (fit.priorities.used())
        for (std::size_t i = 0; i < log.classes.size(); ++i)
            if (fitted_index[i] >= 0)
                fit.classes[static_cast<std::size_t>(fitted_index[i])].head_start_s =
                    fit.priorities.class_head_start_s[i];

    // Staffing.
    if (options.staffing) {
        std::map<std::string, std::size_t> room_index;
        for (std::size_t r = 0; r < fit.rooms.size(); ++r) room_index[fit.rooms[r]] = r;
        std::size_t outside = 0;
        for (const StaffingRow& row : *options.staffing) {
            const auto room = room_index.find(row.room);
            if (room == room_index.end())
                throw FitError("staffing row of line " + std::to_string(row.line) + ": room '" + row.room +
                               "' is not a room of the log");
            if (std::find(fit.groups.begin(), fit.groups.end(), row.group) == fit.groups.end())
                fit.groups.push_back(row.group);
            const std::int64_t day = calllog::day_number(row.start_s);
            if (day < fit.first_day || day > fit.last_day) {
                ++outside;
                continue;
            }
            RosterBlock b;
            b.room = room->second;
            b.group = row.group;
            b.day = day - fit.first_day;
            // Shifts start on the minute (the format's clock times); the length keeps the end.
            const double start = std::round((row.start_s - static_cast<double>(day) * 86400.0) / 60.0) * 60.0;
            b.start_s = std::min(start, 86340.0);
            b.length_s = row.end_s - (static_cast<double>(day) * 86400.0 + b.start_s);
            b.headcount = row.headcount;
            if (b.length_s <= 0) continue;
            // Rows of the same people and times add up: two identical rows are two people.
            const auto same = std::find_if(fit.roster.begin(), fit.roster.end(), [&](const RosterBlock& o) {
                return o.room == b.room && o.group == b.group && o.day == b.day && o.start_s == b.start_s &&
                       o.length_s == b.length_s;
            });
            if (same != fit.roster.end())
                same->headcount += b.headcount;
            else
                fit.roster.push_back(b);
        }
        fit.staffing_method = "from the staffing table (" + std::to_string(options.staffing->size()) + " rows" +
                              (outside ? ", " + std::to_string(outside) + " outside the period left out" : "") + ")";
        if (fit.roster.empty()) throw FitError("the staffing table has no row in the period");
    } else {
        if (!log.has_agent) throw FitError("the log has no agent column: give the staffing with --staffing FILE.csv");
        for (const calllog::PlaceholderAgent& p : placeholders) {
            fit.placeholder_agents.push_back(log.agents[static_cast<std::size_t>(p.agent)]);
            fit.warnings.push_back("agent '" + log.agents[static_cast<std::size_t>(p.agent)] + "' " + p.reason +
                                   ": not a person, left out of the staffing");
        }
        std::vector<BusySpan> spans;
        std::vector<WaitSpan> waits;
        for (const CallRecord& c : log.calls) {
            if (c.wait_s > 0 && in_period(c)) waits.push_back({c.arrival_s, c.arrival_s + c.wait_s, c.cls});
            if (c.outcome != Outcome::answered || c.agent < 0 || !in_period(c)) continue;
            if (!person[static_cast<std::size_t>(c.agent)]) continue;
            BusySpan s;
            s.agent = c.agent;
            s.room = log.has_room ? c.room : 0;
            s.start_s = c.arrival_s + c.wait_s;
            s.end_s = s.start_s + c.handle_s + std::max(0.0, c.wrap_s);
            s.cls = c.cls;
            spans.push_back(s);
        }
        // Skill groups from the classes each agent answers; a group that takes no fitted class is
        // left out of the staffing (its people serve classes outside the fit).
        std::vector<std::vector<double>> answered(log.agents.size(), std::vector<double>(log.classes.size(), 0.0));
        for (const BusySpan& s : spans) answered[static_cast<std::size_t>(s.agent)][s.cls] += 1;
        const SkillGroups skills = infer_skill_groups(answered, log.classes.size());
        std::vector<std::int32_t> kept_group(skills.groups.size(), -1);
        for (std::size_t g = 0; g < skills.groups.size(); ++g) {
            std::vector<std::string> takes, overflow;
            for (std::uint32_t k : skills.groups[g].takes)
                if (fitted_index[k] >= 0) takes.push_back(names[static_cast<std::size_t>(fitted_index[k])]);
            for (std::uint32_t k : skills.groups[g].overflow)
                if (fitted_index[k] >= 0) overflow.push_back(names[static_cast<std::size_t>(fitted_index[k])]);
            if (takes.empty()) continue;
            kept_group[g] = static_cast<std::int32_t>(fit.group_takes.size());
            fit.group_takes.push_back(std::move(takes));
            fit.group_overflow.push_back(std::move(overflow));
            fit.group_agents.push_back(skills.groups[g].agents.size());
        }
        if (fit.group_takes.empty()) throw FitError("no agent answered a call of the classes fitted in the period");
        for (const std::string& n : names)  // a class nobody answered: the largest group takes it
            if (std::none_of(fit.group_takes.begin(), fit.group_takes.end(), [&](const std::vector<std::string>& t) {
                    return std::find(t.begin(), t.end(), n) != t.end();
                }))
                fit.group_takes.front().push_back(n);
        if (fit.group_takes.size() == 1) {
            fit.groups.push_back("agents");
            fit.group_takes.front().clear();  // takes every class
            fit.group_overflow.front().clear();
        } else {
            for (std::size_t g = 0; g < fit.group_takes.size(); ++g)
                fit.groups.push_back("agents-" + std::to_string(g + 1));
            for (std::size_t i = 0; i < log.classes.size(); ++i) {
                if (fitted_index[i] < 0) continue;
                std::vector<std::string> order;
                for (std::size_t g : routing_order(skills, static_cast<std::uint32_t>(i)))
                    if (kept_group[g] >= 0) order.push_back(fit.groups[static_cast<std::size_t>(kept_group[g])]);
                if (order.size() > 1) fit.routing.emplace_back(log.classes[i], std::move(order));
            }
        }
        std::vector<std::vector<BusySpan>> group_spans(fit.groups.size());
        for (const BusySpan& s : spans) {
            const std::int32_t g = skills.group_of_agent[static_cast<std::size_t>(s.agent)];
            if (g >= 0 && kept_group[static_cast<std::size_t>(g)] >= 0)
                group_spans[static_cast<std::size_t>(kept_group[static_cast<std::size_t>(g)])].push_back(s);
        }
        // All groups together, for the comments.
        auto together = [](const std::vector<StaffingEstimate>& by_group) {
            StaffingEstimate all = by_group.front();
            for (std::size_t g = 1; g < by_group.size(); ++g) {
                all.agents += by_group[g].agents;
                all.sessions += by_group[g].sessions;
                for (std::size_t r = 0; r < all.on_duty.size(); ++r)
                    for (std::size_t d = 0; d < all.on_duty[r].size(); ++d)
                        for (std::size_t i = 0; i < all.on_duty[r][d].size(); ++i)
                            all.on_duty[r][d][i] += by_group[g].on_duty[r][d][i];
            }
            return all;
        };
        // Each group's gap: the one whose staffing of the group reproduces the abandonments of the
        // classes it serves first best (Erlang A); one pool for every group would credit the
        // groups with each other's people.
        std::vector<std::int32_t> main_group(log.classes.size(), -1);
        for (std::size_t i = 0; i < log.classes.size(); ++i)
            for (std::size_t g : routing_order(skills, static_cast<std::uint32_t>(i)))
                if (kept_group[g] >= 0) {
                    main_group[i] = kept_group[g];
                    break;
                }
        if (fit.groups.size() == 1) std::fill(main_group.begin(), main_group.end(), 0);
        fit.group_gap_s.assign(fit.groups.size(), options.session_gap_s.value_or(fit.session_gap_s));
        std::vector<StaffingPool> pools;  // per group with abandonments: for the staffing's day-to-day spread
        std::vector<std::size_t> pool_group;
        for (std::size_t g = 0; g < fit.groups.size(); ++g) {
            std::vector<std::vector<IntervalObservation>> observed(days, std::vector<IntervalObservation>(per_day));
            double waited = 0, abandoned = 0;
            for (const CallRecord& c : log.calls) {
                if (!in_period(c) || main_group[c.cls] != static_cast<std::int32_t>(g)) continue;
                const auto cell =
                    std::min(static_cast<std::size_t>((c.arrival_s - origin) / options.interval_s), days * per_day - 1);
                IntervalObservation& o = observed[cell / per_day][cell % per_day];
                o.offered += 1;
                waited += c.wait_s;
                if (c.outcome == Outcome::abandoned) {
                    o.abandoned += 1;
                    abandoned += 1;
                } else {
                    o.handle_mean_s += c.handle_s + std::max(0.0, c.wrap_s);  // a sum until divided below
                }
            }
            // Without an abandonment the waits say nothing about staffing this way: the default stays.
            if (abandoned == 0) continue;
            for (std::vector<IntervalObservation>& day : observed)
                for (IntervalObservation& o : day)
                    if (o.offered > o.abandoned) o.handle_mean_s /= o.offered - o.abandoned;
            const double patience = waited / abandoned;  // the exponential's censored maximum likelihood
            pools.push_back({observed, {}, patience});
            pool_group.push_back(g);
            if (options.session_gap_s) continue;
            const GapChoice choice = choose_session_gap(observed, options.interval_s, patience, [&](double gap_s) {
                const StaffingEstimate e = estimate_staffing(group_spans[g], waits, fit.rooms.size(), fit.first_day,
                                                             days, options.interval_s, gap_s);
                std::vector<std::vector<double>> people(days, std::vector<double>(per_day, 0.0));
                for (const auto& room : e.on_duty)
                    for (std::size_t d = 0; d < days; ++d)
                        for (std::size_t i = 0; i < per_day; ++i) people[d][i] += room[d][i];
                return people;
            });
            fit.group_gap_s[g] = choice.gap_s;
            if (g == 0) {
                fit.session_gap_s = choice.gap_s;
                fit.gap_scores = choice.scores;
            }
        }
        std::vector<StaffingEstimate> by_group;
        for (std::size_t g = 0; g < group_spans.size(); ++g)
            by_group.push_back(estimate_staffing(group_spans[g], waits, fit.rooms.size(), fit.first_day, days,
                                                 options.interval_s, fit.group_gap_s[g]));
        fit.estimate = together(by_group);
        for (std::size_t p = 0; p < pools.size(); ++p) {
            pools[p].people.assign(days, std::vector<double>(per_day, 0.0));
            for (const auto& room : by_group[pool_group[p]].on_duty)
                for (std::size_t d = 0; d < days; ++d)
                    for (std::size_t i = 0; i < per_day; ++i) pools[p].people[d][i] += room[d][i];
        }
        fit.staffing_noise = estimate_staffing_noise(pools, options.interval_s);
        // The centre of the spread is found on the whole people the roster will have.
        std::vector<std::vector<std::vector<double>>> rostered(
            by_group.size(), std::vector<std::vector<double>>(days, std::vector<double>(per_day, 0.0)));
        for (std::size_t g = 0; g < by_group.size(); ++g)
            for (std::size_t r = 0; r < fit.rooms.size(); ++r) {
                // Rounded with the error carried to the next interval of the day, so a group on duty
                // 0.4 of every hour keeps its person-hours (one person 40% of the hours), where plain
                // rounding would leave a small group with nobody.
                std::vector<std::vector<int>> headcount(days, std::vector<int>(per_day, 0));
                for (std::size_t d = 0; d < days; ++d) {
                    double carried = 0;
                    for (std::size_t i = 0; i < per_day; ++i) {
                        const double wanted = by_group[g].on_duty[r][d][i] + carried;
                        headcount[d][i] = std::max(0, static_cast<int>(std::lround(wanted)));
                        carried = wanted - headcount[d][i];
                    }
                }
                borrow_missing_days(headcount, missing);
                for (std::size_t d = 0; d < days; ++d)
                    for (std::size_t i = 0; i < per_day; ++i) rostered[g][d][i] += headcount[d][i];
                for (RosterBlock& b : roster_from_headcounts(headcount, options.interval_s, r, fit.groups[g]))
                    fit.roster.push_back(b);
            }
        // Written to three decimals, and centred for the cv as written.
        StaffingNoiseFit& noise = fit.staffing_noise;
        noise.daily_cv = std::round(noise.daily_cv * 1000) / 1000;
        for (std::size_t p = 0; p < pools.size(); ++p) pools[p].people = rostered[pool_group[p]];
        noise.daily_mean = std::round(centre_staffing_noise(pools, options.interval_s, noise.daily_cv) * 1000) / 1000;
        fit.staffing_method = "from the agents' activity";
        if (fit.roster.empty()) throw FitError("no agent was seen on duty in the period");
    }
    fit.fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
    return fit;
}

}  // namespace crsim::fit
