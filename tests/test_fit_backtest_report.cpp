// The HTML reports of `crsim fit --report` and `crsim backtest --report`: every number a chart
// draws is the fit's or the backtest's own. Drawing in a browser: tools/check_report.py (ctest
// "crsim report: fit-backtest-chromium").
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "crsim/backtest/backtest.hpp"
#include "crsim/calllog/call_log.hpp"
#include "crsim/fit/log_fit.hpp"
#include "crsim/report/backtest_report.hpp"
#include "crsim/report/fit_report.hpp"
#include "page_fixtures.hpp"

using namespace crsim;
using crsim::test::chart_by_caption;
using crsim::test::page_data;
using nlohmann::json;

namespace {

/// Two weeks from Monday 2024-01-01 of two classes from 08:00 to 17:59: "A&B" (answered and abandoned
/// calls, agent1) and "C" (answered only, agent2); every wait under the minute an agent takes to pick
/// up, so each agent is on duty through the day. Waits, handle times and counts vary with
/// the day and the hour, so that each chart has something to get wrong.
fit::LogFit make_fit() {
    std::string text = "arrival,class,outcome,wait_s,handle_s,agent\n";
    char row[128];
    for (int day = 0; day < 14; ++day)
        for (int hour = 8; hour < 18; ++hour)
            for (int i = 0; i < 2 + (day % 3) + hour % 2; ++i) {
                const bool abandon = (i + day + hour) % 5 == 0;
                std::snprintf(row, sizeof row, "2024-01-%02dT%02d:%02d:00,A&B,%s,%d,%d,agent1\n", day + 1, hour, 7 * i,
                              abandon ? "abandoned" : "answered", 5 + (i * 13 + day * 7) % 50,
                              abandon ? 0 : 60 + (i * 37 + hour * 11 + day) % 400);
                text += row;
                if (i % 2 == 0) {
                    std::snprintf(row, sizeof row, "2024-01-%02dT%02d:%02d:30,C,answered,%d,%d,agent2\n", day + 1, hour,
                                  7 * i, (i * 5 + day) % 20, 30 + (i * 17 + day * 3) % 200);
                    text += row;
                }
            }
    std::istringstream in(text);
    const calllog::CallLog log = calllog::read_call_log(in, "two-weeks.csv");
    fit::FitOptions options;
    options.small_share = 0;
    // Two people 08:00-18:00 each day, and a third 10:00-12:30 on the first Monday.
    options.staffing.emplace();
    for (int day = 0; day < 14; ++day) {
        const double midnight = static_cast<double>(calllog::day_number(log.calls.front().arrival_s) + day) * 86400;
        options.staffing->push_back({midnight + 8 * 3600, midnight + 18 * 3600, "centre", "agents", 2, 0});
    }
    const double monday = static_cast<double>(calllog::day_number(log.calls.front().arrival_s)) * 86400;
    options.staffing->push_back({monday + 10 * 3600, monday + 12.5 * 3600, "centre", "agents", 1, 0});
    return fit::fit_call_log(log, "two <weeks>.csv", options);
}

}  // namespace

TEST_SUITE("HTML report of crsim fit") {
    TEST_CASE("the fit report draws arrivals, daily totals, handle time, patience and staffing from the fit") {
        const fit::LogFit fitted = make_fit();
        REQUIRE(fitted.classes.size() == 2);
        const fit::ClassFit& a = fitted.classes[0];
        REQUIRE(a.name == "A&B");
        REQUIRE(a.patience.has_patience());
        REQUIRE_FALSE(fitted.classes[1].patience.has_patience());
        const report::HtmlPage page = report::fit_report(fitted);
        const std::string html = page.html("");
        const json configs = page_data(html, "crsim-charts");
        // A&B: profile, daily totals, handle time, patience; C: the same but patience; staffing.
        CHECK(page.charts() == 4 + 3 + 1);
        CHECK(configs.size() == page.charts());
        CHECK(html.find("<h1>crsim fit: two &lt;weeks&gt;.csv</h1>") != std::string::npos);
        CHECK(html.find("No caller of C abandoned") != std::string::npos);

        SUBCASE("the weekly profile is the fitted one, against the lowest and highest day") {
            const json& chart = chart_by_caption(html, configs, "Arrivals of A&amp;B");
            const json& datasets = chart["data"]["datasets"];
            REQUIRE(datasets[0]["data"].size() == 168);
            for (std::size_t i = 0; i < 168; ++i) CHECK(datasets[0]["data"][i].get<double>() == a.arrivals.profile[i]);
            // Monday 08:00 (interval 8): day 0 has 2 + 0 + 0 calls, day 7 has 2 + 1 + 0.
            CHECK(datasets[1]["data"][8] == json::array({2.0, 3.0}));
            CHECK(chart["data"]["labels"][8] == "Mon 08:00");
        }

        SUBCASE("daily totals against the weekday's fitted mean and its spread with daily_cv") {
            const json& chart = chart_by_caption(html, configs, "Daily totals of A&amp;B");
            const json& datasets = chart["data"]["datasets"];
            REQUIRE(datasets[0]["data"].size() == 14);
            for (std::size_t d = 0; d < 14; ++d) {
                double total = 0, mean = 0;
                for (const double x : a.arrivals.counts[d]) total += x;
                for (std::size_t i = 0; i < 24; ++i) mean += a.arrivals.profile[(d % 7) * 24 + i];
                const double sd = std::sqrt(mean + mean * mean * a.arrivals.daily_cv * a.arrivals.daily_cv);
                CAPTURE(d);
                CHECK(datasets[0]["data"][d].get<double>() == total);
                CHECK(datasets[1]["data"][d].get<double>() == doctest::Approx(mean));
                CHECK(datasets[2]["data"][d][1].get<double>() == doctest::Approx(mean + 1.96 * sd));
            }
            CHECK(chart["data"]["labels"][0] == "Mon 2024-01-01");
        }

        SUBCASE("the handle-time histogram sums to the calls on the axis; each family's bars to its probability") {
            const json& chart = chart_by_caption(html, configs, "Handle time of A&amp;B");
            const json& datasets = chart["data"]["datasets"];
            const fit::DurationFit& h = a.handle;
            REQUIRE(datasets.size() == 5);  // four families and the observed shares
            const json& observed = datasets[4]["data"];
            REQUIRE(observed.size() == 40);
            const double top = h.values[static_cast<std::size_t>(0.99 * static_cast<double>(h.values.size() - 1))];
            double share = 0, within = 0;
            for (const auto& s : observed) share += s.get<double>();
            for (const double x : h.values) within += x < top ? 1 : 0;
            CHECK(share == doctest::Approx(within / static_cast<double>(h.values.size())));
            for (std::size_t k = 0; k < 4; ++k) {
                double expected = 0;
                for (const auto& s : datasets[k]["data"]) expected += s.get<double>();
                CAPTURE(k);
                CHECK(expected == doctest::Approx(h.fits[k].cdf(top)).epsilon(1e-9));
            }
            CHECK(datasets[h.chosen]["label"].get<std::string>().find("(chosen)") != std::string::npos);
        }

        SUBCASE("patience: the Kaplan-Meier steps and each family's survival") {
            const json& chart = chart_by_caption(html, configs, "Patience of A&amp;B");
            const json& steps = chart["data"]["datasets"][0]["data"];
            const fit::KaplanMeier& km = a.patience.km;
            REQUIRE(steps.size() == km.times.size() + 2);
            CHECK(steps[0] == json{{"x", 0}, {"y", 1}});
            for (std::size_t i = 0; i < km.times.size(); ++i) {
                CHECK(steps[i + 1]["x"].get<double>() == km.times[i]);
                CHECK(steps[i + 1]["y"].get<double>() == km.survival[i]);
            }
            const json& family = chart["data"]["datasets"][1]["data"];
            CHECK(family[50]["y"].get<double>() == a.patience.fits[0].survival(km.last_time / 2));
            CHECK(chart["options"]["scales"]["x"]["max"].get<double>() == km.last_time);
        }

        SUBCASE("people on duty: the roster written, per interval of the period") {
            const json& chart = chart_by_caption(html, configs, "People on duty over the period");
            const json& roster = chart["data"]["datasets"][0]["data"];
            REQUIRE(roster.size() == 14 * 24);
            std::vector<double> expected(14 * 24, 0.0);
            for (const fit::RosterBlock& b : fitted.roster)
                for (std::size_t i = 0; i < expected.size(); ++i) {
                    const double from = static_cast<double>(b.day) * 86400 + b.start_s, to = from + b.length_s;
                    const double lo = std::max(from, i * 3600.0), hi = std::min(to, (i + 1) * 3600.0);
                    if (hi > lo) expected[i] += b.headcount * (hi - lo) / 3600;
                }
            for (std::size_t i = 0; i < expected.size(); ++i)
                CHECK(roster[i].get<double>() == doctest::Approx(expected[i]));
            // The first Monday: nobody before 08:00, two people, three from 10:00, 2.5 from 12:00 to 12:30.
            CHECK(roster[7].get<double>() == 0);
            CHECK(roster[8].get<double>() == 2);
            CHECK(roster[10].get<double>() == 3);
            CHECK(roster[12].get<double>() == doctest::Approx(2.5));
            CHECK(roster[24 + 12].get<double>() == 2);
            CHECK(roster[18].get<double>() == 0);
        }
    }
}

TEST_SUITE("HTML report of crsim backtest") {
    TEST_CASE("the backtest report draws each figure observed against the simulated mean and prediction interval") {
        backtest::BacktestResult r;
        r.scenario = "bank";
        r.log = "calls <oct>.csv";
        r.first_day = 10865;
        r.last_day = 10895;
        r.replications = 20;
        r.seed = 5;
        r.metrics = {"offered", "answered", "abandoned_pct", "asa_s", "service_level_20s"};
        r.thresholds_s = {20};
        r.classes = {"PS", "NE"};
        const auto figures = [&](double base) {
            backtest::Figures f;
            for (std::size_t m = 0; m < r.metrics.size(); ++m) {
                backtest::Comparison c;
                c.mean = base + static_cast<double>(m);
                c.ci95 = 0.5;
                c.pi_low = c.mean - 2;
                c.pi_high = c.mean + 2;
                c.observed = c.mean + (m % 2 == 0 ? 1 : 3);  // even metrics inside, odd ones outside
                c.n = 20;
                f.push_back(c);
            }
            return f;
        };
        r.by_class = {figures(10), figures(20)};
        r.overall = figures(30);
        for (int h = 0; h < 24; ++h) {
            r.by_hour.push_back({figures(100 + h), figures(200 + h)});
            r.by_hour_overall.push_back(figures(300 + h));
        }
        const report::HtmlPage page = report::backtest_report(r);
        const std::string html = page.html("");
        const json configs = page_data(html, "crsim-charts");
        // 5 metrics by class, 5 by hour for all classes, offered, abandoned_pct and asa_s by hour per class.
        CHECK(page.charts() == 5 + 5 + 2 * 3);
        CHECK(html.find("against calls &lt;oct&gt;.csv</h1>") != std::string::npos);
        CHECK(html.find("9 of 15 figures (per class and overall) lie inside their prediction interval") !=
              std::string::npos);
        CHECK(page_data(html, "crsim-backtest") == json::parse(backtest::backtest_json(r)));

        const json& per_class = chart_by_caption(html, configs, "asa_s per class")["data"];
        CHECK(per_class["labels"] == json::array({"PS", "NE", "all classes"}));
        CHECK(per_class["datasets"][0]["data"][1].get<double>() == r.by_class[1][3].observed);
        CHECK(per_class["datasets"][1]["data"][2].get<double>() == r.overall[3].mean);
        CHECK(per_class["datasets"][2]["data"][0] == json::array({r.by_class[0][3].pi_low, r.by_class[0][3].pi_high}));
        CHECK(per_class["datasets"][0]["pointBackgroundColor"][0] == "#d62728");  // outside: red

        const json& by_hour = chart_by_caption(html, configs, "NE: abandoned_pct by hour of day")["data"];
        REQUIRE(by_hour["labels"].size() == 24);
        CHECK(by_hour["labels"][7] == "07:00");
        CHECK(by_hour["datasets"][0]["data"][7].get<double>() == r.by_hour[7][1][2].observed);
        CHECK(by_hour["datasets"][2]["data"][7] ==
              json::array({r.by_hour[7][1][2].pi_low, r.by_hour[7][1][2].pi_high}));
        CHECK(by_hour["datasets"][0]["pointBackgroundColor"][7] == "#2ca02c");  // inside: green
        const json& overall = chart_by_caption(html, configs, "service_level_20s by hour of day, all classes")["data"];
        CHECK(overall["datasets"][1]["data"][23].get<double>() == r.by_hour_overall[23][4].mean);
    }
}
