// The summary across replications and its writers, on three hand-made replications whose figures
// can be worked out on paper.
#include "crsim/model/atomic_file.hpp"
#include "crsim/model/result_set.hpp"
#include "crsim/model/report.hpp"
#include "crsim/model/summary.hpp"

#include <nlohmann/json.hpp>

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace crsim::model;
namespace fs = std::filesystem;

namespace {

constexpr double undefined = std::numeric_limits<double>::quiet_NaN();

// Student-t 0.975 quantiles in closed form: df 1 is Cauchy, tan(0.475 pi); df 2 is
// (2p - 1) / sqrt(2p(1 - p)) with p = 0.975. Independent of the library under test.
const double t1 = std::tan(0.475 * std::numbers::pi);
const double t2 = 0.95 / std::sqrt(2 * 0.975 * 0.025);

TargetSpec target(TargetSpec::Metric metric, double goal, double threshold_s = 0) {
    TargetSpec t;
    t.metric = metric;
    t.goal = goal;
    t.threshold_s = threshold_s;
    return t;
}

/// Two classes, two groups (one with a comma in its name, for CSV quoting), one room.
ScenarioSpec make_spec() {
    ScenarioSpec spec;
    spec.name = "hand-made";
    spec.sha256 = "abc123";
    ClassSpec c999;
    c999.name = "999";
    c999.thresholds_s = {10};
    c999.targets = {target(TargetSpec::Metric::service_level, 0.87, 10),
                    target(TargetSpec::Metric::service_level, 0.5, 10),
                    target(TargetSpec::Metric::service_level, 0.95, 10)};
    ClassSpec c101;
    c101.name = "101";
    c101.thresholds_s = {7.5, 180};
    c101.targets = {target(TargetSpec::Metric::abandoned_pct, 8), target(TargetSpec::Metric::asa, 60),
                    target(TargetSpec::Metric::asa, 6)};
    spec.classes = {c999, c101};
    spec.groups = {GroupSpec{}, GroupSpec{}};
    spec.groups[0].name = "handlers";
    spec.groups[1].name = "officers, restricted";
    spec.rooms = {RoomSpec{"north"}};
    return spec;
}

ClassCounts counts(std::uint64_t offered, std::uint64_t answered, std::uint64_t abandoned,
                   std::vector<std::uint64_t> within, double answered_wait_s, double queue_time_s) {
    ClassCounts c;
    c.offered = offered;
    c.answered = answered;
    c.abandoned = abandoned;
    c.answered_within = std::move(within);
    c.answered_wait_s = answered_wait_s;
    c.queue_time_s = queue_time_s;
    return c;
}

StaffCounts staff(double paid_s, double available_s, double busy_s, double cost, std::uint64_t handled) {
    StaffCounts s;
    s.paid_s = paid_s;
    s.available_s = available_s;
    s.busy_s = busy_s;
    s.cost = cost;
    s.handled = handled;
    return s;
}

/// Replication r (0, 1 or 2). Both classes see the same calls:
///   r0: 100 offered, 95 answered, 5 abandoned (5%),  asa 5 s,  mean queue 6 s,  p50 2 s, max 30 s
///   r1: 200 offered, 180 answered, 20 abandoned (10%), asa 10 s, mean queue 12 s, p50 4 s, max 50 s
///   r2: nothing offered, so every ratio and quantile is undefined (max_wait_s left at 0 by the model).
/// 999 answers 90 / 170 / 0 within 10 s (service level 0.9, 0.85, undefined).
/// handlers: occupancy 0.5, 0.8, undefined (nobody on duty in r2); paid 10 h, 10 h, 0 h.
/// officers: occupancy 0.5, 1.0, undefined (on duty 1 h in r2, all of it on a break).
/// Periods: two days (the second with no calls), one week, 168 hours of the week.
ReplicationResult make_replication(int r) {
    ReplicationResult result;
    ClassResult a, b;
    if (r == 0) {
        a.counts = counts(100, 95, 5, {90}, 475, 600);
        b.counts = counts(100, 95, 5, {80, 95}, 475, 600);
        a.wait_p50_s = b.wait_p50_s = 2;
        a.wait_p90_s = b.wait_p90_s = 8;
        a.wait_p95_s = b.wait_p95_s = 12;
        a.wait_p99_s = b.wait_p99_s = 20;
        a.max_wait_s = b.max_wait_s = 30;
    } else if (r == 1) {
        a.counts = counts(200, 180, 20, {170}, 1800, 2400);
        b.counts = counts(200, 180, 20, {150, 180}, 1800, 2400);
        a.wait_p50_s = b.wait_p50_s = 4;
        a.wait_p90_s = b.wait_p90_s = 10;
        a.wait_p95_s = b.wait_p95_s = 14;
        a.wait_p99_s = b.wait_p99_s = 24;
        a.max_wait_s = b.max_wait_s = 50;
    } else {
        a.counts = counts(0, 0, 0, {0}, 0, 0);
        b.counts = counts(0, 0, 0, {0, 0}, 0, 0);
        a.wait_p50_s = a.wait_p90_s = a.wait_p95_s = a.wait_p99_s = undefined;
        b.wait_p50_s = b.wait_p90_s = b.wait_p95_s = b.wait_p99_s = undefined;
    }
    result.classes = {a, b};
    const StaffCounts handlers = r == 0   ? staff(36000, 30000, 15000, 250, 50)
                                 : r == 1 ? staff(36000, 30000, 24000, 250, 80)
                                          : staff(0, 0, 0, 0, 0);
    const StaffCounts officers = r == 0   ? staff(7200, 7200, 3600, 40, 10)
                                 : r == 1 ? staff(7200, 7200, 7200, 40, 20)
                                          : staff(3600, 0, 0, 20, 0);
    result.groups = {handlers, officers};
    result.rooms = {handlers};

    const auto series = [&](std::size_t periods, std::size_t busy_period) {
        PeriodSeries s;
        s.classes = {std::vector<ClassCounts>(periods, counts(0, 0, 0, {0}, 0, 0)),
                     std::vector<ClassCounts>(periods, counts(0, 0, 0, {0, 0}, 0, 0))};
        s.classes[0][busy_period] = a.counts;
        s.classes[1][busy_period] = b.counts;
        s.groups = {std::vector<StaffCounts>(periods), std::vector<StaffCounts>(periods)};
        s.groups[0][busy_period] = handlers;
        s.groups[1][busy_period] = officers;
        s.rooms = {std::vector<StaffCounts>(periods)};
        s.rooms[0][busy_period] = handlers;
        return s;
    };
    result.days = series(2, 0);
    result.weeks = series(1, 0);
    result.hours_of_week = series(168, 9);
    return result;
}

std::vector<ReplicationResult> three_replications() { return {make_replication(0), make_replication(1), make_replication(2)}; }

using Json = nlohmann::ordered_json;

/// Parses JSON strictly (no NaN, no trailing commas), throwing on malformed output.
Json parse_json(const std::string& text) { return Json::parse(text); }

/// An object's keys in document order.
std::vector<std::string> keys(const Json& object) {
    std::vector<std::string> out;
    for (const auto& [key, value] : object.items()) out.push_back(key);
    return out;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

/// A fresh empty directory under the system's temporary directory, removed when the test ends.
struct TempDir {
    fs::path path;
    TempDir() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("crsim-test-report-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ignored);
        fs::remove_all(path, ignored);
    }
    std::vector<std::string> entries() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }
};

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_SUITE("summary") {
    TEST_CASE("figures are the mean over replications with a Student-t half-width") {
        const ScenarioSpec spec = make_spec();
        const auto results = three_replications();
        const Summary s = summarise(spec, results, 42);

        CHECK(s.scenario == "hand-made");
        CHECK(s.scenario_sha256 == "abc123");
        CHECK(s.seed == 42);
        CHECK(s.replications == 3);
        REQUIRE(s.classes.size() == 2);
        const ClassFigures<Figure>& f = s.classes[0].figures;

        // Counts are defined in every replication: 100, 200, 0 → mean 100, sd 100.
        CHECK(f.offered.n == 3);
        CHECK(f.offered.mean == doctest::Approx(100));
        CHECK(f.offered.ci95 == doctest::Approx(t2 * 100 / std::sqrt(3.0)));
        CHECK(f.abandoned.mean == doctest::Approx(25.0 / 3));

        // Ratios are undefined in r2 (nothing offered) and left out: 5% and 10%, n = 2, sd = 2.5·√2.
        CHECK(f.abandoned_pct.n == 2);
        CHECK(f.abandoned_pct.mean == doctest::Approx(7.5));
        CHECK(f.abandoned_pct.ci95 == doctest::Approx(t1 * 2.5));
        REQUIRE(f.service_level.size() == 1);
        CHECK(f.service_level[0].mean == doctest::Approx(0.875));
        CHECK(f.service_level[0].ci95 == doctest::Approx(t1 * 0.025));
        CHECK(f.asa_s.mean == doctest::Approx(7.5));
        CHECK(f.mean_queue_s.mean == doctest::Approx(9));
        CHECK(f.mean_queue_s.ci95 == doctest::Approx(t1 * 3));

        // Quantiles are each replication's own, averaged; r2's are undefined, and so is its
        // maximum although the model left 0 there.
        CHECK(f.wait_p50_s.n == 2);
        CHECK(f.wait_p50_s.mean == doctest::Approx(3));
        CHECK(f.wait_p99_s.mean == doctest::Approx(22));
        CHECK(f.max_wait_s.n == 2);
        CHECK(f.max_wait_s.mean == doctest::Approx(40));
        CHECK(f.max_wait_s.ci95 == doctest::Approx(t1 * 10));

        const ClassFigures<Figure>& g = s.classes[1].figures;
        REQUIRE(g.service_level.size() == 2);
        CHECK(g.service_level[0].mean == doctest::Approx(0.775));  // 0.80 and 0.75 within 7.5 s
        CHECK(g.service_level[1].mean == doctest::Approx(0.925));  // 0.95 and 0.90 within 180 s
    }

    TEST_CASE("staff figures leave out replications with nobody available") {
        const Summary s = summarise(make_spec(), three_replications(), 1);
        REQUIRE(s.groups.size() == 2);
        const StaffFigures<Figure>& handlers = s.groups[0].figures;
        CHECK(handlers.occupancy.n == 2);
        CHECK(handlers.occupancy.mean == doctest::Approx(0.65));
        CHECK(handlers.occupancy.ci95 == doctest::Approx(t1 * 0.15));
        CHECK(handlers.paid_hours.n == 3);
        CHECK(handlers.paid_hours.mean == doctest::Approx(20.0 / 3));
        CHECK(handlers.handled.mean == doctest::Approx(130.0 / 3));
        CHECK(handlers.cost.mean == doctest::Approx(500.0 / 3));
        const StaffFigures<Figure>& officers = s.groups[1].figures;
        CHECK(officers.occupancy.n == 2);  // r2 paid an hour but had nobody available
        CHECK(officers.occupancy.mean == doctest::Approx(0.75));
        CHECK(officers.paid_hours.mean == doctest::Approx(5.0 / 3));
        REQUIRE(s.rooms.size() == 1);
        CHECK(s.rooms[0].name == "north");
        CHECK(s.rooms[0].figures.occupancy.mean == doctest::Approx(0.65));
    }

    TEST_CASE("targets report met, p_met and confident for minima and maxima") {
        const Summary s = summarise(make_spec(), three_replications(), 1);
        REQUIRE(s.targets.size() == 6);
        const auto check = [&](std::size_t i, const char* cls, bool met, double p_met, bool confident) {
            CAPTURE(i);
            CHECK(s.targets[i].class_name == cls);
            CHECK(s.targets[i].met == met);
            CHECK(s.targets[i].p_met == doctest::Approx(p_met));
            CHECK(s.targets[i].confident == confident);
        };
        // 999 service level within 10 s: mean 0.875 ± 0.318, replications 0.90 and 0.85.
        check(0, "999", true, 0.5, false);   // >= 0.87: met, but the lower edge 0.557 is below
        check(1, "999", true, 1.0, true);    // >= 0.5: the lower edge 0.557 is above
        check(2, "999", false, 0.0, false);  // >= 0.95: neither replication reaches it
        CHECK(s.targets[0].threshold_s == 10);
        CHECK(s.targets[0].value.mean == doctest::Approx(0.875));
        // 101 abandonment 7.5 ± 31.8 % and ASA 7.5 ± 31.8 s; replications 5 and 10.
        check(3, "101", true, 0.5, false);  // abandoned_pct <= 8: the upper edge 39 is above
        check(4, "101", true, 1.0, true);   // asa_s <= 60: the upper edge 39 is below
        check(5, "101", false, 0.5, false);  // asa_s <= 6: r0's 5 s meets it, r1's 10 s does not
        CHECK(std::isnan(s.targets[3].threshold_s));
        CHECK(metric_name(s.targets[3].metric) == "abandoned_pct");
        CHECK(metric_name(s.targets[4].metric) == "asa_s");
    }

    TEST_CASE("one replication gives means without half-widths, and no target is confident") {
        const std::vector<ReplicationResult> one{make_replication(0)};
        const Summary s = summarise(make_spec(), one, 1);
        CHECK(s.classes[0].figures.offered.mean == 100);
        CHECK(s.classes[0].figures.offered.n == 1);
        CHECK(std::isnan(s.classes[0].figures.offered.ci95));
        CHECK(std::isnan(s.groups[0].figures.occupancy.ci95));
        CHECK(s.targets[1].met);
        CHECK(s.targets[1].p_met == 1);
        CHECK_FALSE(s.targets[1].confident);
    }

    TEST_CASE("a figure undefined in every replication has no mean and no half-width") {
        const std::vector<ReplicationResult> empty{make_replication(2)};
        const Summary s = summarise(make_spec(), empty, 1);
        CHECK(s.classes[0].figures.asa_s.n == 0);
        CHECK(std::isnan(s.classes[0].figures.asa_s.mean));
        CHECK(std::isnan(s.targets[0].p_met));
        CHECK_FALSE(s.targets[0].met);
        CHECK(s.classes[0].figures.offered.mean == 0);
    }

    TEST_CASE("period figures are summarised per period, undefined ones with n = 0") {
        const Summary s = summarise(make_spec(), three_replications(), 1);
        REQUIRE(s.days.classes.size() == 2);
        REQUIRE(s.days.classes[0].size() == 2);
        CHECK(s.days.classes[0][0].abandoned_pct.mean == doctest::Approx(7.5));
        CHECK(s.days.classes[0][1].offered.mean == 0);
        CHECK(s.days.classes[0][1].offered.n == 3);
        CHECK(s.days.classes[0][1].abandoned_pct.n == 0);
        CHECK(s.hours_of_week.groups[0].size() == 168);
        CHECK(s.hours_of_week.groups[0][9].occupancy.mean == doctest::Approx(0.65));
        CHECK(s.weeks.rooms[0][0].paid_hours.mean == doctest::Approx(20.0 / 3));
    }

    TEST_CASE("days and weeks wholly inside the warm-up are not reported") {
        ScenarioSpec spec = make_spec();
        spec.warmup_s = seconds_per_day;  // day 1 is all warm-up; week 1 is not
        const Summary s = summarise(spec, three_replications(), 1);
        CHECK(s.days.classes[0][0].offered.n == 0);
        CHECK(s.days.classes[0][0].service_level.size() == 1);  // same shape, only undefined
        CHECK(s.days.classes[0][1].offered.n == 3);
        CHECK(s.days.groups[0][0].paid_hours.n == 0);
        CHECK(s.weeks.classes[0][0].offered.n == 3);
        CHECK(s.hours_of_week.classes[0][0].offered.n == 3);  // cyclic: every hour has results
        std::ostringstream out;
        write_periods_csv(out, s);
        CHECK(out.str().find(",day,1,") == std::string::npos);
        CHECK(out.str().find(",day,2,") != std::string::npos);
    }

    TEST_CASE("a result that does not match the scenario is refused") {
        auto results = three_replications();
        results[1].classes[0].counts.answered_within.clear();
        CHECK_THROWS_AS(summarise(make_spec(), results, 1), std::invalid_argument);
        results = three_replications();
        results[0].groups.pop_back();
        CHECK_THROWS_AS(summarise(make_spec(), results, 1), std::invalid_argument);
    }
}

TEST_SUITE("report") {
    TEST_CASE("numbers are written in their shortest round-trip form and thresholds as keys") {
        CHECK(format_number(0.1) == "0.1");
        CHECK(format_number(120) == "120");
        CHECK(format_number(1.0 / 3) == "0.3333333333333333");
        CHECK(format_number(undefined).empty());
        CHECK(format_number(std::numeric_limits<double>::infinity()).empty());
        CHECK(threshold_label(10) == "10s");
        CHECK(threshold_label(180) == "180s");
        CHECK(threshold_label(7.5) == "7.5s");
    }

    TEST_CASE("summary.json has the documented shape, keys in order, null for undefined") {
        Summary s = summarise(make_spec(), three_replications(), 42);
        s.scenario = "quote \" and \\ and \n";  // escaping
        std::ostringstream out;
        write_summary_json(out, s);
        const Json root = parse_json(out.str());

        CHECK(keys(root) == std::vector<std::string>{"scenario", "crsim_version", "scenario_sha256", "seed",
                                                      "replications", "classes", "groups", "rooms", "targets"});
        CHECK(root.at("scenario").get<std::string>() == s.scenario);
        CHECK(root.at("crsim_version").get<std::string>() == CRSIM_VERSION);
        CHECK(root.at("scenario_sha256").get<std::string>() == "abc123");
        CHECK(root.at("seed").get<double>() == 42);
        CHECK(root.at("replications").get<double>() == 3);
        CHECK(keys(root.at("classes")) == std::vector<std::string>{"999", "101"});
        CHECK(keys(root.at("classes").at("999")) ==
              std::vector<std::string>{"offered", "first_attempts", "repeats", "answered", "abandoned", "abandoned_pct", "callers_lost", "service_level", "asa_s",
                                       "mean_queue_s", "wait_p50_s", "wait_p90_s", "wait_p95_s", "wait_p99_s",
                                       "max_wait_s"});
        CHECK(keys(root.at("classes").at("101").at("service_level")) == std::vector<std::string>{"7.5s", "180s"});
        const Json& sl = root.at("classes").at("999").at("service_level").at("10s");
        CHECK(keys(sl) == std::vector<std::string>{"mean", "ci95"});
        // Written with enough digits to read back exactly.
        CHECK(sl.at("mean").get<double>() == s.classes[0].figures.service_level[0].mean);
        CHECK(sl.at("ci95").get<double>() == s.classes[0].figures.service_level[0].ci95);
        CHECK(keys(root.at("groups")) == std::vector<std::string>{"handlers", "officers, restricted"});
        CHECK(keys(root.at("groups").at("handlers")) ==
              std::vector<std::string>{"occupancy", "handled", "paid_hours", "cost", "overtime_hours", "overtime_cost"});
        CHECK(keys(root.at("rooms")) == std::vector<std::string>{"north"});

        const Json& targets = root.at("targets");
        REQUIRE(targets.size() == 6);
        CHECK(keys(targets.at(0)) == std::vector<std::string>{"class", "metric", "threshold_s", "goal", "mean",
                                                                  "met", "p_met", "confident"});
        CHECK(targets.at(0).at("metric").get<std::string>() == "service_level");
        CHECK(targets.at(0).at("threshold_s").get<double>() == 10);
        CHECK(targets.at(0).at("met").get<bool>());
        CHECK_FALSE(targets.at(0).at("confident").get<bool>());
        CHECK(targets.at(4).at("metric").get<std::string>() == "asa_s");
        CHECK(targets.at(4).at("threshold_s").is_null());
        CHECK(targets.at(4).at("confident").get<bool>());
    }

    TEST_CASE("summary.json writes null where a figure has no half-width or no value") {
        const std::vector<ReplicationResult> one{make_replication(2)};
        std::ostringstream out;
        write_summary_json(out, summarise(make_spec(), one, 1));
        const Json root = parse_json(out.str());
        CHECK(root.at("classes").at("999").at("offered").at("mean").get<double>() == 0);
        CHECK(root.at("classes").at("999").at("offered").at("ci95").is_null());
        CHECK(root.at("classes").at("999").at("asa_s").at("mean").is_null());
        CHECK(root.at("targets").at(0).at("mean").is_null());
        CHECK(root.at("targets").at(0).at("p_met").is_null());
        CHECK(out.str().find("undefined") == std::string::npos);
    }

    TEST_CASE("a class without targets still has an empty service_level object") {
        ScenarioSpec spec = make_spec();
        spec.classes[0].thresholds_s.clear();
        spec.classes[0].targets.clear();
        auto results = three_replications();
        for (ReplicationResult& r : results) {
            r.classes[0].counts.answered_within.clear();
            for (PeriodSeries* p : {&r.days, &r.weeks, &r.hours_of_week})
                for (ClassCounts& c : p->classes[0]) c.answered_within.clear();
        }
        std::ostringstream out;
        write_summary_json(out, summarise(spec, results, 1));
        const Json root = parse_json(out.str());
        CHECK(root.at("classes").at("999").at("service_level").is_object());
        CHECK(root.at("classes").at("999").at("service_level").empty());
    }

    TEST_CASE("summary.csv has its exact header, one row per figure, and quotes names") {
        std::ostringstream out;
        write_summary_csv(out, summarise(make_spec(), three_replications(), 1));
        const auto rows = lines(out.str());
        REQUIRE(!rows.empty());
        CHECK(rows[0] == "scenario,kind,name,metric,threshold_s,mean,ci95");
        // 999: 15 figures, 101: 16, two groups and a room of 6 each.
        CHECK(rows.size() == 1 + 15 + 16 + 3 * 6);
        const std::string first = "hand-made,class,999,offered,,100,";
        REQUIRE(rows[1].rfind(first, 0) == 0);
        CHECK(std::stod(rows[1].substr(first.size())) == doctest::Approx(t2 * 100 / std::sqrt(3.0)));
        CHECK(rows[8].rfind("hand-made,class,999,service_level,10,0.875,", 0) == 0);
        CHECK(out.str().find("hand-made,group,\"officers, restricted\",occupancy,,0.75,") != std::string::npos);
    }

    TEST_CASE("replications.csv has one row per replication, entity and metric, counted from 1") {
        std::ostringstream out;
        write_replications_csv(out, summarise(make_spec(), three_replications(), 1));
        const auto rows = lines(out.str());
        CHECK(rows[0] == "scenario,replication,kind,name,metric,threshold_s,value");
        CHECK(rows.size() == 1 + 3 * (15 + 16 + 3 * 6));
        CHECK(rows[1] == "hand-made,1,class,999,offered,,100");
        CHECK(out.str().find("hand-made,3,class,999,asa_s,,\n") != std::string::npos);  // undefined: empty
        CHECK(out.str().find("hand-made,2,class,101,service_level,7.5,0.75\n") != std::string::npos);
        CHECK(out.str().find(",0,") == std::string::npos);  // no replication 0
    }

    TEST_CASE("periods.csv counts periods from 1 and leaves out figures no replication defines") {
        std::ostringstream out;
        write_periods_csv(out, summarise(make_spec(), three_replications(), 1));
        const std::string text = out.str();
        const auto rows = lines(text);
        CHECK(rows[0] == "scenario,kind,name,period,index,metric,threshold_s,mean,ci95");
        CHECK(rows[1].rfind("hand-made,class,999,day,1,offered,,100,", 0) == 0);
        CHECK(text.find(",day,0,") == std::string::npos);
        CHECK(text.find("hand-made,class,999,day,2,offered,,0,0\n") != std::string::npos);
        CHECK(text.find(",999,day,2,abandoned_pct,") == std::string::npos);  // nothing offered on day 2
        CHECK(text.find(",999,day,1,service_level,10,0.875,") != std::string::npos);
        CHECK(text.find(",999,week,1,asa_s,,7.5,") != std::string::npos);
        CHECK(text.find(",hour_of_week,168,") != std::string::npos);
        CHECK(text.find(",hour_of_week,169,") == std::string::npos);
        CHECK(text.find("group,handlers,hour_of_week,10,occupancy,,0.65") != std::string::npos);
        CHECK(text.find("wait_p50_s") == std::string::npos);  // no quantiles per period
        for (const std::string& row : rows) CHECK(std::count(row.begin(), row.end(), ',') >= 8);
    }

    TEST_CASE("the table shows every class, the targets' verdicts, groups and rooms within 100 columns") {
        std::ostringstream out;
        write_table(out, summarise(make_spec(), three_replications(), 7));
        const std::string text = out.str();
        INFO(text);
        CHECK(text.find("Class 999") != std::string::npos);
        CHECK(text.find("Class 101") != std::string::npos);
        CHECK(text.find("service_level 7.5s") != std::string::npos);
        CHECK(text.find("MET (confident)") != std::string::npos);
        CHECK(text.find("MET (not confident)") != std::string::npos);
        CHECK(text.find("NOT MET") != std::string::npos);
        CHECK(text.find("officers, restricted") != std::string::npos);
        CHECK(text.find("north") != std::string::npos);
        for (const std::string& line : lines(text)) {
            CAPTURE(line);
            // "±" is two bytes and one column.
            const auto width = line.size() - static_cast<std::size_t>(std::count(line.begin(), line.end(), '\xB1'));
            CHECK(width <= 100);
        }
    }
}

TEST_SUITE("atomic file") {
    TEST_CASE("a file is written whole and no temporary file is left") {
        TempDir dir;
        write_file_atomically(dir.path / "a.csv", "old\n");
        write_file_atomically(dir.path / "a.csv", "new content\n");
        CHECK(read(dir.path / "a.csv") == "new content\n");
        CHECK(dir.entries() == std::vector<std::string>{"a.csv"});
    }

    TEST_CASE("a directory that cannot be written to is reported and left untouched") {
        TempDir dir;
        // Permission bits do not stop root, so the unwritable case also uses a missing directory,
        // which fails the same way (the temporary file cannot be created) for every user.
        if (::geteuid() != 0) {
            fs::permissions(dir.path, fs::perms::owner_read | fs::perms::owner_exec);
            CHECK_THROWS_WITH_AS(write_file_atomically(dir.path / "a.csv", "x"),
                                 doctest::Contains("a.csv"), std::runtime_error);
            fs::permissions(dir.path, fs::perms::owner_all);
            CHECK(dir.entries().empty());
        }
        CHECK_THROWS_WITH_AS(write_file_atomically(dir.path / "missing" / "a.csv", "x"),
                             doctest::Contains("cannot write"), std::runtime_error);
        CHECK(dir.entries().empty());
    }

    TEST_CASE("a failed rename removes the temporary file and keeps what was there") {
        TempDir dir;
        // A non-empty directory under the target name: the temporary file is written, the rename fails.
        fs::create_directories(dir.path / "a.csv" / "inside");
        CHECK_THROWS_WITH_AS(write_file_atomically(dir.path / "a.csv", "x"), doctest::Contains("rename"),
                             std::runtime_error);
        CHECK(dir.entries() == std::vector<std::string>{"a.csv"});
        CHECK(fs::is_directory(dir.path / "a.csv" / "inside"));
    }

    TEST_CASE("the report files are written into a new directory") {
        TempDir dir;
        write_report_files(dir.path / "out" / "run1", summarise(make_spec(), three_replications(), 1));
        const fs::path out = dir.path / "out" / "run1";
        for (const char* name : {"summary.json", "summary.csv", "replications.csv", "periods.csv"}) {
            CAPTURE(name);
            CHECK(fs::file_size(out / name) > 0);
        }
        // The four files and the manifest of the set.
        CHECK(std::distance(fs::directory_iterator(out), fs::directory_iterator()) == 5);
        CHECK(fs::exists(out / result_manifest_name));
        CHECK_NOTHROW(parse_json(read(out / "summary.json")));
    }
}

TEST_SUITE("result set") {
    std::vector<ResultFile> set_of(const std::string& tag) {
        return {{"a.csv", "a " + tag + "\n"}, {"b.json", "{\"b\": \"" + tag + "\"}\n"}};
    }

    TEST_CASE("a new set replaces an old one whole, and nothing is left beside the directory") {
        TempDir dir;
        const fs::path out = dir.path / "res";
        write_result_set(out, set_of("old"));
        write_result_set(out, set_of("new"));
        CHECK(read(out / "a.csv") == "a new\n");
        CHECK(read(out / "b.json") == "{\"b\": \"new\"}\n");
        CHECK(dir.entries() == std::vector<std::string>{"res"});
        // A smaller set leaves none of the files of the bigger one it replaces.
        write_result_set(out, {{"c.txt", "c\n"}});
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(out)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        CHECK(names == std::vector<std::string>{result_manifest_name, "c.txt"});
    }

    TEST_CASE("an empty directory is taken, a trailing slash is the same directory") {
        TempDir dir;
        fs::create_directories(dir.path / "res");
        write_result_set(dir.path.string() + "/res/", set_of("x"));
        CHECK(read(dir.path / "res" / "a.csv") == "a x\n");
        CHECK(dir.entries() == std::vector<std::string>{"res"});
    }

    TEST_CASE("a directory holding other files, a file and a symbolic link are refused before anything is written") {
        TempDir dir;
        fs::create_directories(dir.path / "mine");
        std::ofstream(dir.path / "mine" / "notes.txt") << "keep me\n";
        CHECK_THROWS_WITH_AS(prepare_result_dir(dir.path / "mine"), doctest::Contains("holds 'notes.txt'"),
                             ResultSetError);
        CHECK_THROWS_WITH_AS(write_result_set(dir.path / "mine", set_of("x")), doctest::Contains("notes.txt"),
                             ResultSetError);
        CHECK(read(dir.path / "mine" / "notes.txt") == "keep me\n");
        // A set whose directory gained a foreign file is refused too.
        write_result_set(dir.path / "res", set_of("old"));
        std::ofstream(dir.path / "res" / "extra.csv") << "x\n";
        CHECK_THROWS_AS(prepare_result_dir(dir.path / "res"), ResultSetError);
        std::ofstream(dir.path / "file") << "x\n";
        CHECK_THROWS_WITH_AS(prepare_result_dir(dir.path / "file"), doctest::Contains("not a directory"),
                             ResultSetError);
        fs::create_directory_symlink(dir.path / "res", dir.path / "link");
        CHECK_THROWS_WITH_AS(prepare_result_dir(dir.path / "link"), doctest::Contains("symbolic link"),
                             ResultSetError);
        CHECK_THROWS_WITH_AS(prepare_result_dir("."), doctest::Contains("own name"), ResultSetError);
    }

    TEST_CASE("a staging directory left by a killed run is removed; one of a live process is not") {
        TempDir dir;
        // pid 0x7ffffffe is above any pid_max Linux allows, so no process has it.
        const fs::path stale = dir.path / ".res.crsim-staging.2147483646.0";
        const fs::path live = dir.path / (".res.crsim-staging." + std::to_string(::getppid()) + ".0");
        fs::create_directories(stale);
        fs::create_directories(live);
        std::ofstream(stale / "a.csv") << "half\n";
        prepare_result_dir(dir.path / "res");
        CHECK(!fs::exists(stale));
        CHECK(fs::exists(live));
    }

    TEST_CASE("a parent that cannot hold a directory is found before the run") {
        TempDir dir;
        std::ofstream(dir.path / "file") << "x\n";
        CHECK_THROWS_WITH_AS(prepare_result_dir(dir.path / "file" / "res"), doctest::Contains("cannot create"),
                             ResultSetError);
    }
}
