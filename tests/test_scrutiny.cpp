// Weekly scrutiny: the weekly KPI format (read back what crsim writes; located errors for bad
// files), the one-week band's order statistics, the CUSUM's timeline, demand that follows the
// reported weeks, a scrutiny that sees a staffing cut, and calibrate's response surfaces.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <string>

#include "crsim/model/run_replication.hpp"
#include "crsim/scenario/load_scenario.hpp"
#include "crsim/scrutiny/calibration.hpp"
#include "crsim/scrutiny/response_surface.hpp"
#include "crsim/scrutiny/scrutiny.hpp"
#include "crsim/scrutiny/weekly_kpis.hpp"

using namespace crsim;

namespace {

// One class, one room, 3 handlers around the clock: about 1,000 calls a week at a load of 0.5.
const char* const yaml = R"(
name: scrutiny-check
start_date: 2024-01-01
horizon: 6w
warmup: 1w
seed: 5
rooms: {centre: {}}
classes:
  A:
    priority: 1
    arrivals: {per_week: 1000}
    handle_time: {dist: exponential, mean: 10min}
    patience: {dist: exponential, mean: 5min}
    targets: [{metric: service_level, within: 20s, goal: 80%}, {metric: asa, max: 60s}]
groups:
  agents: {takes: [A]}
roster:
  - {room: centre, group: agents, shift: {start: "00:00", length: 24h}, headcount: 3}
)";

model::ScenarioSpec load(const std::vector<scenario::Override>& overrides = {}) {
    const scenario::LoadResult loaded = scenario::load_scenario_text(yaml, "scrutiny-check.yaml", overrides);
    REQUIRE(loaded.ok());
    return *loaded.spec;
}

scrutiny::WeeklyKpis read(const std::string& text) {
    std::istringstream in(text);
    return scrutiny::read_weekly_kpis(in, "weeks.csv");
}

std::string read_error(const std::string& text) {
    try {
        read(text);
    } catch (const scrutiny::KpiFileError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("crsim's weekly KPIs read back as the weeks of the replication that wrote them") {
    const model::ScenarioSpec spec = load();
    const model::ReplicationResult run = model::run_replication(spec, 9, 0);
    const std::string csv = scrutiny::weekly_kpis_csv(spec, run);
    const scrutiny::WeeklyKpis kpis = read(csv);
    // Weeks 2-6: week 1 is the warm-up.
    REQUIRE(kpis.rows.size() == 5);
    CHECK(kpis.thresholds_s == std::vector<double>{20});
    CHECK(calllog::format_date(kpis.rows.front().week_start) == "2024-01-08");
    for (std::size_t w = 0; w < 5; ++w) {
        const model::ClassCounts& n = run.weeks.classes[0][w + 1];
        CHECK(kpis.rows[w].offered == static_cast<double>(n.offered));
        CHECK(kpis.rows[w].abandoned == static_cast<double>(n.abandoned));
        CHECK(kpis.rows[w].service_level[0] ==
              doctest::Approx(static_cast<double>(n.answered_within[0]) / static_cast<double>(n.offered)));
    }
}

TEST_CASE("a weekly KPI file with renamed columns, shares and missing figures") {
    std::istringstream in(
        "Week,Queue,Calls,service_level_3min,asa_s\n2024-01-08,A,100,85%,\n2024-01-15,A,120,0.9,12.5\n");
    calllog::ReadOptions options;
    options.column_names = scrutiny::parse_kpi_column_map("week_start=Week,class=Queue,offered=Calls");
    const scrutiny::WeeklyKpis kpis = scrutiny::read_weekly_kpis(in, "w.csv", options);
    REQUIRE(kpis.rows.size() == 2);
    CHECK(kpis.thresholds_s == std::vector<double>{180});
    CHECK(kpis.rows[0].service_level[0] == doctest::Approx(0.85));
    CHECK(std::isnan(kpis.rows[0].asa_s));
    CHECK(kpis.rows[1].asa_s == 12.5);
    CHECK_THROWS_WITH_AS(scrutiny::parse_kpi_column_map("weeks=W"), doctest::Contains("unknown column 'weeks'"),
                         std::invalid_argument);
}

TEST_CASE("bad weekly KPI files are refused at the line and column at fault") {
    CHECK(read_error("week_start,class,answered\n2024-01-08,A,3\n") ==
          "weeks.csv:1: error: missing column 'offered'; the header has: week_start class answered");
    CHECK(read_error("week_start,class,offered,abandoned\n2024-01-08,A,10,1\n2024-01-15,A,-3,0\n") ==
          "weeks.csv:3: error: offered: a count cannot be negative, got -3");
    CHECK(read_error("week_start,class,offered,answered\n2024-01-08,A,10,11\n") ==
          "weeks.csv:2: error: answered (11) exceeds offered (10)");
    CHECK(read_error("week_start,class,offered\n2024-01-08,A,10\n2024-01-08,B,10\n2024-01-12,A,10\n") ==
          "weeks.csv:4: error: the week starting 2024-01-12 overlaps the week starting 2024-01-08 (line 2) of "
          "class A");
    CHECK(read_error("week_start,class,offered\n2024-13-08,A,10\n") ==
          "weeks.csv:2: error: week_start: expected a date YYYY-MM-DD, got '2024-13-08'");
    CHECK(read_error("week_start,class,offered,answered_within_20s,answered\n2024-01-08,A,10,6,5\n") ==
          "weeks.csv:2: error: answered_within_20s (6) exceeds answered");
    CHECK(read_error("week_start,class,offered,service_level_20s\n2024-01-08,A,10,1.5\n") ==
          "weeks.csv:2: error: service_level_20s: expected a share from 0 to 1 (or 0% to 100%), got '1.5'");
}

TEST_CASE("the one-week band of 199 values is their 5th lowest and 5th highest") {
    std::vector<double> values(199);
    std::iota(values.begin(), values.end(), 1.0);
    values.push_back(std::nan(""));  // undefined weeks are left out
    CHECK(scrutiny::prediction_band(values) == std::pair<double, double>{5, 195});
    std::vector<double> forty(39);
    std::iota(forty.begin(), forty.end(), 1.0);
    CHECK(scrutiny::prediction_band(forty) == std::pair<double, double>{1, 39});
}

TEST_CASE("the CUSUM alarms when the sum of excesses over k passes h, then starts again") {
    // k = 0.5, h = 4. Up: 0, 0, 2.5, 5.0 > 4: alarm at 3 (upward), reset. Then down: -3 gives 2.5,
    // -3 gives 5.0 > 4: alarm at 5 (downward).
    const std::vector<double> z = {0.2, -0.3, 3, 3, -3, -3, 0.4};
    const auto alarms = scrutiny::cusum_alarms(z, 0.5, 4);
    REQUIRE(alarms.size() == 2);
    CHECK(alarms[0] == std::pair<std::size_t, bool>{3, true});
    CHECK(alarms[1] == std::pair<std::size_t, bool>{5, false});
}

TEST_CASE("reported demand scales each week's arrivals, and no factor leaves the run unchanged") {
    model::ScenarioSpec spec = load();
    const model::ReplicationResult plain = model::run_replication(spec, 3, 0);
    spec.classes[0].arrivals.week_factors = {1, 1, 2.0};  // week 3 doubled
    const model::ReplicationResult doubled = model::run_replication(spec, 3, 0);
    // Weeks before the factor: the very same draws.
    CHECK(doubled.weeks.classes[0][1].offered == plain.weeks.classes[0][1].offered);
    // Week 3: mean 2000; Poisson sd 45, so 4 sd is 180.
    CHECK(std::abs(static_cast<double>(doubled.weeks.classes[0][2].offered) - 2000) < 180);
    CHECK(std::abs(static_cast<double>(doubled.weeks.classes[0][3].offered) - 1000) < 130);
}

TEST_CASE("scrutiny flags a staffing cut from week 4 and the before/after test finds it") {
    // The reported weeks: 2 handlers instead of 3 from week 4.
    model::ScenarioSpec cut = load({{"disruptions", scenario::Override::Op::set,
                                     "[{groups: [agents], weeks: {from: 4, to: 6}, headcount: 67%}]", "test"}});
    const std::string csv = scrutiny::weekly_kpis_csv(cut, model::run_replication(cut, 77, 0));
    const scrutiny::WeeklyKpis kpis = read(csv);
    scrutiny::ScrutinyOptions options;
    options.replications = 39;
    options.threads = 2;
    options.before = model::ReportWindow{model::ReportWindow::Unit::week, 2, 3, 0, 0};
    options.after = model::ReportWindow{model::ReportWindow::Unit::week, 4, 6, 0, 0};
    const scrutiny::ScrutinyResult r = scrutiny::run_scrutiny(load(), kpis, "weeks.csv", options);
    // 5 weeks of offered, abandoned_pct, asa_s, service_level_20s.
    REQUIRE(r.figures.size() == 20);
    for (const scrutiny::FigureVerdict& f : r.figures)
        if (f.metric == "service_level_20s") {
            CHECK(f.target == doctest::Approx(0.8));
            CHECK(f.verdict == (f.run_week >= 4 ? scrutiny::FigureVerdict::Verdict::below
                                                : scrutiny::FigureVerdict::Verdict::inside));
        }
    REQUIRE(r.test);
    CHECK(r.test->metric == "service_level_20s");
    CHECK(r.test->effect < r.test->ci_high);
    CHECK(r.test->ci_high < 0);
    CHECK(r.test->p_value == doctest::Approx(1.0 / 40));  // no simulated history as extreme
    const nlohmann::json j = nlohmann::json::parse(scrutiny::scrutiny_json(r));
    CHECK(j["weeks"][0].contains("band"));
    CHECK(j["test"]["ci95"].size() == 2);
    CHECK(j["detector"]["false_alarms_per_year"].get<double>() > 0);
}

TEST_CASE("--vary reads a path and a range with a unit") {
    const scrutiny::VaryParameter p = scrutiny::parse_vary("transitions[0].handle_inflation=40%..90%");
    CHECK(p.path == "transitions[0].handle_inflation");
    CHECK(p.low == 40);
    CHECK(p.high == 90);
    CHECK(p.unit == "%");
    CHECK(p.text(52.5) == "52.5%");
    CHECK(scrutiny::parse_vary("classes.A.handle_time.mean=8min..12min").unit == "min");
    CHECK_THROWS_WITH_AS(scrutiny::parse_vary("x=5min..10s"), doctest::Contains("the same unit"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(scrutiny::parse_vary("x=9..3"), doctest::Contains("LO must be below HI"),
                         std::invalid_argument);
}

TEST_CASE("a central composite design stays in the ranges and a quadratic is fitted to it exactly") {
    const std::vector<Eigen::VectorXd> one = scrutiny::central_composite_design(Eigen::VectorXd::Constant(1, 0.5), 0.1);
    REQUIRE(one.size() == 3);  // the centre and the two axis points (the corners are the same)
    CHECK(one[1][0] == doctest::Approx(0.4));
    CHECK(one[2][0] == doctest::Approx(0.6));
    // A centre near the edge moves the box inside [0, 1]: 0.95 becomes 0.9.
    Eigen::VectorXd edge(2);
    edge << 0.95, 0.3;
    const std::vector<Eigen::VectorXd> two = scrutiny::central_composite_design(edge, 0.1);
    REQUIRE(two.size() == 9);  // centre, 4 axis points, 4 corners
    CHECK(two.front()[0] == doctest::Approx(0.9));
    CHECK(two.front()[1] == doctest::Approx(0.3));
    for (const Eigen::VectorXd& p : two) {
        CHECK(p.minCoeff() >= 0);
        CHECK(p.maxCoeff() <= 1 + 1e-12);
    }
    // Two figures, each a quadratic in (u, v): fitted on the 9 points, the surface is exact.
    auto figures = [](const Eigen::VectorXd& u) {
        Eigen::VectorXd f(2);
        f << 3 + 2 * u[0] - u[1] + 4 * u[0] * u[1], 1 - 5 * u[0] * u[0] + 2 * u[1] * u[1];
        return f;
    };
    Eigen::MatrixXd values(9, 2);
    for (std::size_t k = 0; k < 9; ++k) values.row(static_cast<Eigen::Index>(k)) = figures(two[k]).transpose();
    const scrutiny::QuadraticSurface surface(two, values);
    Eigen::VectorXd far(2);
    far << 0.2, 0.7;
    CHECK((surface.at(far) - figures(far)).norm() == doctest::Approx(0).epsilon(1e-9).scale(1));
    Eigen::MatrixXd slope(2, 2);
    slope << 2 + 4 * far[1], -1 + 4 * far[0], -10 * far[0], 4 * far[1];
    CHECK((surface.jacobian(far) - slope).norm() < 1e-9);

    // Fitting the figures of a known point finds it again, from another start, within the box...
    const Eigen::VectorXd scale = Eigen::VectorXd::Constant(2, 0.5);
    const Eigen::VectorXd lower = Eigen::VectorXd::Zero(2), upper = Eigen::VectorXd::Ones(2);
    Eigen::VectorXd truth(2);
    truth << 0.8, 0.35;
    const Eigen::VectorXd found = scrutiny::fit_on_surface(surface, figures(truth), scale, two.front(), lower, upper);
    CHECK((found - truth).norm() < 1e-6);
    CHECK(scrutiny::surface_objective(surface, figures(truth), scale, found) < 1e-10);
    // ...and stops at the edge of the box when the best fit lies outside it.
    Eigen::VectorXd outside(2);
    outside << 1.3, 0.35;
    const Eigen::VectorXd edge_fit =
        scrutiny::fit_on_surface(surface, figures(outside), scale, two.front(), lower, upper);
    CHECK(edge_fit[0] == 1);
}
