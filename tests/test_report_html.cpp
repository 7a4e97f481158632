// The HTML report (--report): the page's structure and escaping, and that every number a chart
// draws is the summary's own (the figures summary.json and periods.csv are written from). Whether
// the charts draw in a browser is checked by tools/check_report.py (ctest "report in Chromium").
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "crsim/model/comparison.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/report/html_page.hpp"
#include "crsim/report/report_html.hpp"
#include "crsim/report/summary_writers.hpp"
#include "model_fixtures.hpp"
#include "page_fixtures.hpp"

using namespace crsim::model;
using namespace crsim::report;
using crsim::test::chart_by_caption;
using crsim::test::make_target;
using crsim::test::page_data;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* scenario_name = "Town \"A\" <north> & co";

/// Two classes with three targets between them, one group, one room; a day of warm-up, three weeks
/// from a Monday: Monday's hours are measured twice in a run, every other hour three times.
ScenarioSpec make_spec() {
    ScenarioSpec spec;
    spec.name = scenario_name;
    spec.warmup_s = seconds_per_day;
    spec.horizon_s = 3 * seconds_per_week;
    ClassSpec c999;
    c999.name = "999";
    c999.thresholds_s = {10};
    c999.targets = {make_target(TargetSpec::Metric::service_level, 0.9, 10), make_target(TargetSpec::Metric::asa, 20)};
    ClassSpec c101;
    c101.name = "101 </script>";
    c101.thresholds_s = {60};
    c101.targets = {make_target(TargetSpec::Metric::abandoned_pct, 5)};
    spec.classes = {c999, c101};
    spec.groups = {GroupSpec{}};
    spec.groups[0].name = "handlers";
    spec.rooms = {RoomSpec{"north"}};
    return spec;
}

ClassCounts counts(std::uint64_t offered, std::uint64_t answered, std::uint64_t within, double wait_s) {
    ClassCounts c;
    c.offered = offered;
    c.answered = answered;
    c.abandoned = offered - answered;
    c.answered_within = {within};
    c.answered_wait_s = wait_s;
    c.queue_time_s = wait_s;
    return c;
}

/// Replication r of option `option` (0 or 1): figures that differ between weeks, hours, replications
/// and options, so that a figure taken from the wrong place shows. Answered waits have quantile
/// (r + 1) · 10 · p s (option 1: half that).
ReplicationResult make_replication(int r, int option) {
    ReplicationResult result;
    const double scale = option == 0 ? 1.0 : 0.5;
    const auto u = static_cast<std::uint64_t>(r);
    for (std::size_t k = 0; k < 2; ++k) {
        ClassResult c;
        c.counts = counts(100 + 10 * u, 90 + u, 80 + u, (300.0 + 50 * r) * scale);
        for (const double p : wait_cdf_probabilities) c.wait_quantiles_s.push_back((r + 1) * 10 * p * scale);
        c.wait_p50_s = c.wait_quantiles_s[50];
        c.wait_p90_s = c.wait_quantiles_s[90];
        c.wait_p95_s = c.wait_quantiles_s[95];
        c.wait_p99_s = c.wait_quantiles_s[99];
        c.max_wait_s = c.wait_quantiles_s.back();
        result.classes.push_back(c);
    }
    StaffCounts staff;
    staff.paid_s = 3600.0 * (100 + r) * (option + 1);
    staff.available_s = staff.paid_s * 0.9;
    staff.busy_s = staff.available_s * 0.5;
    staff.on_duty_cost = 1000.0 * (option + 1) + r;
    staff.rostered_cost = 1000.0 * (option + 1);
    result.groups = {staff};
    result.rooms = {staff};
    const auto series = [&](std::size_t periods) {
        PeriodSeries s;
        for (std::size_t k = 0; k < 2; ++k) {
            s.classes.emplace_back();
            for (std::size_t p = 0; p < periods; ++p) {
                const auto n = static_cast<std::uint64_t>(20 + p % 24 + u + k);
                s.classes[k].push_back(counts(n, n - 1 - p % 2, n - 2 - p % 3 - u, 5.0 * static_cast<double>(n)));
            }
        }
        s.groups.emplace_back();
        for (std::size_t p = 0; p < periods; ++p) {
            StaffCounts g;
            g.paid_s = 3600.0 * static_cast<double>(1 + p % 5) * (option + 1);
            g.available_s = g.paid_s;
            g.busy_s = g.paid_s * static_cast<double>(p % 7) / 10.0;
            s.groups[0].push_back(g);
        }
        s.rooms = s.groups;
        return s;
    };
    result.days = series(21);
    result.weeks = series(3);
    result.hours_of_week = series(168);
    return result;
}

Summary make_summary(int option) {
    std::vector<ReplicationResult> results;
    for (int r = 0; r < 3; ++r) results.push_back(make_replication(r, option));
    return summarise(make_spec(), results, 7);
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

double number(const json& j) { return j.is_null() ? std::nan("") : j.get<double>(); }

struct TempFile {
    fs::path path = fs::temp_directory_path() / ("crsim-test-report-html-" + std::to_string(::getpid()));
    ~TempFile() { fs::remove(path); }
};

}  // namespace

TEST_SUITE("HTML report") {
    TEST_CASE("a page escapes its text, keeps its data inside <script>, and inlines the chart library") {
        HtmlPage page("a <b> & \"c\"");
        page.heading("<h>");
        page.paragraph("x < y & z");
        page.table({"<th>"}, {{"<td>"}});
        page.chart("caption </script>", json{{"type", "line"}, {"data", {{"labels", {"</script><script>alert(1)"}}}}});
        page.data("extra", json{{"text", "<!-- </script>"}}.dump());
        const std::string html = page.html("/* the library */");
        CHECK(html.find("<title>a &lt;b&gt; &amp; &quot;c&quot;</title>") != std::string::npos);
        CHECK(html.find("<h2>&lt;h&gt;</h2>") != std::string::npos);
        CHECK(html.find("<p>x &lt; y &amp; z</p>") != std::string::npos);
        CHECK(html.find("<th>&lt;th&gt;</th>") != std::string::npos);
        CHECK(html.find("<td>&lt;td&gt;</td>") != std::string::npos);
        CHECK(html.find("<figcaption>caption &lt;/script&gt;</figcaption>") != std::string::npos);
        CHECK(html.find("/* the library */") != std::string::npos);
        // Four script elements (library, extra, charts, drawing), each closed once: no text ends one early.
        CHECK(occurrences(html, "<script") == 4);
        CHECK(occurrences(html, "</script>") == 4);
        CHECK(occurrences(html, "<!--") == 0);
        CHECK(page_data(html, "crsim-charts")[0]["data"]["labels"][0] == "</script><script>alert(1)");
        CHECK(page_data(html, "extra")["text"] == "<!-- </script>");
        CHECK(page.charts() == 1);
        CHECK(occurrences(html, "<canvas id=\"chart-0\"") == 1);
    }

    TEST_CASE("the run report draws each target week by week, the answer-time CDF, demand, staffing and occupancy") {
        const Summary summary = make_summary(0);
        const HtmlPage page = run_report(summary);
        const std::string html = page.html("");
        const json configs = page_data(html, "crsim-charts");
        // 3 targets + 2 classes' CDFs + demand and staffing + occupancy.
        CHECK(page.charts() == 7);
        CHECK(configs.size() == 7);
        CHECK(occurrences(html, "<canvas") == 7);
        CHECK(html.find("<h1>crsim report: Town &quot;A&quot; &lt;north&gt; &amp; co</h1>") != std::string::npos);
        CHECK(html.find("<north>") == std::string::npos);

        SUBCASE("the weekly trajectory is the weekly figure with its CI band and the goal, shares as percentages") {
            const json& chart = chart_by_caption(html, configs, "999 answered within 10 s (%), week by week");
            const json& datasets = chart["data"]["datasets"];
            REQUIRE(datasets.size() == 4);  // mean, upper and lower edge, target
            CHECK(chart["data"]["labels"] == json::array({1, 2, 3}));
            for (std::size_t w = 0; w < 3; ++w) {
                const Figure& f = summary.weeks.classes[0][w].service_level[0];
                CAPTURE(w);
                CHECK(number(datasets[0]["data"][w]) == 100 * f.mean);
                CHECK(number(datasets[1]["data"][w]) == 100 * (f.mean + f.ci95));
                CHECK(number(datasets[2]["data"][w]) == 100 * (f.mean - f.ci95));
                CHECK(number(datasets[3]["data"][w]) == 90);
            }
            CHECK(datasets[1]["fill"] == "+1");
            const json& asa =
                chart_by_caption(html, configs, "999 average wait of answered calls (s), week")["data"]["datasets"];
            CHECK(number(asa[0]["data"][1]) == summary.weeks.classes[0][1].asa_s.mean);
            const json& abandoned =
                chart_by_caption(html, configs, "101 &lt;/script&gt; abandoned (%), week")["data"]["datasets"];
            CHECK(number(abandoned[0]["data"][2]) == summary.weeks.classes[1][2].abandoned_pct.mean);
        }

        SUBCASE(
            "the answer-time CDF is over offered calls: the service level at each threshold, below 100% at the end") {
            const json& chart = chart_by_caption(html, configs, "Class 999, ");
            const json& points = chart["data"]["datasets"][0]["data"];
            const ClassFigures<Figure>& f = summary.classes[0].figures;
            bool at_threshold = false;
            for (const json& p : points)
                if (p["x"].get<double>() == 10) {
                    at_threshold = true;
                    CHECK(p["y"].get<double>() == 100 * f.service_level[0].mean);
                }
            CHECK(at_threshold);
            // Replication r answers 90 + r of 100 + 10 r offered calls: the curve ends at their mean share.
            const double answered = (90.0 / 100 + 91.0 / 110 + 92.0 / 120) / 3;
            CHECK(points.back()["y"].get<double>() == doctest::Approx(100 * answered));
            for (std::size_t i = 1; i < points.size(); ++i) CHECK(points[i]["y"] >= points[i - 1]["y"]);
            // The target drawn as a point at (10 s, 90%).
            const json& target = chart["data"]["datasets"].back();
            CHECK(target["data"][0]["x"] == 10.0);
            CHECK(target["data"][0]["y"] == 90.0);
        }

        SUBCASE("demand and people on duty are means per measured hour of the week") {
            const json& chart = chart_by_caption(html, configs, "Calls offered an hour");
            const json& offered = chart["data"]["datasets"][0]["data"];
            const json& people = chart["data"]["datasets"][1]["data"];
            REQUIRE(offered.size() == 168);
            REQUIRE(summary.hour_of_week_measured_h.size() == 168);
            for (const std::size_t h : {0, 9, 23, 24, 100, 167}) {
                CAPTURE(h);
                const double measured = summary.hour_of_week_measured_h[h];
                CHECK(measured == (h < 24 ? 2.0 : 3.0));  // Monday's first day is warm-up
                const double calls =
                    summary.hours_of_week.classes[0][h].offered.mean + summary.hours_of_week.classes[1][h].offered.mean;
                CHECK(number(offered[h]) == doctest::Approx(calls / measured));
                CHECK(number(people[h]) ==
                      doctest::Approx(summary.hours_of_week.groups[0][h].paid_hours.mean / measured));
            }
            const json& occupancy = chart_by_caption(html, configs, "Occupancy")["data"]["datasets"][0]["data"];
            CHECK(number(occupancy[12]) == doctest::Approx(100 * summary.hours_of_week.groups[0][12].occupancy.mean));
        }

        SUBCASE("the page carries the summary as summary.json has it, and the verdict table") {
            const json embedded = page_data(html, "crsim-summary");
            REQUIRE(embedded.size() == 1);
            CHECK(embedded[0]["option"] == scenario_name);
            CHECK(embedded[0]["summary"] == json::parse(summary_json(summary).dump()));
            CHECK(html.find("<td>999 answered within 10 s (%), at least 90</td>") != std::string::npos);
        }

        SUBCASE("no heading, caption or table cell uses a code name") {
            for (const char* code : {"service_level", "asa_s", "abandoned_pct", "wait_p90_s", "p_met"})
                for (const char* tag : {"<td>", "<th>", "<h2>", "<figcaption>"}) {
                    CAPTURE(code);
                    CAPTURE(tag);
                    const std::string body = html.substr(0, html.find("<script type=\"application/json\""));
                    for (std::size_t at = body.find(tag); at != std::string::npos; at = body.find(tag, at + 1))
                        CHECK(body.substr(at, body.find('<', at + 1) - at).find(code) == std::string::npos);
                }
        }
    }

    TEST_CASE("the comparison report adds the paired differences and each option's cost against each target") {
        const std::vector<Summary> summaries = {make_summary(0), make_summary(1)};
        const std::vector<std::string> names = {"now", "merged"};
        const Comparison comparison = compare(summaries, names);
        const HtmlPage page = compare_report(comparison, summaries);
        const std::string html = page.html("");
        const json configs = page_data(html, "crsim-charts");
        CHECK(page.charts() == 7 + 3);
        CHECK(html.find("Against the baseline now") != std::string::npos);
        const json& chart =
            chart_by_caption(html, configs, "Rostered cost per year against 999 average wait of answered calls (s)");
        const json& datasets = chart["data"]["datasets"];
        for (std::size_t option = 0; option < 2; ++option) {
            CAPTURE(option);
            const json& point = datasets[2 * option]["data"][0];
            CHECK(datasets[2 * option]["label"] == names[option]);
            CHECK(point["x"].get<double>() ==
                  summaries[option].total.rostered_cost.mean * summaries[option].span.per_year(1));
            CHECK(point["y"].get<double>() == summaries[option].targets[1].value.mean);
        }
        // Demand is the same in both options, so drawn once; people on duty once per option.
        const json& demand = chart_by_caption(html, configs, "Calls offered an hour")["data"]["datasets"];
        CHECK(demand.size() == 3);
        CHECK(page_data(html, "crsim-summary")[1]["option"] == "merged");
        CHECK_THROWS_AS(compare_report(comparison, std::span(summaries.data(), 1)), std::invalid_argument);
    }

    TEST_CASE("a backlog's response-time target is in the targets table and compared, in words") {
        ScenarioSpec spec = make_spec();
        DeferrableSpec online;
        online.name = "online";
        online.target_within_s = 86400;
        online.target_goal = 0.9;
        spec.deferrables = {online};
        std::vector<Summary> summaries;
        for (int option = 0; option < 2; ++option) {
            std::vector<ReplicationResult> results;
            for (int r = 0; r < 3; ++r) {
                results.push_back(make_replication(r, option));
                results.back().deferrables = {
                    DeferrableCounts{100, 100, static_cast<std::uint64_t>(90 + r + option), 0}};
            }
            summaries.push_back(summarise(spec, results, 7));
        }
        const std::vector<std::string> names = {"now", "merged"};
        const std::string html = compare_report(compare(summaries, names), summaries).html("");
        // Both options' targets (shares 0.91 ± 0.0248 and 0.92 ± 0.0248: met, not confident), and the difference.
        CHECK(occurrences(html, "<td>online (backlog) started within 86400 s (%), at least 90</td>") == 2);
        CHECK(occurrences(html, "<td>online (backlog) started within 86400 s (%)</td>") == 1);
        CHECK(html.find("MET (not confident)") != std::string::npos);
    }

    TEST_CASE("the model keeps each replication's wait quantiles, through the reported ones") {
        using namespace crsim::test;
        ScenarioSpec spec;
        spec.name = "cdf";
        spec.horizon_s = 2 * seconds_per_day;
        spec.rooms = {{"room"}};
        spec.classes = {make_class("x", 0, {}, 30, Distribution::exponential(240), Distribution::exponential(300))};
        spec.groups = {make_group(spec, "handlers")};
        spec.shifts = {always_on(0, 0, 2, 3 * seconds_per_day)};
        default_preferences(spec);
        const ReplicationResult r = run_replication(spec, 3, 0);
        const ClassResult& c = r.classes[0];
        REQUIRE(c.counts.answered > 0);
        REQUIRE(c.wait_quantiles_s.size() == wait_cdf_probabilities.size());
        CHECK(c.wait_quantiles_s[50] == c.wait_p50_s);
        CHECK(c.wait_quantiles_s[90] == c.wait_p90_s);
        CHECK(c.wait_quantiles_s[95] == c.wait_p95_s);
        CHECK(c.wait_quantiles_s[99] == c.wait_p99_s);
        CHECK(c.wait_quantiles_s.back() == c.max_wait_s);
        for (std::size_t i = 1; i < c.wait_quantiles_s.size(); ++i)
            CHECK(c.wait_quantiles_s[i] >= c.wait_quantiles_s[i - 1]);
    }

    TEST_CASE("Chart.js is read from libjs-chart.js's file, or a clear error names the package") {
        TempFile file;
        CHECK_THROWS_WITH_AS(load_chart_library((file.path / "missing.js").string()),
                             doctest::Contains("install the Debian package libjs-chart.js"), std::runtime_error);
        { std::ofstream(file.path) << ""; }
        const std::string empty_file = file.path.string();
        CHECK_THROWS_WITH_AS(load_chart_library(empty_file), doctest::Contains(empty_file.c_str()), std::runtime_error);
        { std::ofstream(file.path) << "var a = '</SCRIPT>';"; }
        CHECK_THROWS_WITH_AS(load_chart_library(file.path.string()), doctest::Contains("cannot be inlined"),
                             std::runtime_error);
        { std::ofstream(file.path) << "var Chart = 1;"; }
        CHECK(load_chart_library(file.path.string()) == "var Chart = 1;");
        ::setenv("CRSIM_CHART_JS", file.path.c_str(), 1);
        CHECK(chart_library_location() == file.path.string());
        CHECK(load_chart_library() == "var Chart = 1;");
        ::unsetenv("CRSIM_CHART_JS");
        CHECK(chart_library_location() == chart_library_path);
    }
}
