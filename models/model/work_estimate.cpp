#include "crsim/model/work_estimate.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "crsim/model/replication_result.hpp"

namespace crsim::model {

namespace {

// Rough sizes, measured on the model's structures with their vectors' slack: a call in the
// system (its record, queue entry and timers), a person (record, idle-list entry, ledger share),
// and a class's wait histogram.
constexpr double bytes_per_call = 256;
constexpr double bytes_per_person = 256;
constexpr double bytes_per_histogram = 64 * 1024;
// Engine events per call attempt: arrival, overflow, answer or abandon, end of work, and spare.
constexpr double events_per_call = 6;

std::string number(double x) {
    std::ostringstream os;
    os.precision(3);
    os << x;
    return os.str();
}

std::string bytes(double b) {
    constexpr const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
    std::size_t u = 0;
    while (b >= 1024 && u + 1 < std::size(units)) {
        b /= 1024;
        ++u;
    }
    return number(b) + " " + units[u];
}

/// Attempts per caller at most: the first and the redials after abandoning.
double attempts_per_caller(const RedialSpec& r) {
    const double max_attempts = std::max(1, r.max_attempts);
    if (r.share >= 1) return max_attempts;
    return std::min(max_attempts, 1 / (1 - r.share));
}

std::string class_path(const ClassSpec& c, const char* key) { return "classes." + c.name + "." + key; }

/// Keeps the largest contribution and its key.
struct Largest {
    double value = -1;
    std::string key;
    void offer(double v, std::string k) {
        if (v > value) {
            value = v;
            key = std::move(k);
        }
    }
};

}  // namespace

WorkEstimate estimate_work(const ScenarioSpec& spec) {
    WorkEstimate w;
    const double horizon = std::max(spec.horizon_s, 0.0);
    const double weeks = horizon / seconds_per_week;
    const double days = std::ceil(horizon / seconds_per_day);
    const double periods = days + std::ceil(weeks) + 168;

    // Calls, and those that may be in the system at once (all of them for a class whose callers
    // never hang up: with too few staff its queue only grows).
    Largest calls_key;
    double in_flight = 0;
    for (const ClassSpec& c : spec.classes) {
        const double callers =
            c.arrivals.times_s.empty() ? c.arrivals.per_week * weeks : static_cast<double>(c.arrivals.times_s.size());
        // Call-back tasks (callback_spec.hpp) are calls too, each tried up to max_attempts times.
        const double callback_attempts = (c.callback ? c.callback->attempts.max_attempts : 0) +
                                         (c.abandoned_callback ? c.abandoned_callback->attempts.max_attempts : 0);
        const double attempts = attempts_per_caller(c.redial) * (1 + callback_attempts);
        const double calls = callers * attempts;
        w.calls += calls;
        calls_key.offer(calls, attempts >= 100 ? class_path(c, "redial.max_attempts") : class_path(c, "arrivals"));
        const double window =
            c.patience ? std::min(horizon, std::max(seconds_per_day, 100 * std::abs(c.patience->mean()))) : horizon;
        in_flight += horizon > 0 ? calls * window / horizon : 0;
    }
    // Surges add calls: a scheduled one its extra rate over its length (at the profile's peak, an
    // upper side), random incidents their mean extra calls.
    for (std::size_t i = 0; i < spec.demand.surges.size(); ++i) {
        const ScheduledSurgeSpec& g = spec.demand.surges[i];
        for (std::size_t k = 0; k < spec.classes.size() && k < g.multipliers.size(); ++k) {
            const ArrivalSpec& a = spec.classes[k].arrivals;
            double peak = 1;
            if (!a.profile.empty()) {
                double sum = 0, top = 0;
                for (const double v : a.profile) sum += v, top = std::max(top, v);
                peak = sum > 0 ? top * static_cast<double>(a.profile.size()) / sum : 1;
            }
            const double calls = (g.multipliers[k] - 1) * a.per_week * peak * (g.to_s - g.from_s) / seconds_per_week;
            w.calls += calls;
            calls_key.offer(calls, "surges[" + std::to_string(i) + "].multipliers");
        }
    }
    for (std::size_t i = 0; i < spec.demand.random_surges.size(); ++i) {
        const RandomSurgeSpec& rule = spec.demand.random_surges[i];
        double per_incident = 0;
        for (const double x : rule.extra_calls) per_incident += x;
        const double calls = rule.per_week * weeks * per_incident;
        w.calls += calls;
        in_flight += calls;
        calls_key.offer(calls, "random_surges[" + std::to_string(i) + "].extra_calls");
    }
    // Items of deferrable work: like calls that never hang up.
    for (const DeferrableSpec& d : spec.deferrables) {
        const double items =
            d.arrivals.times_s.empty() ? d.arrivals.per_week * weeks : static_cast<double>(d.arrivals.times_s.size());
        w.calls += items;
        calls_key.offer(items, "deferrable." + d.name + ".arrivals");
        in_flight += items;
    }
    w.calls_key = calls_key.key;

    // People at once, and the events of their shifts.
    Largest people_key;
    double shift_events = 0;
    for (std::size_t i = 0; i < spec.shifts.size(); ++i) {
        const ShiftSpec& s = spec.shifts[i];
        const double headcount = std::max(0, s.headcount);
        w.people += headcount;
        const std::string key = "shifts[" + std::to_string(i) + "].headcount";
        people_key.offer(headcount, key);
        if (!std::isfinite(s.length_s)) {
            shift_events += 2 * headcount;
            continue;
        }
        const double days_a_week = static_cast<double>(std::count(s.days.begin(), s.days.end(), true));
        const double last_week = std::min(static_cast<double>(s.to_week), std::ceil(weeks));
        const double active_weeks = std::max(0.0, last_week - s.from_week + 1);
        shift_events += days_a_week * active_weeks * headcount * (2 + 2 * static_cast<double>(s.breaks.size()));
    }
    double timer_events = days;
    Largest timer_key;
    timer_key.offer(w.calls * events_per_call, w.calls_key);
    timer_key.offer(shift_events, people_key.key);
    for (std::size_t i = 0; i < spec.call_ins.size(); ++i) {
        const CallInSpec& c = spec.call_ins[i];
        const std::string path = "call_ins[" + std::to_string(i) + "]";
        // While a queue stays long, a call-in can follow every `for`; each brings `people` for `length`.
        const double sustained = std::max(c.sustained_s, 1e-300);
        const double timers = horizon / sustained;
        const double at_once = static_cast<double>(std::max(1, c.people)) * std::ceil(c.length_s / sustained);
        w.people += at_once;
        const auto people = static_cast<double>(std::max(1, c.people));
        // The key to blame: the people when they outnumber the call-ins, else the timer.
        const std::string key =
            path + (people > timers || people > std::ceil(c.length_s / sustained) ? ".people" : ".for");
        people_key.offer(at_once, key);
        timer_events += timers * (1 + 2 * people);
        timer_key.offer(timers * (1 + 2 * people), key);
    }
    w.people_key = people_key.key;
    w.events = w.calls * events_per_call + shift_events + timer_events;
    w.events_key = timer_key.key;

    // Memory: the period series of the counts (classes, and staff per room, group and both), the
    // people, the calls in the system, the per-week overtime ledgers.
    double thresholds = 0;
    for (const ClassSpec& c : spec.classes) thresholds += static_cast<double>(c.thresholds_s.size());
    const auto n_classes = static_cast<double>(spec.classes.size());
    const auto n_groups = static_cast<double>(spec.groups.size());
    const auto n_rooms = static_cast<double>(spec.rooms.size());
    const double class_series = periods * (n_classes * sizeof(ClassCounts) + thresholds * sizeof(std::uint64_t));
    const double staff_series = periods * (n_groups + n_rooms) * sizeof(StaffCounts);
    const double ledgers = periods * n_groups * n_rooms * sizeof(StaffCounts);
    const double overtime =
        std::ceil(weeks + 1) * static_cast<double>(spec.shifts.size() + spec.call_ins.size()) * sizeof(double);
    const double histograms = n_classes * bytes_per_histogram;
    w.result_bytes = 2 * (class_series + staff_series);  // the counts, and the figures made of them
    const double people_bytes = w.people * bytes_per_person;
    const double call_bytes = in_flight * bytes_per_call;
    const double period_bytes = class_series + staff_series + ledgers + overtime + histograms;
    w.memory_bytes = people_bytes + call_bytes + period_bytes;
    Largest memory_key;
    memory_key.offer(period_bytes, "horizon");
    memory_key.offer(people_bytes, w.people_key);
    memory_key.offer(call_bytes, w.calls_key);
    w.memory_key = memory_key.key;
    return w;
}

WorkLimits WorkLimits::for_this_machine() {
    WorkLimits limits;
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long page_size = ::sysconf(_SC_PAGESIZE);
    double memory = pages > 0 && page_size > 0 ? static_cast<double>(pages) * static_cast<double>(page_size)
                                               : std::numeric_limits<double>::infinity();
    for (const int resource : {RLIMIT_AS, RLIMIT_DATA}) {
        rlimit limit{};
        if (::getrlimit(resource, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
            memory = std::min(memory, static_cast<double>(limit.rlim_cur));
    }
    limits.max_memory_bytes = memory;
    return limits;
}

std::vector<WorkProblem> check_work(const ScenarioSpec& spec, std::size_t replications, std::size_t threads,
                                    const WorkLimits& limits) {
    const WorkEstimate w = estimate_work(spec);
    const auto reps = static_cast<double>(std::max<std::size_t>(replications, 1));
    const auto workers = std::min(reps, static_cast<double>(std::max<std::size_t>(threads, 1)));
    std::vector<WorkProblem> problems;
    const double run_calls = w.calls * reps;
    if (!(run_calls <= limits.max_calls_per_run)) {
        const std::string limit = "beyond the limit of " + number(limits.max_calls_per_run) + " calls in a run";
        if (!(w.calls <= limits.max_calls_per_run))
            problems.push_back(
                {w.calls_key, "about " + number(w.calls) + " call attempts in one replication, " + limit});
        else
            problems.push_back({"replications", number(reps) + " replications of about " + number(w.calls) +
                                                    " call attempts each make " + number(run_calls) + ", " + limit});
    }
    if (!(w.events <= limits.max_events_per_replication))
        problems.push_back({w.events_key, "about " + number(w.events) +
                                              " events in one replication, beyond the limit of " +
                                              number(limits.max_events_per_replication)});
    if (!(w.people <= limits.max_people))
        problems.push_back({w.people_key, "about " + number(w.people) +
                                              " people on duty at once, beyond the limit of " +
                                              number(limits.max_people)});
    const double run_memory = workers * w.memory_bytes + reps * w.result_bytes;
    if (limits.max_memory_bytes > 0 && !(run_memory <= limits.max_memory_bytes)) {
        // The replications are to blame when their kept results outweigh the rest, and there are
        // more than a few of them; otherwise what makes one replication big.
        const bool by_replications = reps > 10 && reps * w.result_bytes > workers * w.memory_bytes;
        problems.push_back({by_replications ? std::string("replications") : w.memory_key,
                            "the run would need about " + bytes(run_memory) + " of memory (" + bytes(w.memory_bytes) +
                                " for each of the " + number(workers) + " replications running at once, " +
                                bytes(reps * w.result_bytes) + " for the results kept), beyond the " +
                                bytes(limits.max_memory_bytes) + " this machine has"});
    }
    return problems;
}

std::uint64_t event_budget(const WorkEstimate& estimate) {
    const double budget = 1e8 + 100 * estimate.events;
    return budget >= 1.8e19 ? std::numeric_limits<std::uint64_t>::max() : static_cast<std::uint64_t>(budget);
}

}  // namespace crsim::model
