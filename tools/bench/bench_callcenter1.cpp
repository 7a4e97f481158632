// SimOpt's CALLCENTER-1 staffing problem, solved independently of `crsim staff`: Erlang A per
// half-hour for the agents that answer 80% of calls within 20 s, then a covering integer program
// over the shifts with their lunch positions, solved by COIN-OR CBC called directly (not through
// crsim::staffing). Also the problem's fluid bound, and the scenario file itself:
//
//   bench_callcenter1                                   # the independent solution and the fluid bound
//   bench_callcenter1 --scenario-out callcenter-1.yaml  # the scenario (scenarios/benchmarks/), roster = that solution
//   bench_callcenter1 --amplitude 400 --patience-mean 3 --last-start 7 --scenario-out variant.yaml
//
// The problem (README.md, "Benchmark: SimOpt CALLCENTER-1"): a day of `open` hours (16.5), arrivals
// λ(t) = base + amplitude·sin(π(3t − 16)/32) an hour, t in hours from opening; Gamma service (mean
// 6 min, shape 18) and patience (mean 2 min, shape 4); shifts of 8.5 h starting every 30 min from
// opening to 8 h after, each with a 30-min lunch starting 3 to 4.5 h into it; $18 an hour; 150
// trunks; in every hour at least 80% of the calls answered within 20 s.
//
// Erlang A takes exponential service and patience with the same means: the textbook approximation
// whose answer simulation then checks (it misses some hours, which is why crsim simulates).

#include <coin/Cbc_C_Interface.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "crsim/analytic/erlang.hpp"
#include "crsim/report/atomic_file.hpp"

namespace {

struct Problem {
    double base = 500, amplitude = 500;  // λ(t) = base + amplitude·sin(π(3t − 16)/32) calls an hour
    double open_h = 16.5;                // hours the centre is open each day
    double handle_mean_min = 6, handle_shape = 18;
    double patience_mean_min = 2, patience_shape = 4;
    double shift_h = 8.5, shift_every_h = 0.5, last_start_h = 8;
    double lunch_from_h = 3, lunch_to_h = 4.5, lunch_every_h = 0.5, lunch_h = 0.5;
    double cost_per_hour = 18;
    int trunks = 150;
    double within_s = 20, goal = 0.8;
    double period_h = 0.5;        // the Erlang A periods and the covering rows
    double profile_step_min = 5;  // the scenario's step approximation of λ(t)
    int opening_minute = 6 * 60;  // the clock time the centre opens in the scenario (06:00)
};

/// λ(t) an hour, t in hours from opening.
double rate(const Problem& p, double t) {
    return p.base + p.amplitude * std::sin(std::numbers::pi * (3 * t - 16) / 32);
}

/// The mean of λ over [a, b) hours from opening, exactly (the integral of the sine).
double mean_rate(const Problem& p, double a, double b) {
    const double k = 3 * std::numbers::pi / 32;
    const auto phase = [&](double t) { return std::numbers::pi * (3 * t - 16) / 32; };
    return p.base + p.amplitude * (std::cos(phase(a)) - std::cos(phase(b))) / (k * (b - a));
}

struct Shift {
    double start_h, lunch_after_h;
};

std::vector<Shift> shifts(const Problem& p) {
    std::vector<Shift> out;
    for (double s = 0; s <= p.last_start_h + 1e-9; s += p.shift_every_h)
        for (double l = p.lunch_from_h; l <= p.lunch_to_h + 1e-9; l += p.lunch_every_h) out.push_back({s, l});
    return out;
}

int periods(const Problem& p) { return static_cast<int>(std::ceil(p.open_h / p.period_h - 1e-9)); }

/// The share of period i that a person of `s` is on duty and not at lunch.
double coverage(const Problem& p, const Shift& s, int i) {
    const auto overlap = [](double a0, double a1, double b0, double b1) {
        return std::max(0.0, std::min(a1, b1) - std::max(a0, b0));
    };
    const double from = i * p.period_h, to = std::min(p.open_h, from + p.period_h);
    const double on = overlap(from, to, s.start_h, s.start_h + p.shift_h);
    const double lunch = overlap(from, to, s.start_h + s.lunch_after_h, s.start_h + s.lunch_after_h + p.lunch_h);
    return (on - lunch) / (to - from);
}

struct Solution {
    std::vector<int> headcount;  // per shift
    double cost = 0;
    int agents = 0;
    bool optimal = false;
};

/// min cost·Σx subject to Σ_s coverage(s, i)·x_s ≥ need_i in every period i, x integer ≥ 0, by CBC.
Solution cover(const Problem& p, const std::vector<Shift>& lines, const std::vector<double>& need) {
    const double cost = p.cost_per_hour * p.shift_h;
    std::vector<CoinBigIndex> start{0};
    std::vector<int> index;
    std::vector<double> value, lower(lines.size(), 0), upper(lines.size(), 1e4), objective(lines.size(), cost);
    for (const Shift& s : lines) {
        for (int i = 0; i < static_cast<int>(need.size()); ++i)
            if (const double c = coverage(p, s, i); c > 0) {
                index.push_back(i);
                value.push_back(c);
            }
        start.push_back(static_cast<CoinBigIndex>(index.size()));
    }
    std::vector<double> row_lower(need), row_upper(need.size(), 1e30);
    std::unique_ptr<Cbc_Model, void (*)(Cbc_Model*)> model(Cbc_newModel(), Cbc_deleteModel);
    Cbc_loadProblem(model.get(), static_cast<int>(lines.size()), static_cast<int>(need.size()), start.data(),
                    index.data(), value.data(), lower.data(), upper.data(), objective.data(), row_lower.data(),
                    row_upper.data());
    for (int j = 0; j < static_cast<int>(lines.size()); ++j) Cbc_setInteger(model.get(), j);
    Cbc_setLogLevel(model.get(), 0);
    Cbc_setParameter(model.get(), "log", "0");
    Cbc_setParameter(model.get(), "slog", "0");
    Cbc_setMaximumSeconds(model.get(), 120);
    Cbc_setAllowableGap(model.get(), 1e-7);
    Cbc_setAllowableFractionGap(model.get(), 1e-9);
    Cbc_solve(model.get());
    const double* x = Cbc_getColSolution(model.get());
    if (x == nullptr || Cbc_isProvenInfeasible(model.get())) throw std::runtime_error("CBC found no solution");
    Solution out;
    out.optimal = Cbc_isProvenOptimal(model.get()) != 0;
    for (std::size_t j = 0; j < lines.size(); ++j) {
        out.headcount.push_back(static_cast<int>(std::lround(x[j])));
        out.agents += out.headcount.back();
    }
    out.cost = out.agents * cost;
    return out;
}

std::string clock(const Problem& p, double hours_from_opening) {
    const int minute = p.opening_minute + static_cast<int>(std::lround(hours_from_opening * 60));
    char text[8];
    std::snprintf(text, sizeof text, "%02d:%02d", minute / 60 % 24, minute % 60);
    return text;
}

std::string duration(double hours) {
    const long minutes = std::lround(hours * 60);
    if (minutes % 60 == 0) return std::to_string(minutes / 60) + "h";
    if (minutes < 60) return std::to_string(minutes) + "min";
    return std::to_string(minutes / 60) + "h" + std::to_string(minutes % 60) + "min";
}

std::string line_name(const Problem& p, const Shift& s) {
    std::string start = clock(p, s.start_h), lunch = clock(p, s.start_h + s.lunch_after_h);
    start.erase(2, 1);
    lunch.erase(2, 1);
    return start + "-L" + lunch;  // start and lunch clock times, 10 characters as `crsim staff`'s table shows
}

std::string number(double v, int decimals) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return text;
}

void write_scenario(std::ostream& out, const Problem& p, const std::vector<Shift>& lines, const Solution& roster,
                    const std::string& command, const std::string& target_by) {
    const double step_h = p.profile_step_min / 60;
    const int steps_per_day = static_cast<int>(std::lround(24 / step_h));
    std::vector<double> profile(static_cast<std::size_t>(steps_per_day), 0.0);
    double per_day = 0;
    const int opening_step = static_cast<int>(std::lround(p.opening_minute / p.profile_step_min));
    for (int i = 0; i * step_h < p.open_h - 1e-9; ++i) {
        const double a = i * step_h, b = std::min(p.open_h, a + step_h);
        // Each step carries λ's exact mean over it (weighted by the share of the step the centre
        // is open), rounded to 0.01 of a call an hour; per_day is the sum of what the steps carry.
        const double v = std::round(mean_rate(p, a, b) * (b - a) / step_h * 100) / 100;
        profile[static_cast<std::size_t>(opening_step + i)] = v;
        per_day += v * step_h;
    }
    out << "# SimOpt's CALLCENTER-1 (a public staffing benchmark; README.md, \"Benchmark: SimOpt CALLCENTER-1\"),\n"
        << "# written by `" << command << "` (tools/bench/bench_callcenter1.cpp).\n#\n"
        << "# One day: the centre opens at " << clock(p, 0) << " for " << number(p.open_h, 1)
        << " hours. Calls arrive at lambda(t) = " << number(p.base, 0) << " + " << number(p.amplitude, 0)
        << " sin(pi (3t - 16) / 32) an hour, t in hours\n"
        << "# from opening, peak " << number(rate(p, 32.0 / 3), 0) << " an hour at t = 10.67 h. Service Gamma(mean "
        << number(p.handle_mean_min, 1) << " min, shape " << number(p.handle_shape, 0) << "), patience Gamma(mean "
        << number(p.patience_mean_min, 1) << " min, shape " << number(p.patience_shape, 0) << "),\n"
        << "# " << p.trunks
        << " trunks (calls waiting or talking; more are blocked and count against the service level).\n"
        << "# Target: in every hour of the day at least " << number(100 * p.goal, 0)
        << "% of the calls answered within " << number(p.within_s, 0) << " s.\n#\n"
        << "# The step approximation of lambda(t): " << number(p.profile_step_min, 0)
        << "-minute steps, each carrying lambda's exact mean over it (the integral,\n"
        << "# so every step's expected calls are exact). Within a step the true rate differs from the step by at\n"
        << "# most lambda' x step / 2 = " << number(p.amplitude * 3 * std::numbers::pi / 32 * step_h / 2, 1)
        << " calls an hour ("
        << number(100 * p.amplitude * 3 * std::numbers::pi / 32 * step_h / 2 / rate(p, 32.0 / 3), 1)
        << "% of the peak), well under the Poisson noise of an hour's\n"
        << "# count at the peak (" << number(100 / std::sqrt(rate(p, 32.0 / 3)), 1)
        << "%), and within a call's length: a finer step changes nothing\n"
        << "# measurable, while 30-minute steps would be off by up to "
        << number(p.amplitude * 3 * std::numbers::pi / 32 * 0.5 / 2, 0) << " calls an hour within a step.\n#\n"
        << "# Shifts: " << duration(p.shift_h) << " starting every " << duration(p.shift_every_h) << " from opening to "
        << duration(p.last_start_h) << " after, each with a " << duration(p.lunch_h) << " lunch starting\n"
        << "# " << duration(p.lunch_from_h) << " to " << duration(p.lunch_to_h) << " into it. Lunch positions are "
        << "modelled as candidate lines with fixed lunches: one roster line per\n"
        << "# (start, lunch start) pair, named START-LLUNCH (0930-L1300: 09:30 to 18:00, lunch 13:00-13:30),\n# "
        << lines.size() << " lines, exactly SimOpt's decision variables, so the "
        << "search chooses where\n"
        << "# lunches fall (staggered breaks would fix an even spread in advance instead). Paid: the whole shift,\n"
        << "# lunch included, at " << number(p.cost_per_hour, 0) << " an hour ("
        << number(p.cost_per_hour * p.shift_h, 0) << " a person a day).\n#\n"
        << "# The roster below is the independent solution (Erlang A per half-hour, then a covering integer\n"
        << "# program over these lines): " << roster.agents << " agents, " << number(roster.cost, 0)
        << " a day; `crsim run` shows how it fares in\n"
        << "# simulation, `crsim staff` varies every line. Each replication is one day.\n"
        << "name: callcenter-1\n"
        << "description: SimOpt CALLCENTER-1, a public call-centre staffing benchmark\n"
        << "currency: USD\n"
        << "horizon: 1d\n"
        << "replications: 10\n"
        << "seed: 1\n"
        << "profiles:\n"
        << "  lambda:\n"
        << "    interval: " << number(p.profile_step_min, 0) << "min\n"
        << "    by_day:\n";
    const char* days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (int d = 0; d < 7; ++d) {
        out << "      " << days[d] << ":";
        if (d > 0) {
            out << " *day\n";
            continue;
        }
        out << " &day [";
        for (int i = 0; i < steps_per_day; ++i) {
            out << (i == 0 ? "\n        " : i % 12 == 0 ? ",\n        " : ", ");
            out << number(profile[static_cast<std::size_t>(i)], 2);
        }
        out << "]\n";
    }
    out << "shift_patterns:\n";
    for (const Shift& s : lines)
        out << "  " << line_name(p, s) << ": {start: \"" << clock(p, s.start_h) << "\", length: " << duration(p.shift_h)
            << ", breaks: [{after: " << duration(s.lunch_after_h) << ", length: " << duration(p.lunch_h) << "}]}\n";
    out << "rooms:\n  centre: {trunks: " << p.trunks << "}\n"
        << "classes:\n"
        << "  calls:\n"
        << "    priority: 1\n"
        << "    arrivals: {per_day: " << number(per_day, 2) << ", profile: lambda}\n"
        << "    handle_time: {dist: gamma, mean: " << number(p.handle_mean_min * 60, 3)
        << "s, sd: " << number(p.handle_mean_min * 60 / std::sqrt(p.handle_shape), 3) << "s}\n"
        << "    patience: {dist: gamma, mean: " << number(p.patience_mean_min * 60, 3)
        << "s, sd: " << number(p.patience_mean_min * 60 / std::sqrt(p.patience_shape), 3) << "s}\n"
        << "    targets:\n"
        << "      - {metric: service_level, within: " << number(p.within_s, 0) << "s, goal: " << number(100 * p.goal, 0)
        << "%" << (target_by == "window" ? std::string() : ", by: " + target_by) << "}\n"
        << "groups:\n"
        << "  agents: {takes: [calls], cost_per_hour: " << number(p.cost_per_hour, 2) << "}\n"
        << "roster:\n";
    for (std::size_t j = 0; j < lines.size(); ++j)
        out << "  - {room: centre, group: agents, shift: " << line_name(p, lines[j])
            << ", headcount: " << roster.headcount[j] << "}\n";
    out << "staffing:\n"
        << "  vary:\n"
        << "    - {select: {group: agents}, min: 0, max: 60}\n"
        << "  confidence: 95%\n";
}

}  // namespace

int main(int argc, char** argv) {
    namespace po = boost::program_options;
    Problem p;
    std::string scenario_out, target_by = "hour_of_day";
    po::options_description options("bench_callcenter1: SimOpt CALLCENTER-1 by Erlang A and a covering program");
    options.add_options()("help,h", "this help")("base", po::value(&p.base),
                                                 "lambda's mean level, calls an hour (500)")(
        "amplitude", po::value(&p.amplitude), "lambda's amplitude, calls an hour (500)")(
        "open", po::value(&p.open_h), "hours open a day (16.5)")("handle-mean", po::value(&p.handle_mean_min),
                                                                 "mean service, minutes (6)")(
        "handle-shape", po::value(&p.handle_shape), "service Gamma shape (18)")(
        "patience-mean", po::value(&p.patience_mean_min), "mean patience, minutes (2)")(
        "patience-shape", po::value(&p.patience_shape), "patience Gamma shape (4)")(
        "shift-length", po::value(&p.shift_h), "hours (8.5)")("shift-every", po::value(&p.shift_every_h),
                                                              "hours between shift starts (0.5)")(
        "last-start", po::value(&p.last_start_h), "hours after opening of the last start (8)")(
        "lunch-from", po::value(&p.lunch_from_h), "earliest lunch start into the shift, hours (3)")(
        "lunch-to", po::value(&p.lunch_to_h), "latest lunch start, hours (4.5)")(
        "lunch-every", po::value(&p.lunch_every_h), "hours between lunch positions (0.5)")(
        "lunch-length", po::value(&p.lunch_h), "hours (0.5)")("cost-per-hour", po::value(&p.cost_per_hour), "(18)")(
        "trunks", po::value(&p.trunks), "(150)")("within", po::value(&p.within_s), "seconds (20)")(
        "goal", po::value(&p.goal), "share (0.8)")("profile-step", po::value(&p.profile_step_min),
                                                   "the scenario's step of lambda, minutes (5)")(
        "scenario-out", po::value(&scenario_out), "write the scenario YAML there")(
        "target-by", po::value(&target_by), "the target's `by:` (hour_of_day), or `window`: none");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
    } catch (const std::exception& e) {
        std::cerr << "bench_callcenter1: " << e.what() << '\n';
        return 2;
    }
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    std::string command = "bench_callcenter1";
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) != "--scenario-out" && (i == 1 || std::string(argv[i - 1]) != "--scenario-out"))
            command += std::string(" ") + argv[i];

    const std::vector<Shift> lines = shifts(p);
    const int n = periods(p);
    std::vector<double> erlang(static_cast<std::size_t>(n)), fluid(static_cast<std::size_t>(n));
    std::vector<double> lambda(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const double a = i * p.period_h, b = std::min(p.open_h, a + p.period_h);
        lambda[static_cast<std::size_t>(i)] = mean_rate(p, a, b);
        crsim::analytic::ErlangDemand d;
        d.arrivals_per_hour = lambda[static_cast<std::size_t>(i)];
        d.handle_mean_s = p.handle_mean_min * 60;
        d.patience_mean_s = p.patience_mean_min * 60;
        erlang[static_cast<std::size_t>(i)] = crsim::analytic::staff_for_service_level(d, p.within_s, p.goal).agents;
        // The fluid bound: busy agents for the share of calls the goal needs answered.
        fluid[static_cast<std::size_t>(i)] = p.goal * lambda[static_cast<std::size_t>(i)] * p.handle_mean_min / 60;
    }
    const Solution independent = cover(p, lines, erlang);
    const Solution bound = cover(p, lines, fluid);

    std::printf("CALLCENTER-1: %zu lines (%g-h shifts every %g h to %g h, lunch %g-%g h in), %d half-hours\n",
                lines.size(), p.shift_h, p.shift_every_h, p.last_start_h, p.lunch_from_h, p.lunch_to_h, n);
    std::printf("%-13s %8s %9s %7s %8s\n", "half-hour", "lambda/h", "Erlang A", "fluid", "covered");
    for (int i = 0; i < n; ++i) {
        double covered = 0;
        for (std::size_t j = 0; j < lines.size(); ++j) covered += coverage(p, lines[j], i) * independent.headcount[j];
        std::printf("%s-%s %8.1f %9.0f %7.2f %8.1f\n", clock(p, i * p.period_h).c_str(),
                    clock(p, std::min(p.open_h, (i + 1) * p.period_h)).c_str(), lambda[static_cast<std::size_t>(i)],
                    erlang[static_cast<std::size_t>(i)], fluid[static_cast<std::size_t>(i)], covered);
    }
    std::printf("independent solution (Erlang A + covering IP, %s): %d agents, cost %.0f a day\n",
                independent.optimal ? "optimal" : "not proven optimal", independent.agents, independent.cost);
    for (std::size_t j = 0; j < lines.size(); ++j)
        if (independent.headcount[j] > 0)
            std::printf("  %-26s %d\n", line_name(p, lines[j]).c_str(), independent.headcount[j]);
    std::printf("fluid bound (cover %g x lambda x %g h busy agents per half-hour, %s): %d agents, cost %.0f a day\n",
                p.goal, p.handle_mean_min / 60, bound.optimal ? "optimal" : "not proven optimal", bound.agents,
                bound.cost);
    if (!scenario_out.empty()) {
        std::ostringstream text;
        write_scenario(text, p, lines, independent, command, target_by);
        try {
            crsim::report::write_file_atomically(scenario_out, text.str());
        } catch (const std::exception& e) {
            std::cerr << "bench_callcenter1: " << e.what() << '\n';
            return 1;
        }
        std::printf("wrote %s\n", scenario_out.c_str());
    }
    return 0;
}
