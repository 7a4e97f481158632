// The fitted scenario as YAML: idiomatic keys (start_date, profiles by day, roster lines by week
// and weekday), every fitted figure followed by a comment with its estimate, standard error and
// sample size.
#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <sstream>
#include <tuple>

#include "crsim/fit/log_fit.hpp"

namespace crsim::fit {

namespace {

std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));

std::string format(const char* pattern, ...) {
    char text[512];
    va_list args;
    va_start(args, pattern);
    std::vsnprintf(text, sizeof text, pattern, args);
    va_end(args);
    return text;
}

/// A number with `digits` significant digits, without exponent for the magnitudes in a scenario.
std::string number(double value, int digits = 4) {
    if (value == 0) return "0";
    const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(value))));
    const int decimals = std::clamp(digits - 1 - magnitude, 0, 9);
    std::string s = format("%.*f", decimals, value);
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s;
}

std::string seconds(double s) { return number(s, 5) + "s"; }

/// A YAML scalar for a name: plain when safe, else double-quoted.
std::string yaml_name(const std::string& name) {
    bool plain = !name.empty() && (std::isalpha(static_cast<unsigned char>(name.front())) || name.front() == '_');
    for (char c : name)
        plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.');
    static const char* reserved[] = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "never"};
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* r : reserved) plain = plain && lower != r;
    if (plain) return name;
    return '"' + yaml_escaped(name) + '"';
}

/// The longest key YAML allows without the explicit `? ` form (an implicit key: 1024 characters).
constexpr std::size_t max_implicit_key = 1024;

std::string clock(double s) {
    const auto minutes = static_cast<long>(std::lround(s / 60));
    return format("\"%02ld:%02ld\"", minutes / 60, minutes % 60);
}

std::string duration(double s) {
    if (std::fmod(s, 3600) == 0) return format("%ldh", static_cast<long>(s / 3600));
    if (std::fmod(s, 60) == 0) return format("%ldmin", static_cast<long>(s / 60));
    return seconds(s);
}

const char* const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/// `{dist: ...}` for a fitted family.
std::string distribution(const FamilyFit& f) {
    switch (f.family) {
        case Family::exponential:
            return "{dist: exponential, mean: " + seconds(f.mean) + "}";
        case Family::gamma:
            return "{dist: gamma, mean: " + seconds(f.mean) + ", sd: " + seconds(f.sd) + "}";
        case Family::lognormal:
            return "{dist: lognormal, mean: " + seconds(f.mean) + ", sd: " + seconds(f.sd) + "}";
        case Family::weibull:
            return "{dist: weibull, shape: " + number(f.p1) + ", scale: " + seconds(f.p2) + "}";
    }
    return "";
}

std::string parameters(const FamilyFit& f) {
    switch (f.family) {
        case Family::exponential:
            return "exponential";
        case Family::gamma:
            return "shape " + number(f.p1) + " (SE " + number(f.p1_se, 2) + "), scale " + number(f.p2) + " s (SE " +
                   number(f.p2_se, 2) + ")";
        case Family::lognormal:
            return "mu " + number(f.p1) + " (SE " + number(f.p1_se, 2) + "), sigma " + number(f.p2) + " (SE " +
                   number(f.p2_se, 2) + ")";
        case Family::weibull:
            return "shape " + number(f.p1) + " (SE " + number(f.p1_se, 2) + "), scale " + number(f.p2) + " s (SE " +
                   number(f.p2_se, 2) + ")";
    }
    return "";
}

void write_duration_fit(std::ostream& out, const char* key, const DurationFit& d, const char* what) {
    out << "    # " << key << ": " << d.n << " " << what << ", sample mean " << number(d.sample_mean) << " s (SE "
        << number(d.sample_mean_se, 2) << "), sd " << number(d.sample_sd) << " s";
    if (d.zeros) out << "; " << d.zeros << " under half a second taken as 0.5 s";
    out << "\n    #   maximum likelihood   AIC           KS distance  mean (SE)\n";
    for (std::size_t i = 0; i < d.fits.size(); ++i) {
        const FamilyFit& f = d.fits[i];
        if (!f.ok) {
            out << "    #   " << format("%-20s", std::string(family_name(f.family)).c_str()) << " did not converge\n";
            continue;
        }
        out << "    #   "
            << format("%-20s %-13.1f %-12.4f %s s (%s)", std::string(family_name(f.family)).c_str(), f.aic, f.distance,
                      number(f.mean).c_str(), number(f.mean_se, 2).c_str())
            << (i == d.chosen ? "  <- lowest AIC" : "") << '\n';
    }
    const FamilyFit b = d.with_sample_mean();
    out << "    " << key << ": " << distribution(b) << "  # " << parameters(b) << "; mean " << number(b.mean)
        << " s (SE " << number(b.mean_se, 2) << "), n = " << d.n;
    if (std::abs(b.mean - d.best().mean) > 1e-3 * d.best().mean)
        out << "; scaled from the fit's mean " << number(d.best().mean) << " s to the sample's";
    out << "\n";
}

/// The reconstruction's day-to-day uncertainty and its centre (staffing_noise_fit.hpp says how they
/// are estimated), as the keys that apply it.
void write_staffing_noise(std::ostream& out, const StaffingNoiseFit& n) {
    out << "# How uncertain this staffing is day by day: each day's factor f on its people that makes Erlang A\n"
           "# give the day's abandonments ("
        << n.days << " days with at least " << min_day_abandoned
        << " abandonments) spreads by sd(ln f) = " << number(n.log_factor_sd, 3)
        << ";\n# chance alone (the intervals' dispersion, " << number(n.dispersion, 3)
        << " times Poisson) accounts for " << number(n.sampling_sd, 3)
        << ". The rest, each day's staffing straying from\n# the reconstruction, is a gamma factor per day of cv";
    if (n.daily_cv <= 0) {
        out << " 0" << (n.days < min_days ? " (too few days to say)" : "") << ": the roster as it is.\n";
        return;
    }
    out << " " << number(n.daily_cv, 3) << ", centred (mean " << number(n.daily_mean, 4)
        << ") so that Erlang A's abandonments over the\n# period, averaged over the factor, are those of the "
           "roster itself: the session gap made the roster\n# reproduce them, and the spread should widen the "
           "outcomes, not move their mean (README).\n"
           "staffing_daily_cv: "
        << number(n.daily_cv, 3) << "\nstaffing_daily_mean: " << number(n.daily_mean, 4) << "\n";
}

/// `text` with what would end or break a line of YAML, or its UTF-8, written as escapes; quotes
/// and backslashes escaped too when `quoted` (the inside of a double-quoted scalar).
std::string escaped_text(std::string_view text, bool quoted) {
    std::string escaped;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::string_view rest = text.substr(i);
        if (quoted && (c == '"' || c == '\\')) {
            escaped.append(1, '\\').append(1, static_cast<char>(c));
        } else if (c == '\n') {
            escaped += "\\n";
        } else if (c == '\t') {
            escaped += "\\t";
        } else if (c < 0x20 || c == 0x7f) {
            escaped += format("\\x%02x", c);
        } else if (rest.starts_with("\u0085") || rest.starts_with("\u2028") || rest.starts_with("\u2029")) {
            // Line breaks to YAML 1.1 as to a terminal: written as escapes, never as they are.
            escaped += rest[1] == '\x85' ? "\\N" : rest[2] == '\xa8' ? "\\L" : "\\P";
            i += rest[1] == '\x85' ? 1 : 2;
        } else if (c >= 0x80) {
            // A character whole, or a byte that is not UTF-8 as its value, so the text stays valid.
            const std::size_t length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
            if (calllog::invalid_utf8_at(rest.substr(0, length))) {
                escaped += format("\\x%02x", c);
            } else {
                escaped.append(rest.substr(0, length));
                i += length - 1;
            }
        } else {
            escaped += static_cast<char>(c);
        }
    }
    return escaped;
}

}  // namespace

std::string yaml_escaped(std::string_view text) { return escaped_text(text, true); }

std::string yaml_comment_text(std::string_view text) { return escaped_text(text, false); }

std::optional<std::string> yaml_name_problem(const std::string& name) {
    std::string problem;
    if (const auto bad = calllog::invalid_utf8_at(name))
        problem = format("not UTF-8 (the byte 0x%02x at byte %zu)",
                         static_cast<unsigned>(static_cast<unsigned char>(name[*bad])), *bad + 1);
    else if (const std::size_t length = yaml_name(name).size(); length > max_implicit_key)
        problem = "a name of " + std::to_string(length) + " characters as YAML, longer than the " +
                  std::to_string(max_implicit_key) + " a YAML key may have";
    else
        return std::nullopt;
    constexpr std::size_t shown = 40;
    std::string text(1, '"');
    text.append(yaml_escaped(name.substr(0, shown))).append(name.size() > shown ? "…" : "");
    return text.append("\" is ").append(problem).append(", which a scenario cannot hold");
}

namespace {

/// The hourly profile of the mean handle time, or why there is none.
void write_handle_by_hour(std::ostream& out, const HandleByHourFit& h) {
    out << "    # handle time by hour of day: gamma likelihood (shape " << number(h.shape, 3)
        << ") of a mean per hour with at least " << min_calls_per_hour
        << " answered calls (the others one mean together) against one mean: LR " << number(h.lr, 4) << " on "
        << h.extra_parameters << " parameters, "
        << (h.chosen() ? "the hourly means lower the AIC" : "the flat mean kept (AIC)") << "; means by hour (calls):";
    for (std::size_t i = 0; i < h.calls.size(); ++i)
        if (h.calls[i] > 0)
            out << (i % 6 == 0 ? "\n    #  " : "") << " " << i << "h " << number(h.means_s[i], 3) << " (" << h.calls[i]
                << ")";
    out << '\n';
    if (!h.chosen()) return;
    out << "    handle_time_by_hour: [";
    for (std::size_t i = 0; i < h.factors.size(); ++i) out << (i ? ", " : "") << number(h.factors[i], 3);
    out << "]\n";
}

}  // namespace

std::string fitted_scenario_yaml(const LogFit& fit, const std::string& name) {
    std::ostringstream out;
    const std::size_t days = fit.days();
    const auto per_day = static_cast<std::size_t>(std::llround(86400.0 / fit.interval_s));
    out << "# Fitted by `crsim fit` from " << yaml_comment_text(fit.source) << ": " << fit.calls << " calls from "
        << calllog::format_date(fit.first_day) << " to " << calllog::format_date(fit.last_day) << " (" << days
        << " days)";
    if (fit.skipped_rows) out << "; " << fit.skipped_rows << " bad rows skipped";
    if (fit.outside_period) out << "; " << fit.outside_period << " calls outside the period left out";
    if (fit.other_classes) out << "; " << fit.other_classes << " calls of other classes left out";
    out << ".\n# Every fitted figure is followed by its estimate, standard error (SE) and sample size. The log\n"
           "# shows no targets, nor after-call work unless it has wrap_s: every class has priority 1 (one queue\n"
           "# in arrival order, less each class's head_start when the log has priorities) and the targets below\n"
           "# are assumptions, not fitted.\n";
    for (const std::string& w : fit.warnings) out << "# warning: " << yaml_comment_text(w) << '\n';
    if (fit.priorities.used()) {
        const PriorityFit& p = fit.priorities;
        out << "# Priorities: the head start each value of the log's priority column gives in the queue, from the "
               "order\n"
               "# in which callers who waited were answered (answered before a caller still waiting who arrived\n"
               "# earlier): ";
        for (std::size_t v = 0; v < p.values.size(); ++v)
            out << (v ? ", " : "") << yaml_comment_text(p.values[v]) << " " << number(p.credit_s[v], 3) << " s ("
                << p.waited[v] << " waited)";
        out << ";\n# " << p.pairs << " pairs of different values: " << p.in_order_fcfs << " in arrival order, "
            << p.in_order_fitted
            << " with the head starts. A class's head_start is the mean over its calls that waited.\n";
    }
    out << "name: " << yaml_name(name) << '\n';
    out << "description: \"fitted to " << calllog::format_date(fit.first_day) << " .. "
        << calllog::format_date(fit.last_day) << " of " << yaml_escaped(fit.source) << "\"\n";
    out << "start_date: " << calllog::format_date(fit.first_day)
        << "   # the first day of the log; t = 0 is its midnight\n";
    out << "horizon: " << days << "d          # exactly the days of the log\n";
    out << "replications: 20\nseed: 1\n\n";

    out << "# Weekly profiles: the mean number of calls in each " << duration(fit.interval_s)
        << " of the week, over the days of\n# that weekday in the period (";
    {
        const ArrivalFit& a = fit.classes.front().arrivals;
        for (int w = 0; w < 7; ++w)
            out << (w ? ", " : "") << a.weekdays[static_cast<std::size_t>(w)].days << " " << day_names[w];
    }
    out << "). Only the shape is used; per_week sets the volume.\nprofiles:\n";
    // Each class's profile goes by the class's name, but for the name of the built-in flat profile.
    std::vector<std::string> profile_names;
    auto is_class = [&](const std::string& name) {
        return std::any_of(fit.classes.begin(), fit.classes.end(), [&](const ClassFit& o) { return o.name == name; });
    };
    for (const ClassFit& c : fit.classes) {
        std::string profile = c.name;
        for (int n = 1; profile == "flat" || (profile != c.name && is_class(profile)); ++n)
            profile = c.name + (n > 1 ? format("-profile-%d", n) : std::string("-profile"));
        profile_names.push_back(profile);
    }
    for (std::size_t k = 0; k < fit.classes.size(); ++k) {
        const ClassFit& c = fit.classes[k];
        out << "  " << yaml_name(profile_names[k]) << ":\n    interval: " << duration(fit.interval_s)
            << "\n    by_day:\n";
        for (std::size_t w = 0; w < 7; ++w) {
            out << "      " << day_names[w] << ": [";
            for (std::size_t i = 0; i < per_day; ++i)
                out << (i ? ", " : "") << number(c.arrivals.profile[w * per_day + i], 3);
            out << "]\n";
        }
    }

    out << "\nrooms:\n";
    for (const std::string& r : fit.rooms) out << "  " << yaml_name(r) << ": {}\n";

    out << "\nclasses:\n";
    for (std::size_t k = 0; k < fit.classes.size(); ++k) {
        const ClassFit& c = fit.classes[k];
        const ArrivalFit& a = c.arrivals;
        out << "  " << yaml_name(c.name) << ":\n";
        out << "    # " << c.calls << " calls (" << number(100 * c.share, 3) << "% of those fitted), " << c.answered
            << " answered, " << c.abandoned << " abandoned ("
            << number(100.0 * static_cast<double>(c.abandoned) / static_cast<double>(c.calls), 3)
            << "%); mean wait of answered calls " << number(c.mean_wait_answered_s, 3) << " s\n";
        if (c.small) out << "    # warning: a small class: its figures rest on few calls\n";
        out << "    priority: 1\n";
        if (fit.priorities.used())
            out << "    head_start: " << seconds(std::round(c.head_start_s))
                << "   # mean credit of its calls that waited (priorities)\n";
        out << "    arrivals:\n";
        out << "      per_week: " << number(a.per_week, 6) << "   # estimate; SE " << number(a.per_week_se, 3)
            << " (n = " << a.calls << " calls over " << days << " days)\n";
        out << "      profile: " << yaml_name(profile_names[k]) << '\n';
        out << "      daily_cv: " << number(a.daily_cv, 3) << "   # method of moments per weekday, SE "
            << number(a.daily_cv_se, 2) << "; by weekday:";
        for (std::size_t w = 0; w < 7; ++w)
            if (a.weekdays[w].days >= 2) out << " " << day_names[w] << " " << number(a.weekdays[w].cv, 2);
        out << '\n';
        write_duration_fit(out, "handle_time", c.handle, "answered calls");
        write_handle_by_hour(out, c.handle_by_hour);
        if (c.wrap)
            write_duration_fit(out, "wrap_up", *c.wrap, "wrap-ups");
        else if (c.wrap_constant_s > 0)
            out << "    wrap_up: " << seconds(c.wrap_constant_s) << "   # every wrap-up in the log\n";

        const PatienceFit& p = c.patience;
        if (!p.has_patience()) {
            out << "    patience: never   # no call of this class was abandoned in the period\n";
        } else {
            out << "    # patience: " << p.events << " abandoned calls (observed patience) and " << p.censored
                << " answered (their wait is a lower bound)\n";
            out << "    #   Kaplan-Meier: mean capped at the longest wait (" << number(p.km.last_time) << " s) "
                << number(p.km.restricted_mean) << " s, median "
                << (std::isnan(p.km.median) ? std::string("not reached") : number(p.km.median) + " s")
                << "; naive mean of abandoned waits " << number(p.naive_mean) << " s (ignores censoring)\n";
            out << "    #   censored ML          AIC           KM distance  beyond longest wait  mean (SE)\n";
            for (std::size_t i = 0; i < p.fits.size(); ++i) {
                const FamilyFit& f = p.fits[i];
                if (!f.ok) {
                    out << "    #   " << format("%-20s", std::string(family_name(f.family)).c_str())
                        << " did not converge\n";
                    continue;
                }
                out << "    #   "
                    << format("%-20s %-13.1f %-12.4f %-20s %s s (%s)", std::string(family_name(f.family)).c_str(),
                              f.aic, f.distance, (number(100 * f.tail_share, 3) + "%").c_str(), number(f.mean).c_str(),
                              number(f.mean_se, 2).c_str())
                    << (i == p.chosen ? "  <- chosen" : "") << '\n';
            }
            out << "    #   chosen: " << p.reason << '\n';
            const FamilyFit& b = p.best();
            out << "    patience: " << distribution(b) << "  # " << parameters(b) << "; mean " << number(b.mean)
                << " s (SE " << number(b.mean_se, 2) << "), n = " << p.events << " + " << p.censored << " censored\n";
        }
        if (fit.rooms.size() > 1) {
            out << "    rooms: {";
            for (std::size_t r = 0; r < fit.rooms.size(); ++r)
                out << (r ? ", " : "") << yaml_name(fit.rooms[r]) << ": " << number(c.room_shares[r], 6);
            out << "}\n    overflow_after: 0s   # the log does not say when calls may go to another room\n";
        }
        out << "    targets:   # assumed (crsim fit --service-level), not in the log\n";
        for (const ServiceLevelTarget& t : fit.targets)
            out << "      - {metric: service_level, within: " << duration(t.within_s)
                << ", goal: " << number(100 * t.goal, 4) << "%}\n";
    }

    out << "\ngroups:\n";
    for (std::size_t g = 0; g < fit.groups.size(); ++g) {
        const bool every = g >= fit.group_takes.size() || fit.group_takes[g].empty();
        out << "  " << yaml_name(fit.groups[g]) << ":\n    takes: [";
        if (every) {
            for (std::size_t k = 0; k < fit.classes.size(); ++k)
                out << (k ? ", " : "") << yaml_name(fit.classes[k].name);
        } else {
            for (std::size_t k = 0; k < fit.group_takes[g].size(); ++k)
                out << (k ? ", " : "") << yaml_name(fit.group_takes[g][k]);
        }
        const std::vector<std::string> none;
        const std::vector<std::string>& overflow = g < fit.group_overflow.size() ? fit.group_overflow[g] : none;
        for (const std::string& k : overflow) out << ", " << yaml_name(k);
        if (g < fit.group_agents.size() && fit.groups.size() > 1)
            out << "]   # " << fit.group_agents[g]
                << " agents: the classes that make up at least 5% of their calls (nested sets merged)"
                << (overflow.empty() ? "" : "; overflow: a class of which they answered at least 1%") << '\n';
        else if (g < fit.group_agents.size())
            out << "]   # every agent answers the same classes: one group\n";
        else
            out << "]   # every group of the staffing table takes every class\n";
        if (!overflow.empty()) {
            out << "    reserve: {keep: 1, for: [";
            for (std::size_t k = 0; k < fit.group_takes[g].size(); ++k)
                out << (k ? ", " : "") << yaml_name(fit.group_takes[g][k]);
            out << "]}   # the overflow only while more than one of them is idle\n";
        }
    }
    if (!fit.routing.empty()) {
        out << "\n# A call that finds people of several groups idle goes to the group that answered most of its "
               "class.\n"
               "routing:\n";
        for (const auto& [cls, order] : fit.routing) {
            out << "  " << yaml_name(cls) << ": [";
            for (std::size_t i = 0; i < order.size(); ++i) out << (i ? ", " : "") << yaml_name(order[i]);
            out << "]\n";
        }
    }

    // Roster lines: one per shift of each day; the same shift on the same weekday of consecutive
    // weeks is one line with a week range.
    out << "\n# Staffing " << fit.staffing_method << ".\n";
    if (fit.estimate)
        out << "# Each agent's calls (answer to end of handling) in a room are joined into a stretch of duty across\n"
               "# gaps of at most "
            << duration(fit.session_gap_s)
            << " in which no caller of a class the agent answers waited (an agent free\n"
               "# while such callers wait was not available); the agents on duty are averaged over each "
            << duration(fit.interval_s) << " and rounded\n# (" << fit.estimate->agents << " agents, "
            << fit.estimate->sessions
            << " stretches). A LOWER BOUND: agents logged in but answering nothing, and idle time before a\n"
               "# stretch's first call or after its last, are invisible in a call log.\n";
    if (!fit.gap_scores.empty()) {
        out << "# The gap was chosen from the data: the one whose staffing, through Erlang A interval by interval,\n"
               "# reproduces the abandonments seen best (sum of squared differences:";
        for (const GapScore& g : fit.gap_scores) out << ' ' << duration(g.gap_s) << ' ' << std::llround(g.score);
        out << ").\n";
        if (fit.group_gap_s.size() > 1) {
            out << "# Each group's gap, chosen so on the calls of the classes it serves first (the scores above: "
                << yaml_comment_text(fit.groups.front()) << "'s):";
            for (std::size_t g = 0; g < fit.group_gap_s.size(); ++g)
                out << ' ' << yaml_comment_text(fit.groups[g]) << ' ' << duration(fit.group_gap_s[g]);
            out << ".\n";
        }
    }
    if (fit.estimate) write_staffing_noise(out, fit.staffing_noise);
    out << "# One line per shift of each day (people of each level of staffing that day); days: the weekday,\n"
           "# weeks: which weeks of the period (week 1 starts on start_date).\nroster:\n";
    const int first_weekday = calllog::weekday_of_day(fit.first_day);
    using Key = std::tuple<std::size_t, std::string, int, double, double, int>;
    std::map<Key, std::vector<int>> weeks_of;
    std::vector<Key> order;
    for (const RosterBlock& b : fit.roster) {
        const int weekday = static_cast<int>((first_weekday + b.day) % 7);
        const Key key{b.room, b.group, weekday, b.start_s, b.length_s, b.headcount};
        auto [it, added] = weeks_of.try_emplace(key);
        if (added) order.push_back(key);
        it->second.push_back(static_cast<int>(b.day / 7) + 1);
    }
    for (const Key& key : order) {
        std::vector<int>& weeks = weeks_of[key];
        std::sort(weeks.begin(), weeks.end());
        weeks.erase(std::unique(weeks.begin(), weeks.end()), weeks.end());
        for (std::size_t i = 0; i < weeks.size();) {
            std::size_t j = i;
            while (j + 1 < weeks.size() && weeks[j + 1] == weeks[j] + 1) ++j;
            const auto& [room, group, weekday, start, length, headcount] = key;
            out << "  - {room: " << yaml_name(fit.rooms[room]) << ", group: " << yaml_name(group)
                << ", shift: {start: " << clock(start) << ", length: " << duration(length)
                << "}, days: " << day_names[weekday] << ", weeks: {from: " << weeks[i] << ", to: " << weeks[j]
                << "}, headcount: " << headcount << "}\n";
            i = j + 1;
        }
    }
    return out.str();
}

}  // namespace crsim::fit
