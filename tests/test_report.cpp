// The summary across replications and its writers, on three hand-made replications whose figures
// can be worked out on paper.
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
#include <nlohmann/json.hpp>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "crsim/model/precision.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/report/atomic_file.hpp"
#include "crsim/report/comparison_writers.hpp"
#include "crsim/report/result_set.hpp"
#include "crsim/report/summary_writers.hpp"
#include "crsim/stats/difference_interval.hpp"
#include "model_fixtures.hpp"

using namespace crsim::model;
using namespace crsim::report;
using crsim::test::make_target;
namespace fs = std::filesystem;

namespace {

constexpr double undefined = std::numeric_limits<double>::quiet_NaN();

// Student-t 0.975 quantiles in closed form: df 1 is Cauchy, tan(0.475 pi); df 2 is
// (2p - 1) / sqrt(2p(1 - p)) with p = 0.975. Independent of the library under test.
const double t1 = std::tan(0.475 * std::numbers::pi);
const double t2 = 0.95 / std::sqrt(2 * 0.975 * 0.025);

/// Two classes, two groups (one with a comma in its name, for CSV quoting), one room.
ScenarioSpec make_spec() {
    ScenarioSpec spec;
    spec.name = "hand-made";
    spec.sha256 = "abc123";
    ClassSpec c999;
    c999.name = "999";
    c999.thresholds_s = {10};
    c999.targets = {make_target(TargetSpec::Metric::service_level, 0.87, 10),
                    make_target(TargetSpec::Metric::service_level, 0.5, 10),
                    make_target(TargetSpec::Metric::service_level, 0.95, 10)};
    ClassSpec c101;
    c101.name = "101";
    c101.thresholds_s = {7.5, 180};
    c101.targets = {make_target(TargetSpec::Metric::abandoned_pct, 8), make_target(TargetSpec::Metric::asa, 60),
                    make_target(TargetSpec::Metric::asa, 6)};
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
    s.on_duty_cost = cost;
    s.rostered_cost = cost;  // hand-made: the same figure stands for both
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

std::vector<ReplicationResult> three_replications() {
    return {make_replication(0), make_replication(1), make_replication(2)};
}

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
        CHECK(handlers.on_duty_cost.mean == doctest::Approx(500.0 / 3));
        CHECK(handlers.rostered_cost.mean == doctest::Approx(500.0 / 3));
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
        check(3, "101", true, 0.5, false);   // abandoned_pct <= 8: the upper edge 39 is above
        check(4, "101", true, 1.0, true);    // asa_s <= 60: the upper edge 39 is below
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

        CHECK(keys(root) == std::vector<std::string>{"scenario", "description", "currency", "crsim_version",
                                                     "scenario_sha256", "seed", "replications", "window", "classes",
                                                     "groups", "rooms", "total", "targets"});
        CHECK(root.at("currency").is_null());
        CHECK(root.at("window").is_null());
        CHECK(keys(root.at("total")) == std::vector<std::string>{"rostered_cost", "on_duty_cost", "paid_hours",
                                                                 "cost_per_week", "cost_per_year", "fte"});
        // The total is summed over the groups in each replication, then averaged.
        CHECK(root.at("total").at("rostered_cost").at("mean").get<double>() ==
              doctest::Approx(s.groups[0].figures.rostered_cost.mean + s.groups[1].figures.rostered_cost.mean));
        CHECK(root.at("total").at("on_duty_cost").at("mean").get<double>() ==
              doctest::Approx(s.groups[0].figures.on_duty_cost.mean + s.groups[1].figures.on_duty_cost.mean));
        CHECK(root.at("total").at("paid_hours").at("mean").get<double>() ==
              doctest::Approx(s.groups[0].figures.paid_hours.mean + s.groups[1].figures.paid_hours.mean));
        CHECK(root.at("scenario").get<std::string>() == s.scenario);
        CHECK(root.at("crsim_version").get<std::string>() == CRSIM_VERSION);
        CHECK(root.at("scenario_sha256").get<std::string>() == "abc123");
        CHECK(root.at("seed").get<double>() == 42);
        CHECK(root.at("replications").get<double>() == 3);
        CHECK(keys(root.at("classes")) == std::vector<std::string>{"999", "101"});
        CHECK(keys(root.at("classes").at("999")) ==
              std::vector<std::string>{"offered", "first_attempts", "repeats", "answered", "abandoned", "abandoned_pct",
                                       "callers_lost", "service_level", "asa_s", "mean_queue_s", "wait_p50_s",
                                       "wait_p90_s", "wait_p95_s", "wait_p99_s", "max_wait_s"});
        CHECK(keys(root.at("classes").at("101").at("service_level")) == std::vector<std::string>{"7.5s", "180s"});
        const Json& sl = root.at("classes").at("999").at("service_level").at("10s");
        CHECK(keys(sl) == std::vector<std::string>{"mean", "ci95"});
        // Written with enough digits to read back exactly.
        CHECK(sl.at("mean").get<double>() == s.classes[0].figures.service_level[0].mean);
        CHECK(sl.at("ci95").get<double>() == s.classes[0].figures.service_level[0].ci95);
        CHECK(keys(root.at("groups")) == std::vector<std::string>{"handlers", "officers, restricted"});
        CHECK(keys(root.at("groups").at("handlers")) ==
              std::vector<std::string>{"occupancy", "handled", "paid_hours", "rostered_cost", "on_duty_cost",
                                       "overtime_hours", "overtime_cost", "cost_per_week", "cost_per_year", "fte"});
        CHECK(keys(root.at("rooms")) == std::vector<std::string>{"north"});

        const Json& targets = root.at("targets");
        REQUIRE(targets.size() == 6);
        CHECK(keys(targets.at(0)) == std::vector<std::string>{"class", "metric", "threshold_s", "goal", "mean", "ci95",
                                                              "met", "p_met", "confident"});
        CHECK(targets.at(0).at("ci95").get<double>() == s.targets[0].value.ci95);
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
        // 999: 15 figures, 101: 16, two groups and a room of 7 each, the total costs and paid hours.
        CHECK(rows.size() == 1 + 15 + 16 + 3 * 7 + 3);
        CHECK(rows[rows.size() - 3].rfind("hand-made,total,all,rostered_cost,,", 0) == 0);
        CHECK(rows[rows.size() - 2].rfind("hand-made,total,all,on_duty_cost,,", 0) == 0);
        CHECK(rows.back().rfind("hand-made,total,all,paid_hours,,", 0) == 0);
        const std::string first = "hand-made,class,999,offered,,100,";
        REQUIRE(rows[1].rfind(first, 0) == 0);
        CHECK(std::stod(rows[1].substr(first.size())) == doctest::Approx(t2 * 100 / std::sqrt(3.0)));
        CHECK(rows[8].rfind("hand-made,class,999,service_level,10,0.875,", 0) == 0);
        CHECK(out.str().find("hand-made,group,\"officers, restricted\",occupancy,,0.75,") != std::string::npos);
    }

    TEST_CASE("targets.csv has one row per target with its verdict") {
        const Summary s = summarise(make_spec(), three_replications(), 1);
        std::ostringstream out;
        write_targets_csv(out, s);
        const auto rows = lines(out.str());
        REQUIRE(rows.size() == 1 + 6);
        CHECK(rows[0] == "scenario,class,metric,threshold_s,goal,mean,ci95,met,p_met,confident");
        const TargetResult& t = s.targets[0];
        CHECK(rows[1] == "hand-made,999,service_level,10," + format_number(t.goal) + "," + format_number(t.value.mean) +
                             "," + format_number(t.value.ci95) + ",true," + format_number(t.p_met) + ",false");
        CHECK(rows[5].rfind("hand-made,101,asa_s,,", 0) == 0);
        CHECK(rows[5].substr(rows[5].size() - 5) == ",true");
    }

    TEST_CASE("a reporting window is written as its weeks or days") {
        CHECK(window_json(std::nullopt).dump() == "null");
        ReportWindow w;
        w.from = 14;
        w.to = 26;
        CHECK(window_json(w).dump() == R"({"from_week":14,"to_week":26})");
        w.unit = ReportWindow::Unit::day;
        w.from = 3;
        w.to = 10;
        CHECK(window_json(w).dump() == R"({"from_day":3,"to_day":10})");
    }

    TEST_CASE("replications.csv has one row per replication, entity and metric, counted from 1") {
        std::ostringstream out;
        write_replications_csv(out, summarise(make_spec(), three_replications(), 1));
        const auto rows = lines(out.str());
        CHECK(rows[0] == "scenario,replication,kind,name,metric,threshold_s,value");
        CHECK(rows.size() == 1 + 3 * (15 + 16 + 3 * 7 + 3));
        CHECK(rows[1 + 15 + 16 + 3 * 7].rfind("hand-made,1,total,all,rostered_cost,,", 0) == 0);
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

TEST_CASE("a CSV text cell that a spreadsheet would run as a formula is neutralised; numbers are not") {
    CHECK(csv_field("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0");
    CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_field("+handlers") == "'+handlers");
    CHECK(csv_field("-x") == "'-x");
    CHECK(csv_field("-") == "'-");
    CHECK(csv_field("=a,b") == "\"'=a,b\"");
    CHECK(csv_field("\t=1") == "'\t=1");
    // Numbers, negative ones and exponents included, and ordinary text, as they are.
    CHECK(csv_field("-12") == "-12");
    CHECK(csv_field("+1.5e3") == "+1.5e3");
    CHECK(csv_field("-0.25") == "-0.25");
    CHECK(csv_field("101") == "101");
    CHECK(csv_field("a=b") == "a=b");
    CHECK(csv_field("a,b") == "\"a,b\"");
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
            CHECK_THROWS_WITH_AS(write_file_atomically(dir.path / "a.csv", "x"), doctest::Contains("a.csv"),
                                 std::runtime_error);
            fs::permissions(dir.path, fs::perms::owner_all);
            CHECK(dir.entries().empty());
        }
        CHECK_THROWS_WITH_AS(write_file_atomically(dir.path / "missing" / "a.csv", "x"),
                             doctest::Contains("cannot write"), std::runtime_error);
        CHECK(dir.entries().empty());
    }

    TEST_CASE("a target that is not a regular file is refused, never renamed over nor written into") {
        TempDir dir;
        // A directory (which a rename would also fail on), and a FIFO (which a rename would replace).
        fs::create_directories(dir.path / "a.csv" / "inside");
        REQUIRE(::mkfifo((dir.path / "b.csv").c_str(), 0666) == 0);
        CHECK_THROWS_WITH_AS(
            write_file_atomically(dir.path / "a.csv", "x"),
            doctest::Contains("it is a directory, and crsim writes result files only as regular files"), OutputRefused);
        CHECK_THROWS_WITH_AS(write_file_atomically(dir.path / "b.csv", "x"), doctest::Contains("it is a FIFO"),
                             OutputRefused);
        CHECK_THROWS_AS(check_output_file(dir.path / "b.csv"), OutputRefused);
        // A symbolic link is judged by what it points to.
        fs::create_symlink(dir.path / "b.csv", dir.path / "c.csv");
        CHECK_THROWS_AS(write_file_atomically(dir.path / "c.csv", "x"), OutputRefused);
        CHECK(fs::is_directory(dir.path / "a.csv" / "inside"));
        CHECK(fs::is_fifo(dir.path / "b.csv"));
        CHECK(fs::is_symlink(dir.path / "c.csv"));
        CHECK(dir.entries() == std::vector<std::string>{"a.csv", "b.csv", "c.csv"});
    }

    TEST_CASE("check_output_file leaves nothing behind and finds an unwritable place") {
        TempDir dir;
        CHECK_NOTHROW(check_output_file(dir.path / "a.csv"));
        CHECK(dir.entries().empty());
        CHECK_THROWS_WITH_AS(check_output_file(dir.path / "missing" / "a.csv"),
                             doctest::Contains("cannot create a temporary file"), std::runtime_error);
    }

    TEST_CASE("the report files are written into a new directory") {
        TempDir dir;
        write_report_files(dir.path / "out" / "run1", summarise(make_spec(), three_replications(), 1));
        const fs::path out = dir.path / "out" / "run1";
        for (const char* name : {"summary.json", "summary.csv", "targets.csv", "replications.csv", "periods.csv"}) {
            CAPTURE(name);
            CHECK(fs::file_size(out / name) > 0);
        }
        // The five files and the manifest of the set.
        CHECK(std::distance(fs::directory_iterator(out), fs::directory_iterator()) == 6);
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
        CHECK_THROWS_WITH_AS(prepare_result_dir(dir.path / "link"), doctest::Contains("symbolic link"), ResultSetError);
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

    TEST_CASE("a parent that cannot hold a directory is found before the run, as a bad --out (exit 2)") {
        TempDir dir;
        std::ofstream(dir.path / "file") << "x\n";
        const std::string file = (dir.path / "file").string();
        CHECK_THROWS_WITH_AS(prepare_result_dir(dir.path / "file" / "res"),
                             ("--out " + file + " exists and is not a directory (give a new directory name)").c_str(),
                             ResultSetError);
        try {
            prepare_result_dir(dir.path / "file" / "sub" / "res");
            FAIL("a file as a parent's parent was accepted");
        } catch (const ResultSetError& e) {
            CHECK(e.usage);
            CHECK(std::string(e.what()) ==
                  "--out " + file + "/sub: " + file + " exists and is not a directory (give a new directory name)");
        }
    }
}

namespace {

/// One class "101" with thresholds {180}, targets SL 180 s >= 0.8 and ASA <= 60; one group.
ScenarioSpec comparison_spec(const std::string& name) {
    ScenarioSpec spec;
    spec.name = name;
    ClassSpec c;
    c.name = "101";
    c.thresholds_s = {180};
    c.targets = {make_target(TargetSpec::Metric::service_level, 0.8, 180), make_target(TargetSpec::Metric::asa, 60)};
    spec.classes = {c};
    spec.groups = {GroupSpec{}};
    spec.groups[0].name = "handlers";
    spec.rooms = {RoomSpec{"north"}};
    return spec;
}

/// Replications with 1000 calls offered, all answered, `within[r]` of them within 180 s, an ASA of
/// asa[r] s, and a cost of cost[r].
std::vector<ReplicationResult> replications(const std::vector<std::uint64_t>& within, const std::vector<double>& asa,
                                            const std::vector<double>& cost) {
    std::vector<ReplicationResult> out;
    for (std::size_t r = 0; r < within.size(); ++r) {
        ReplicationResult result;
        ClassResult c;
        c.counts = counts(1000, 1000, 0, {within[r]}, 1000 * asa[r], 1000 * asa[r]);
        result.classes = {c};
        result.groups = {staff(3600, 3600, 1800, cost[r], 1000)};
        result.rooms = result.groups;
        out.push_back(result);
    }
    return out;
}

const ComparedFigure& figure_of(const OptionComparison& o, const std::string& metric) {
    for (const ComparedFigure& f : o.figures)
        if (f.metric == metric) return f;
    throw std::out_of_range("no figure " + metric);
}

}  // namespace

TEST_SUITE("comparison") {
    TEST_CASE(
        "the paired interval is Student t over the differences; the verdict follows it, in the figure's better "
        "direction") {
        // Service levels 0.70 0.72 0.68 0.71 vs 0.80 0.83 0.77 0.81: differences 0.10 0.11 0.09 0.10,
        // mean 0.1, s = sqrt(0.0002 / 3), half-width t(0.975, 3) s / 2 = 3.182446 * 0.0081650 / 2 = 0.0129924.
        const std::vector<Summary> options = {
            summarise(comparison_spec("a"), replications({700, 720, 680, 710}, {50, 52, 48, 51}, {100, 100, 100, 100}),
                      7),
            summarise(comparison_spec("b"), replications({800, 830, 770, 810}, {50, 52, 48, 51}, {110, 111, 109, 110}),
                      7)};
        const std::vector<std::string> names = {"a", "b"};
        const Comparison c = compare(options, names);
        REQUIRE(c.options.size() == 2);
        CHECK(c.seed == 7);
        CHECK(c.replications == 4);
        CHECK(c.notes.empty());
        // The baseline: its own figures, difference 0, no intervals and no verdict.
        const ComparedFigure& base = figure_of(c.options[0], "service_level");
        CHECK(base.value.mean == doctest::Approx(0.7025));
        CHECK(base.diff_mean == 0);
        CHECK(std::isnan(base.paired_ci95));
        CHECK_FALSE(base.verdict.has_value());

        const ComparedFigure& sl = figure_of(c.options[1], "service_level");
        CHECK(sl.kind == ComparedFigure::Kind::class_figure);
        CHECK(sl.name == "101");
        CHECK(sl.threshold_s == 180);
        CHECK(sl.diff_mean == doctest::Approx(0.1));
        CHECK(std::abs(sl.paired_ci95 - 0.0129924) < 1e-6);
        const std::vector<double> a = {0.70, 0.72, 0.68, 0.71}, b = {0.80, 0.83, 0.77, 0.81};
        CHECK(sl.unpaired_ci95 == doctest::Approx(crsim::stats::welch_difference(a, b).half_width));
        CHECK(sl.unpaired_ci95 > sl.paired_ci95);
        CHECK(sl.verdict == Verdict::better);
        // Same ASA in every replication: a difference of exactly 0 is no difference shown.
        const ComparedFigure& asa = figure_of(c.options[1], "asa_s");
        CHECK(asa.diff_mean == 0);
        CHECK(asa.paired_ci95 == 0);
        CHECK(asa.verdict == Verdict::no_difference);
        // Cost up by 10 in every replication (± 1): lower is better, so worse.
        const ComparedFigure& cost = figure_of(c.options[1], "rostered_cost");
        CHECK(cost.kind == ComparedFigure::Kind::total);
        CHECK(cost.name == "all");
        CHECK(cost.diff_mean == doctest::Approx(10));
        CHECK(cost.verdict == Verdict::worse);
        CHECK(verdict_name(Verdict::no_difference) == "no difference shown");
    }

    TEST_CASE("options with other classes are compared on the classes they share, and a note says so") {
        ScenarioSpec other = comparison_spec("b");
        other.classes[0].name = "111";
        const std::vector<Summary> options = {
            summarise(comparison_spec("a"), replications({700, 720}, {50, 52}, {1, 2}), 1),
            summarise(other, replications({700, 720}, {50, 52}, {1, 2}), 1)};
        const std::vector<std::string> names = {"a", "b"};
        const Comparison c = compare(options, names);
        REQUIRE(c.notes.size() == 2);
        CHECK(c.notes[0].find("class 111 is not in the baseline a") != std::string::npos);
        CHECK(c.notes[1].find("b has no class 101") != std::string::npos);
        // b's own 111 figures are listed but not compared; its cost is.
        const ComparedFigure& sl = figure_of(c.options[1], "service_level");
        CHECK(sl.name == "111");
        CHECK(std::isnan(sl.diff_mean));
        CHECK_FALSE(sl.verdict.has_value());
        CHECK(figure_of(c.options[1], "rostered_cost").verdict == Verdict::no_difference);
    }

    TEST_CASE("a backlog's response-time target is compared and listed like a class's target, in every output") {
        // Backlog "online", 90% of 100 items to start within 24 h: shares 0.86 0.96 0.91 (a) and
        // 0.90 0.99 0.95 (b). Differences 0.04 0.03 0.04: mean 0.11/3, s = sqrt(1/30000), paired
        // half-width t(0.975, 2) s / sqrt(3) = 0.0143422. b's target: mean 0.94667, every replication
        // meets 0.9 (p_met 1), but its interval's lower edge 0.94667 − 0.11202 does not: not confident.
        const auto with_backlog = [](std::vector<std::uint64_t> within) {
            std::vector<ReplicationResult> runs = replications({700, 720, 680}, {50, 52, 48}, {1, 1, 1});
            for (std::size_t r = 0; r < runs.size(); ++r)
                runs[r].deferrables = {DeferrableCounts{100, 100, within[r], 0}};
            return runs;
        };
        ScenarioSpec spec = comparison_spec("a");
        DeferrableSpec online;
        online.name = "online";
        online.target_within_s = 24 * 3600;
        online.target_goal = 0.9;
        spec.deferrables = {online};
        const std::vector<Summary> options = {
            summarise(comparison_spec("none"), replications({700, 720, 680}, {50, 52, 48}, {1, 1, 1}), 5),
            summarise(spec, with_backlog({86, 96, 91}), 5), summarise(spec, with_backlog({90, 99, 95}), 5)};
        const std::vector<std::string> names = {"none", "a", "b"};
        const Comparison all = compare(options, names);
        // The baseline without the backlog: a's backlog is listed, not compared, and a note says so.
        REQUIRE(all.notes.size() == 2);
        CHECK(all.notes[0] == "a: backlog online is not in the baseline none; its figures are shown but not compared");
        const ComparedFigure& alone = figure_of(all.options[1], "service_level");  // the class's comes first
        CHECK(alone.kind == ComparedFigure::Kind::class_figure);
        CHECK(all.options[1].figures.at(2).kind == ComparedFigure::Kind::backlog);
        CHECK_FALSE(all.options[1].figures.at(2).verdict.has_value());

        const std::vector<Summary> pair(options.begin() + 1, options.end());
        const std::vector<std::string> pair_names = {"a", "b"};
        const Comparison c = compare(pair, pair_names);
        CHECK(c.notes.empty());
        REQUIRE(c.options[1].figures.size() == 4);  // SL 180 s, ASA, the backlog's share, total cost
        const ComparedFigure& f = c.options[1].figures[2];
        CHECK(f.kind == ComparedFigure::Kind::backlog);
        CHECK(f.name == "online");
        CHECK(f.metric == "service_level");
        CHECK(f.threshold_s == 86400);
        CHECK(f.higher_is_better);
        CHECK(f.value.mean == doctest::Approx(0.94666667));
        CHECK(f.diff_mean == doctest::Approx(0.11 / 3));
        CHECK(std::abs(f.paired_ci95 - 0.0143422) < 1e-6);
        CHECK(f.verdict == Verdict::better);
        // Each option's targets: the class's two, then the backlog's, judged as a class's are.
        REQUIRE(c.options[0].targets.size() == 3);
        const TargetResult& ta = c.options[0].targets[2];
        CHECK(ta.backlog);
        CHECK(ta.met);
        CHECK(ta.p_met == doctest::Approx(2.0 / 3));
        CHECK_FALSE(ta.confident);
        const TargetResult& tb = c.options[1].targets[2];
        CHECK(tb.met);
        CHECK(tb.p_met == 1);
        CHECK(tb.value.ci95 == doctest::Approx(0.11202).epsilon(1e-4));
        CHECK_FALSE(tb.confident);

        std::ostringstream json, csv, table;
        write_comparison_json(json, c);
        write_comparison_csv(csv, c);
        write_comparison_table(table, c);
        const Json root = parse_json(json.str());
        const Json& target = root.at("options").at(1).at("targets").at(2);
        CHECK(target.at("class").get<std::string>() == "online");
        CHECK(target.at("threshold_s").get<double>() == 86400);
        CHECK(target.at("p_met").get<double>() == 1);
        CHECK(target.at("confident").get<bool>() == false);
        CHECK(target.at("backlog").get<bool>());
        CHECK_FALSE(root.at("options").at(1).at("targets").at(0).contains("backlog"));
        const Json& row = root.at("options").at(1).at("comparisons").at(2);
        CHECK(row.at("kind").get<std::string>() == "backlog");
        CHECK(row.at("verdict").get<std::string>() == "better");
        const auto rows = lines(csv.str());
        REQUIRE(rows.size() == 1 + 2 * 4);
        CHECK(rows[7].rfind("b,backlog,online,service_level,86400,0.9466", 0) == 0);
        CHECK(rows[7].substr(rows[7].size() - 7) == ",better");
        const std::string text = table.str();
        CHECK(text.find("backlog online service_level 86400s (higher is better)") != std::string::npos);
        CHECK(text.find("  b       backlog online  service_level 86400s >= 0.9  ") != std::string::npos);
        CHECK(text.find("p_met 1.00  MET (not confident)") != std::string::npos);
    }

    TEST_CASE("repeated option names get suffixes") {
        const std::vector<std::string> scenarios = {"x", "y", "x", "x", "x-2"};
        CHECK(option_names(scenarios) == std::vector<std::string>{"x", "y", "x-2", "x-3", "x-2-2"});
    }

    TEST_CASE("compare.json and compare.csv have the documented shape") {
        const std::vector<Summary> options = {
            summarise(comparison_spec("a"), replications({700, 720, 680}, {50, 52, 48}, {1, 2, 3}), 5),
            summarise(comparison_spec("a"), replications({700, 720, 680}, {50, 52, 48}, {1, 2, 3}), 5)};
        const std::vector<std::string> names = option_names(std::vector<std::string>{"a", "a"});
        const Comparison c = compare(options, names);
        std::ostringstream json, csv;
        write_comparison_json(json, c);
        write_comparison_csv(csv, c);
        const Json root = parse_json(json.str());
        CHECK(keys(root) == std::vector<std::string>{"baseline", "seed", "replications", "window", "options"});
        CHECK(root.at("baseline").get<std::string>() == "a");
        CHECK(root.at("seed").get<double>() == 5);
        CHECK(root.at("replications").get<double>() == 3);
        CHECK(root.at("window").is_null());
        REQUIRE(root.at("options").size() == 2);
        const Json& second = root.at("options").at(1);
        CHECK(keys(second) == std::vector<std::string>{"name", "targets", "comparisons"});
        CHECK(second.at("name").get<std::string>() == "a-2");
        CHECK(second.at("targets").size() == 2);
        CHECK(second.at("targets").at(0).at("met").is_boolean());
        REQUIRE(second.at("comparisons").size() == 3);  // SL 180 s, ASA, total cost
        const Json& row = second.at("comparisons").at(0);
        CHECK(keys(row) == std::vector<std::string>{"kind", "name", "metric", "threshold_s", "mean", "ci95",
                                                    "diff_mean", "paired_ci95", "unpaired_ci95", "verdict"});
        // The same scenario twice: every difference exactly 0.
        for (const Json& r : second.at("comparisons")) {
            CHECK(r.at("diff_mean").get<double>() == 0);
            CHECK(r.at("paired_ci95").get<double>() == 0);
            CHECK(r.at("verdict").get<std::string>() == "no difference shown");
        }
        CHECK(second.at("comparisons").at(2).at("kind").get<std::string>() == "total");
        CHECK(second.at("comparisons").at(2).at("threshold_s").is_null());
        const Json& baseline_row = root.at("options").at(0).at("comparisons").at(0);
        CHECK(baseline_row.at("diff_mean").get<double>() == 0);
        CHECK(baseline_row.at("verdict").is_null());

        const auto rows = lines(csv.str());
        REQUIRE(rows.size() == 1 + 2 * 3);
        CHECK(rows[0] == "option,kind,name,metric,threshold_s,mean,ci95,diff_mean,paired_ci95,unpaired_ci95,verdict");
        CHECK(rows[1].rfind("a,class,101,service_level,180,0.7,", 0) == 0);
        CHECK(rows[1].substr(rows[1].size() - 5) == ",0,,,");
        CHECK(rows[6].rfind("a-2,total,all,rostered_cost,,2,", 0) == 0);
        // diff_mean 0, paired 0, then Welch's half-width (not 0: the spread is there) and the verdict.
        const std::string tail = ",no difference shown";
        CHECK(rows[6].substr(rows[6].size() - tail.size()) == tail);
        CHECK(rows[6].find(",0,0,") != std::string::npos);
    }
}

TEST_SUITE("precision") {
    TEST_CASE("--precision values: a bare share, a time with its unit, a percentage") {
        PrecisionGoals goals;
        CHECK_FALSE(goals.any());
        add_precision_goal(goals, "0.005");
        add_precision_goal(goals, "2min");
        add_precision_goal(goals, "0.5%");
        CHECK(goals.share == 0.005);
        CHECK(goals.seconds == 120);
        CHECK(goals.percent == 0.5);
        add_precision_goal(goals, "5s");
        CHECK(goals.seconds == 5);
        CHECK_THROWS_WITH_AS(add_precision_goal(goals, "5"), doctest::Contains("a bare precision is a share"),
                             std::invalid_argument);
        CHECK_THROWS_WITH_AS(add_precision_goal(goals, "0"), doctest::Contains("greater than 0"),
                             std::invalid_argument);
        CHECK_THROWS_WITH_AS(add_precision_goal(goals, "5kg"), doctest::Contains("unknown unit 'kg'"),
                             std::invalid_argument);
        CHECK_THROWS_AS(add_precision_goal(goals, "fast"), std::invalid_argument);
    }

    TEST_CASE("the goals apply by kind, and the next count aims at n (h/H)^2 within limits") {
        const Summary s =
            summarise(comparison_spec("a"), replications({700, 720, 680, 710}, {50, 60, 40, 55}, {1, 2, 3, 4}), 1);
        PrecisionGoals goals;
        goals.share = 0.1;  // SL half-width is about 0.028: within
        PrecisionStatus status = precision_status(s, goals);
        REQUIRE(status.items.size() == 1);  // ASA has no goal: it does not hold the run back
        CHECK(status.items[0].label == "101 service_level 180s");
        CHECK(status.reached());
        goals.seconds = 1;  // ASA half-width is about 14 s: not within
        status = precision_status(s, goals);
        REQUIRE(status.items.size() == 2);
        CHECK_FALSE(status.reached());
        CHECK(status.widest()->label == "101 asa_s");
        const double ratio = status.widest()->half_width / 1.0;
        // Aim 4 ratio^2 (about 800), but at most doubling, and never above the cap.
        CHECK(next_replication_count(4, status, 1000) == 8);
        CHECK(next_replication_count(4, status, 6) == 6);
        CHECK(ratio > 10);
        goals.seconds = status.widest()->half_width / 1.2;  // needs 4 * 1.44 = 5.76 -> 6
        CHECK(next_replication_count(4, precision_status(s, goals), 1000) == 6);
    }
}
