// Fitting: maximum likelihood against samples of known distributions, censored patience against
// Kaplan–Meier worked on paper, arrivals and staffing on small grids, and the round trip: a
// scenario simulated, written as a call log, fitted back.
#include <doctest/doctest.h>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/weibull_distribution.hpp>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "crsim/calllog/call_log.hpp"
#include "crsim/calllog/log_defects.hpp"
#include "crsim/fit/arrival_fit.hpp"
#include "crsim/fit/duration_fit.hpp"
#include "crsim/fit/log_fit.hpp"
#include "crsim/fit/patience_fit.hpp"
#include "crsim/fit/session_gap_choice.hpp"
#include "crsim/fit/staffing_estimate.hpp"
#include "crsim/fit/staffing_noise_fit.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/report/call_log_writer.hpp"
#include "crsim/scenario/load_scenario.hpp"

using namespace crsim;
using crsim::fit::Family;

namespace {

template <class Distribution>
std::vector<double> sample(Distribution d, std::size_t n, std::uint64_t seed) {
    boost::random::mt19937_64 engine(seed);
    std::vector<double> x(n);
    for (double& v : x) v = d(engine);
    return x;
}

}  // namespace

TEST_CASE("each family is recovered and chosen by AIC, its mean within 3 standard errors") {
    struct Case {
        Family family;
        std::vector<double> values;
        double mean;
    };
    const std::size_t n = 4000;
    const std::vector<Case> cases = {
        {Family::exponential, sample(boost::random::exponential_distribution<>(1 / 200.0), n, 1), 200},
        {Family::gamma, sample(boost::random::gamma_distribution<>(3.0, 60.0), n, 2), 180},
        // lognormal with mu 5, sigma 0.8: mean exp(5 + 0.32)
        {Family::lognormal, sample(boost::random::lognormal_distribution<>(5.0, 0.8), n, 3), std::exp(5.32)},
        // Weibull shape 0.7, scale 100: mean 100 Γ(1 + 1/0.7) = 126.6
        {Family::weibull, sample(boost::random::weibull_distribution<>(0.7, 100.0), n, 4),
         100 * std::tgamma(1 + 1 / 0.7)},
    };
    for (const Case& c : cases) {
        CAPTURE(fit::family_name(c.family));
        const fit::DurationFit d = fit::fit_durations(c.values, 1e-6);
        // The exponential is nested in gamma and Weibull (shape 1): AIC cannot tell them apart by more
        // than the one parameter's 2, so there the true family need only come within 2 of the best.
        const fit::FamilyFit& truth = d.fits[c.family == Family::exponential ? 0
                                             : c.family == Family::gamma     ? 1
                                             : c.family == Family::lognormal ? 2
                                                                             : 3];
        if (c.family == Family::exponential)
            CHECK(truth.aic - d.best().aic <= 2);
        else
            CHECK(d.best().family == c.family);
        CHECK(std::abs(d.best().mean - c.mean) < 3 * d.best().mean_se);
        CHECK(std::abs(truth.mean - c.mean) < 3 * truth.mean_se);
        for (const fit::FamilyFit& f : d.fits) CHECK(f.ok);
        // The true family is close to the sample (KS well under the 1% critical value 1.63/sqrt(n)).
        CHECK(d.best().distance < 1.63 / std::sqrt(static_cast<double>(n)));
    }
}

TEST_CASE("the exponential and gamma maximum-likelihood means are the sample mean exactly") {
    const std::vector<double> x = {10, 20, 30, 45, 80, 200};
    const fit::DurationFit d = fit::fit_durations(x);
    CHECK(d.fits[0].mean == doctest::Approx(385.0 / 6).epsilon(1e-12));
    CHECK(d.fits[1].mean == doctest::Approx(385.0 / 6).epsilon(1e-9));
    // Exponential: SE of the mean = mean / sqrt(n).
    CHECK(d.fits[0].mean_se == doctest::Approx(385.0 / 6 / std::sqrt(6.0)).epsilon(1e-4));
    // Lognormal: mu and sigma are the mean and (divisor n) sd of the logarithms.
    double mu = 0, s2 = 0;
    for (double v : x) mu += std::log(v) / 6;
    for (double v : x) s2 += (std::log(v) - mu) * (std::log(v) - mu) / 6;
    CHECK(d.fits[2].p1 == doctest::Approx(mu).epsilon(1e-12));
    CHECK(d.fits[2].p2 == doctest::Approx(std::sqrt(s2)).epsilon(1e-12));
    CHECK_THROWS_AS(fit::fit_durations({5}), std::invalid_argument);
    CHECK_THROWS_AS(fit::fit_durations({5, 5, 5}), std::invalid_argument);
}

TEST_CASE("Kaplan-Meier worked on paper") {
    // Events at 2, 4, 4, 7; censored at 3, 5, 8. At risk: 7 at t=2, 5 at t=4, 2 at t=7.
    // S(2) = 6/7, S(4) = 6/7 * 3/5 = 18/35, S(7) = 18/35 * 1/2 = 9/35.
    const fit::KaplanMeier km = fit::kaplan_meier({2, 4, 4, 7}, {3, 5, 8});
    REQUIRE(km.times == std::vector<double>{2, 4, 7});
    CHECK(km.survival[0] == doctest::Approx(6.0 / 7));
    CHECK(km.survival[1] == doctest::Approx(18.0 / 35));
    CHECK(km.survival[2] == doctest::Approx(9.0 / 35));
    CHECK(km.at_risk == std::vector<double>{7, 5, 2});
    CHECK(km.median == 7);
    // ∫_0^8 S = 2·1 + 2·6/7 + 3·18/35 + 1·9/35
    CHECK(km.restricted_mean == doctest::Approx(2 + 12.0 / 7 + 54.0 / 35 + 9.0 / 35));
}

TEST_CASE("censored exponential: abandonments over exposure, while ignoring censoring is far off") {
    // Patience Exp(mean 300 s) against waits Exp(mean 60 s): a caller abandons when patience < wait.
    boost::random::mt19937_64 engine(11);
    boost::random::exponential_distribution<> patience(1 / 300.0), wait(1 / 60.0);
    std::vector<double> abandoned, answered;
    for (int i = 0; i < 20000; ++i) {
        const double p = patience(engine), w = wait(engine);
        (p < w ? abandoned : answered).push_back(std::min(p, w));
    }
    const fit::PatienceFit f = fit::fit_patience(abandoned, answered, 1e-6);
    REQUIRE(f.has_patience());
    const fit::FamilyFit& e = f.fits[0];
    double exposure = 0;
    for (double t : abandoned) exposure += t;
    for (double t : answered) exposure += t;
    CHECK(e.mean == doctest::Approx(exposure / static_cast<double>(abandoned.size())));
    CHECK(std::abs(f.best().mean - 300) < 3 * f.best().mean_se);
    CHECK(f.naive_mean < 0.5 * 300);  // abandoned waits are the short patiences only
    // Weibull fitted to exponential data: shape near 1.
    CHECK(std::abs(f.fits[1].p1 - 1) < 3 * f.fits[1].p1_se);
}

TEST_CASE("no abandoned call: no patience to fit") {
    const fit::PatienceFit f = fit::fit_patience({}, {1, 2, 3});
    CHECK_FALSE(f.has_patience());
}

TEST_CASE("arrivals: profile by weekday, per_week and daily_cv by the method of moments") {
    // 8 days from a Monday, 2 intervals of 12 h. Mondays: totals 10 and 30; other days 5 each.
    std::vector<std::vector<double>> counts(8, std::vector<double>{2, 3});
    counts[0] = {4, 6};
    counts[7] = {10, 20};
    const fit::ArrivalFit a = fit::fit_arrivals(counts, 0, 43200);
    CHECK(a.calls == 10 + 30 + 6 * 5);
    CHECK(a.profile[0] == 7);   // Monday 00–12: (4 + 10) / 2
    CHECK(a.profile[1] == 13);  // Monday 12–24: (6 + 20) / 2
    CHECK(a.profile[2] == 2);
    CHECK(a.per_week == 20 + 6 * 5);
    // Only Monday has two days: mean 20, variance 200; cv² = (200 - 20) / 400 = 0.45.
    CHECK(a.weekdays[0].variance == 200);
    CHECK(a.daily_cv == doctest::Approx(std::sqrt(0.45)));
    CHECK(a.per_week_se == doctest::Approx(std::sqrt(200.0 / 2)));
}

TEST_CASE("staffing: an agent's calls joined into stretches of duty while the gaps are short") {
    // One agent: calls 08:00–08:20 and 08:40–09:30 (gap 20 min: one stretch), then 11:00–11:30
    // (gap 90 min: a new stretch). Another: 08:30–09:00. Hourly intervals of day 0.
    std::vector<fit::BusySpan> spans = {{0, 0, 8 * 3600.0, 8 * 3600.0 + 1200},
                                        {0, 0, 8 * 3600.0 + 2400, 9.5 * 3600},
                                        {0, 0, 11 * 3600.0, 11.5 * 3600},
                                        {1, 0, 8.5 * 3600, 9 * 3600.0}};
    const fit::StaffingEstimate s = fit::estimate_staffing(spans, {}, 1, 0, 1, 3600, 1800);
    CHECK(s.agents == 2);
    CHECK(s.sessions == 3);
    const std::vector<double>& h = s.on_duty[0][0];
    CHECK(h[7] == 0);
    CHECK(h[8] == doctest::Approx(1.5));
    CHECK(h[9] == doctest::Approx(0.5));
    CHECK(h[10] == 0);
    CHECK(h[11] == doctest::Approx(0.5));
    // A caller waiting from 08:21 to 08:39 while agent 0 was free: agent 0 was not available
    // then, so the first stretch ends at 08:20 (one more stretch; 08:00–09:00 has 1/3 + 1/3 + 1/2).
    const fit::StaffingEstimate w =
        fit::estimate_staffing(spans, {{8 * 3600.0 + 1260, 8 * 3600.0 + 2340}}, 1, 0, 1, 3600, 1800);
    CHECK(w.sessions == 4);
    CHECK(w.on_duty[0][0][8] == doctest::Approx(1.0 / 3 + 1.0 / 3 + 0.5));
    // A wait within the first minute of the gap is a free agent picking up: still one stretch.
    const fit::StaffingEstimate quick =
        fit::estimate_staffing(spans, {{8 * 3600.0 + 1190, 8 * 3600.0 + 1250}}, 1, 0, 1, 3600, 1800);
    CHECK(quick.sessions == 3);
    // A caller of a class agent 0 never answers says nothing about agent 0: still one stretch.
    const fit::StaffingEstimate other =
        fit::estimate_staffing(spans, {{8 * 3600.0 + 1260, 8 * 3600.0 + 2340, 1}}, 1, 0, 1, 3600, 1800);
    CHECK(other.sessions == 3);
    // Roster lines: level 1 over 08–10 and 11–12, level 2 over 08–09.
    const std::vector<fit::RosterBlock> blocks =
        fit::roster_from_headcounts({{0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 1}}, 3600, 0, "agents");
    REQUIRE(blocks.size() == 3);
    CHECK(blocks[0].start_s == 8 * 3600);
    CHECK(blocks[0].length_s == 3600);
    CHECK(blocks[1].start_s == 8 * 3600);
    CHECK(blocks[1].length_s == 2 * 3600);
    CHECK(blocks[2].start_s == 11 * 3600);
}

TEST_CASE("the handle time written keeps the chosen family's shape with the sample mean") {
    // Exponential draws: the lognormal's maximum-likelihood mean is far from the sample's, the
    // written one is the sample's with the same sigma (so the same cv).
    const std::vector<double> x = sample(boost::random::exponential_distribution<double>(1.0 / 200), 400, 11);
    fit::DurationFit d = fit::fit_durations(x);
    d.chosen = 2;  // as if the lognormal had won
    const fit::FamilyFit& mle = d.best();
    const fit::FamilyFit written = d.with_sample_mean();
    CHECK(std::abs(mle.mean / d.sample_mean - 1) > 0.05);
    CHECK(written.mean == doctest::Approx(d.sample_mean).epsilon(1e-12));
    CHECK(written.p2 == mle.p2);
    CHECK(std::exp(written.p1 + written.p2 * written.p2 / 2) == doctest::Approx(d.sample_mean).epsilon(1e-12));
    CHECK(written.sd / written.mean == doctest::Approx(mle.sd / mle.mean).epsilon(1e-12));
    d.chosen = 3;  // Weibull: the scale moves, the shape stays
    const fit::FamilyFit weibull = d.with_sample_mean();
    CHECK(weibull.p1 == d.best().p1);
    CHECK(weibull.p2 * std::tgamma(1 + 1 / weibull.p1) == doctest::Approx(d.sample_mean).epsilon(1e-9));
}

TEST_CASE("the staffing's day-to-day spread: the days' Erlang A factors beyond what chance gives") {
    // Six days of ten hours, each day's abandonments exactly Erlang A's with the reconstruction's
    // 6 people times that day's factor: nothing is left to chance (dispersion 0), so the spread of
    // ln f is all staffing, and cv = sqrt(exp(var ln f) - 1).
    const std::vector<double> factors = {0.8, 0.9, 1.0, 1.1, 1.25, 1.0};
    fit::StaffingPool pool;
    pool.patience_mean_s = 300;
    for (double f : factors) {
        const double seen = fit::erlang_a_abandoned(60, 3600, 300, 300, 6 * f);
        pool.observed.emplace_back(10, fit::IntervalObservation{60, seen, 300});
        pool.people.emplace_back(10, 6.0);
    }
    const fit::StaffingNoiseFit n = fit::estimate_staffing_noise({pool}, 3600);
    double mean = 0, var = 0;
    for (double f : factors) mean += std::log(f) / 6;
    for (double f : factors) var += (std::log(f) - mean) * (std::log(f) - mean) / 5;
    CHECK(n.days == 6);
    CHECK(n.dispersion < 1e-6);
    CHECK(n.log_factor_sd == doctest::Approx(std::sqrt(var)).epsilon(1e-3));
    CHECK(n.daily_cv == doctest::Approx(std::sqrt(std::exp(var) - 1)).epsilon(1e-3));
    // The same factor every day: no spread, no noise; too few days with abandonments: none either.
    for (auto& day : pool.observed)
        for (auto& o : day) o.abandoned = fit::erlang_a_abandoned(60, 3600, 300, 300, 6);
    CHECK(fit::estimate_staffing_noise({pool}, 3600).daily_cv < 1e-3);
    pool.observed.resize(4);
    pool.people.resize(4);
    const fit::StaffingNoiseFit few = fit::estimate_staffing_noise({pool}, 3600);
    CHECK(few.days == 4);
    CHECK(few.daily_cv == 0);
}

TEST_CASE("staffing_daily_cv: the people on duty vary by day around the roster, all lines together") {
    // Ten people rostered every day, always busy: without noise every day shows ten agents; with a
    // cv of 0.3 the days differ (sd about 3) around a mean of ten. A bad value is a located error.
    const std::string yaml = R"(
name: noise
start_date: 2024-01-01
horizon: 28d
replications: 1
rooms: {centre: {}}
classes:
  A:
    priority: 1
    arrivals: {per_week: 4000}
    handle_time: {dist: exponential, mean: 1h}
    patience: {dist: exponential, mean: 5min}
groups:
  agents: {takes: [A]}
roster:
  - {room: centre, group: agents, shift: {start: "00:00", length: 24h}, headcount: 10}
)";
    auto agents_by_day = [&](const std::string& noise) {
        const scenario::LoadResult loaded = scenario::load_scenario_text(yaml + noise, "noise.yaml");
        REQUIRE(loaded.ok());
        report::CallLogWriter writer(*loaded.spec);
        model::RecordingOptions recording;
        recording.call_log = &writer;
        model::run_replication(*loaded.spec, 7, 0, recording);
        std::istringstream text(writer.text());
        const calllog::CallLog log = calllog::read_call_log(text, "noise.csv");
        // Arrivals are seconds from the log's epoch: days counted from the first call's.
        const double first = std::floor(log.calls.front().arrival_s / 86400);
        std::vector<std::set<std::int32_t>> seen(28);
        for (const calllog::CallRecord& c : log.calls)
            if (c.agent >= 0)
                seen.at(static_cast<std::size_t>(std::floor(c.arrival_s / 86400) - first)).insert(c.agent);
        std::vector<double> counts;
        for (const auto& day : seen) counts.push_back(static_cast<double>(day.size()));
        return counts;
    };
    for (double n : agents_by_day("")) CHECK(n == 10);
    const std::vector<double> noisy = agents_by_day("staffing_daily_cv: 0.3\n");
    double mean = 0, var = 0;
    for (double n : noisy) mean += n / 28;
    for (double n : noisy) var += (n - mean) * (n - mean) / 27;
    CHECK(mean == doctest::Approx(10).epsilon(0.12));  // SE of the mean about 0.6
    CHECK(std::sqrt(var) > 1.5);
    CHECK(std::sqrt(var) < 5);
    // The factor's mean: without spread every day has the roster times it; with spread the days
    // scatter around it.
    for (double n : agents_by_day("staffing_daily_mean: 1.5\n")) CHECK(n == 15);
    double centred = 0;
    for (double n : agents_by_day("staffing_daily_cv: 0.3\nstaffing_daily_mean: 1.2\n")) centred += n / 28;
    CHECK(centred == doctest::Approx(12).epsilon(0.12));
    for (const auto& [text, message] : {
             std::pair{"staffing_daily_cv: 2\n",
                       "noise.yaml:17:20: error: staffing_daily_cv: expected a number <= 1, got 2"},
             std::pair{"staffing_daily_mean: 0\n",
                       "noise.yaml:17:22: error: staffing_daily_mean: expected a positive number, got 0"},
             std::pair{"staffing_daily_mean: 5\n",
                       "noise.yaml:17:22: error: staffing_daily_mean: expected a number <= 4, got 5"},
         }) {
        const scenario::LoadResult bad = scenario::load_scenario_text(yaml + text, "noise.yaml");
        REQUIRE(bad.diagnostics.size() == 1);
        CHECK(bad.diagnostics[0].format() == message);
    }
}

TEST_CASE("the staffing's spread centred: Erlang A's abandonment averaged over the day factor is kept") {
    // Ten hours a day of 60 calls, 300 s handle time and patience, 6 people. A mean-1 spread of the
    // people raises the expected abandonment (it is convex in them); the centre found brings it
    // back to the roster's own, and more spread needs a higher centre. No spread: 1.
    fit::StaffingPool pool;
    pool.patience_mean_s = 300;
    for (int d = 0; d < 6; ++d) {
        pool.observed.emplace_back(10, fit::IntervalObservation{60, 5, 300});
        pool.people.emplace_back(10, 6.0);
    }
    const double at_roster = fit::erlang_a_abandoned(60, 3600, 300, 300, 6);
    // E over g ~ gamma(mean 1, cv) of A(m g 6), by plain quadrature over the gamma's density.
    auto averaged = [&](double cv, double m) {
        const double k = 1 / (cv * cv);
        double sum = 0, weight = 0;
        for (double g = 0.0005; g < 4; g += 0.001) {
            const double density = std::exp((k - 1) * std::log(g) - k * g);
            sum += density * fit::erlang_a_abandoned(60, 3600, 300, 300, m * g * 6);
            weight += density;
        }
        return sum / weight;
    };
    CHECK(fit::centre_staffing_noise({pool}, 3600, 0) == 1);
    const double m15 = fit::centre_staffing_noise({pool}, 3600, 0.15);
    const double m30 = fit::centre_staffing_noise({pool}, 3600, 0.3);
    CHECK(averaged(0.15, 1) > at_roster * 1.02);
    CHECK(m15 > 1.005);
    CHECK(m30 > m15);
    CHECK(averaged(0.15, m15) == doctest::Approx(at_roster).epsilon(2e-3));
    CHECK(averaged(0.3, m30) == doctest::Approx(at_roster).epsilon(2e-3));
}

TEST_CASE("the session gap is the one whose staffing reproduces the abandonments seen, through Erlang A") {
    // Half a person is half way between one and two.
    const double one = fit::erlang_a_abandoned(20, 3600, 300, 200, 1);
    const double two = fit::erlang_a_abandoned(20, 3600, 300, 200, 2);
    CHECK(one > two);
    CHECK(fit::erlang_a_abandoned(20, 3600, 300, 200, 1.5) == doctest::Approx((one + two) / 2));
    CHECK(fit::erlang_a_abandoned(20, 3600, 300, 200, 0) == 20);
    // Ten hours whose abandonments are Erlang A's with 3 people; gaps up to 10 min give 1 person,
    // 15 and 20 min give 3, longer ones 5: 15 min (the first with 3) is chosen.
    const double seen = fit::erlang_a_abandoned(40, 3600, 240, 300, 3);
    const std::vector<std::vector<fit::IntervalObservation>> observed(
        1, std::vector<fit::IntervalObservation>(10, {40, seen, 240}));
    const fit::GapChoice choice = fit::choose_session_gap(observed, 3600, 300, [](double gap) {
        return std::vector<std::vector<double>>(1, std::vector<double>(10, gap <= 600 ? 1 : gap <= 1200 ? 3 : 5));
    });
    CHECK(choice.gap_s == 900);
    REQUIRE(choice.scores.size() == 7);
    CHECK(choice.scores[2].score == doctest::Approx(0).epsilon(1e-9));
    CHECK(choice.scores[0].score > choice.scores[6].score);  // one person misses more than five
}

TEST_CASE("round trip: a simulated month's call log gives back the scenario it came from") {
    // Two classes with known arrivals, handle times and patience (A exponential, B Weibull), four
    // people always on duty. Simulated once, written as a call log, read back and fitted.
    const std::string yaml = R"(
name: round-trip
start_date: 2024-01-01
horizon: 42d
replications: 1
profiles:
  days:
    interval: 6h
    by_day: {mon: [1, 4, 3, 2], tue: [1, 4, 3, 2], wed: [1, 4, 3, 2], thu: [1, 4, 3, 2],
             fri: [1, 4, 3, 3], sat: [1, 2, 2, 3], sun: [1, 2, 2, 2]}
rooms: {centre: {}}
classes:
  A:
    priority: 1
    arrivals: {per_week: 6000, profile: days, daily_cv: 0.25}
    handle_time: {dist: lognormal, mean: 3min, sd: 2min}
    patience: {dist: exponential, mean: 4min}
  B:
    priority: 1
    arrivals: {per_week: 3000}
    handle_time: {dist: gamma, mean: 5min, sd: 3min}
    patience: {dist: weibull, shape: 1.5, scale: 5min}
groups:
  agents: {takes: [A, B]}
roster:
  - {room: centre, group: agents, shift: always, headcount: 4}
)";
    const scenario::LoadResult loaded = scenario::load_scenario_text(yaml, "round-trip.yaml");
    REQUIRE(loaded.ok());
    const model::ScenarioSpec& spec = *loaded.spec;
    report::CallLogWriter writer(spec);
    model::RecordingOptions recording;
    recording.call_log = &writer;
    model::run_replication(spec, 2026, 0, recording);
    std::istringstream text(writer.text());
    const calllog::CallLog log = calllog::read_call_log(text, "round-trip.csv");
    REQUIRE(log.calls.size() == writer.rows());

    fit::FitOptions options;
    options.resolution_s = 0.001;
    const fit::LogFit fitted = fit::fit_call_log(log, "round-trip.csv", options);
    REQUIRE(fitted.classes.size() == 2);
    CHECK(fitted.days() == 42);
    CHECK(fitted.first_day == 19723);
    const fit::ClassFit& a = fitted.classes[0];
    const fit::ClassFit& b = fitted.classes[1];

    // Volumes within 3 standard errors.
    CHECK(std::abs(a.arrivals.per_week - 6000) < 3 * a.arrivals.per_week_se);
    CHECK(std::abs(b.arrivals.per_week - 3000) < 3 * b.arrivals.per_week_se);
    // The profile's shape: each 6-hour block's share of A's week (weights / 52), within 3 binomial SEs.
    const double weights[7][4] = {{1, 4, 3, 2}, {1, 4, 3, 2}, {1, 4, 3, 2}, {1, 4, 3, 2},
                                  {1, 4, 3, 3}, {1, 2, 2, 3}, {1, 2, 2, 2}};
    for (int day = 0; day < 7; ++day) {
        for (int block = 0; block < 4; ++block) {
            double share = 0;
            for (int h = 0; h < 6; ++h) share += a.arrivals.profile[static_cast<std::size_t>(day * 24 + block * 6 + h)];
            share /= a.arrivals.per_week;
            const double expected = weights[day][block] / 58.0;
            const double se = std::sqrt(expected * (1 - expected) / static_cast<double>(a.calls));
            CAPTURE(day);
            CAPTURE(block);
            // Daily noise (daily_cv) moves whole days together: allow for it beyond binomial noise.
            CHECK(std::abs(share - expected) < 3 * se + 3 * 0.25 * expected / std::sqrt(6.0));
        }
    }
    // daily_cv: 0.25 for A within 3 SE; none for B (Poisson).
    CHECK(std::abs(a.arrivals.daily_cv - 0.25) < 3 * a.arrivals.daily_cv_se);
    CHECK(b.arrivals.daily_cv < 3 * b.arrivals.daily_cv_se);
    // Handle times: the right family, the mean within 3 SE.
    CHECK(a.handle.best().family == Family::lognormal);
    CHECK(b.handle.best().family == Family::gamma);
    CHECK(std::abs(a.handle.best().mean - 180) < 3 * a.handle.best().mean_se);
    CHECK(std::abs(b.handle.best().mean - 300) < 3 * b.handle.best().mean_se);
    // Patience: the mean within 3 SE; the naive mean of abandoned waits far below it.
    const double a_patience = 240, b_patience = 300 * std::tgamma(1 + 1 / 1.5);
    CHECK(a.patience.best().family != Family::lognormal);
    CHECK(b.patience.best().family == Family::weibull);
    CHECK(std::abs(a.patience.best().mean - a_patience) < 3 * a.patience.best().mean_se);
    CHECK(std::abs(b.patience.best().mean - b_patience) < 3 * b.patience.best().mean_se);
    CHECK(a.patience.naive_mean < 0.5 * a_patience);
    CHECK(b.patience.naive_mean < 0.5 * b_patience);
    // Staffing: four on duty all the time, seen as four on every 24-hour day.
    for (const fit::RosterBlock& r : fitted.roster) {
        CHECK(r.headcount == 4);
        CHECK(r.length_s == 86400);
    }
    CHECK(fitted.roster.size() == 42);

    // The fitted scenario loads.
    const scenario::LoadResult again =
        scenario::load_scenario_text(fit::fitted_scenario_yaml(fitted, "fitted"), "fitted.yaml");
    for (const scenario::Diagnostic& d : again.diagnostics) CAPTURE(d.format());
    REQUIRE(again.ok());
    CHECK(again.spec->start_weekday == 0);
    CHECK(again.spec->horizon_s == 42 * 86400.0);
    CHECK(again.spec->classes[0].arrivals.per_week == doctest::Approx(a.arrivals.per_week).epsilon(1e-5));
}

TEST_CASE("a class with too few calls is an error naming it, a small one is flagged") {
    std::string text = "arrival,class,outcome,wait_s,handle_s,agent\n";
    for (int i = 0; i < 200; ++i) {
        char row[96];
        std::snprintf(row, sizeof row, "2024-01-01T%02d:%02d:00,big,answered,%d,%d,A%d\n", 8 + i / 60, i % 60, i % 7,
                      60 + i, i % 5);
        text += row;
    }
    std::string with_tiny = text;
    for (int i = 0; i < 3; ++i)
        with_tiny += "2024-01-01T12:0" + std::to_string(i) + ":30,tiny,answered,0," + std::to_string(30 + i) + ",B\n";
    std::istringstream in(with_tiny);
    const calllog::CallLog log = calllog::read_call_log(in, "few.csv");
    CHECK_THROWS_WITH_AS(fit::fit_call_log(log, "few.csv", {}),
                         "class 'tiny': 3 answered calls in the period, at least 10 are needed to fit its handle time "
                         "(leave it out with --classes)",
                         fit::FitError);
    fit::FitOptions options;
    options.min_answered = 3;
    options.small_share = 0.02;  // 3 of 203 calls: 1.5%
    const fit::LogFit f = fit::fit_call_log(log, "few.csv", options);
    CHECK_FALSE(f.classes[0].small);
    CHECK(f.classes[1].small);
    REQUIRE(f.warnings.size() == 1);
    CHECK(f.warnings[0] ==
          "class 'tiny' has only 3 calls (1.5% of those fitted): kept, but its figures rest on few calls");
    options.classes = {"big", "other"};
    CHECK_THROWS_WITH_AS(fit::fit_call_log(log, "few.csv", options),
                         "class 'other' is not in the log (it has big, tiny)", fit::FitError);
}

namespace {

/// A log of `days` days from Monday 2024-01-01: `per_day` calls a day 09:00–16:55, each answered at
/// once and talked for 4 min by agents A (before noon) and B (after); on `gap` no call at all; and
/// a placeholder `SYS` answering a 5 s call at 07:30 and 22:30 each day.
calllog::CallLog synthetic_log(int days, int per_day, int gap) {
    std::string text = "arrival,class,outcome,wait_s,handle_s,agent\n";
    for (int d = 0; d < days; ++d) {
        if (d == gap) continue;
        char row[96];
        for (int i = 0; i < per_day; ++i) {
            const int minute = 9 * 60 + i * 8 * 60 / per_day;
            std::snprintf(row, sizeof row, "2024-01-%02dT%02d:%02d:00,X,answered,0,240,%s\n", 1 + d, minute / 60,
                          minute % 60, minute < 12 * 60 ? "A" : "B");
            text += row;
        }
        for (const char* at : {"07:30", "22:30"}) {
            std::snprintf(row, sizeof row, "2024-01-%02dT%s:00,X,answered,0,5,SYS\n", 1 + d, at);
            text += row;
        }
    }
    std::istringstream in(text);
    return calllog::read_call_log(in, "synthetic.csv");
}

}  // namespace

TEST_CASE("a day missing from the log is found, reported and left out of the fit, never taken as zero") {
    const calllog::CallLog log = synthetic_log(21, 60, 9);  // 2024-01-10, a Wednesday, missing
    const std::int64_t first = calllog::day_number(*calllog::parse_local_datetime("2024-01-01"));
    CHECK(calllog::find_missing_days(log, first, first + 20) == std::vector<std::int64_t>{first + 9});
    // A quiet log (days of 30 calls) may have a day without any: not a gap.
    CHECK(calllog::find_missing_days(synthetic_log(21, 30, 9), first, first + 20).empty());
    const fit::LogFit f = fit::fit_call_log(log, "synthetic.csv", {});
    CHECK(f.missing_days == std::vector<std::int64_t>{first + 9});
    // Every day that is there has 62 calls: so has every weekday, and there is no dispersion.
    CHECK(f.classes[0].arrivals.per_week == doctest::Approx(7 * 62));
    CHECK(f.classes[0].arrivals.daily_cv == 0);
    CHECK(f.classes[0].arrivals.weekdays[2].days == 2);
    // The missing Wednesday is staffed as the Wednesdays around it.
    int wednesday_people = 0;
    for (const fit::RosterBlock& b : f.roster)
        if (b.day == 9) wednesday_people += b.headcount;
    CHECK(wednesday_people > 0);
    REQUIRE(!f.warnings.empty());
    CHECK(f.warnings[0] ==
          "1 day(s) of the period have no call at all while days like them have many: missing from the log, left "
          "out of the fit (2024-01-10)");
}

TEST_CASE("a placeholder agent is recognised without options, and --not-an-agent names others") {
    const calllog::CallLog log = synthetic_log(14, 60, -1);
    const std::vector<calllog::PlaceholderAgent> found = calllog::find_placeholder_agents(log, {});
    REQUIRE(found.size() == 1);
    CHECK(log.agents[static_cast<std::size_t>(found[0].agent)] == "SYS");
    CHECK(found[0].reason ==
          "answers calls over 15.0 hours on a median day (longer than a shift of 12), busy 0.0% of them");
    CHECK(calllog::find_placeholder_agents(log, {"B", "nobody"}).size() == 2);
    fit::FitOptions options;
    options.not_agents = {"B"};
    const fit::LogFit f = fit::fit_call_log(log, "synthetic.csv", options);
    CHECK(f.placeholder_agents == std::vector<std::string>{"B", "SYS"});
    // Only A is left: one person in the morning, nobody in the afternoon.
    for (const fit::RosterBlock& b : f.roster) {
        CHECK(b.headcount == 1);
        CHECK(b.start_s + b.length_s <= 12 * 3600);
    }
    // Answering one call while another is in progress, most of the time, is not one person either
    // (beside a person, P); the rules never take every agent.
    const std::string overlapping =
        "arrival,class,outcome,wait_s,handle_s,agent\n2024-01-01T09:00:00,X,answered,0,600,M\n"
        "2024-01-01T09:01:00,X,answered,0,600,M\n2024-01-01T09:02:00,X,answered,0,600,M\n"
        "2024-01-01T09:30:00,X,answered,0,60,M\n";
    std::istringstream in(overlapping + "2024-01-01T10:00:00,X,answered,0,60,P\n");
    const std::vector<calllog::PlaceholderAgent> many =
        calllog::find_placeholder_agents(calllog::read_call_log(in, "m.csv"), {});
    REQUIRE(many.size() == 1);
    CHECK(many[0].reason == "answers 50% of their calls while another of them is in progress");
    std::istringstream alone(overlapping);
    CHECK(calllog::find_placeholder_agents(calllog::read_call_log(alone, "m.csv"), {}).empty());
}

TEST_CASE("two identical rows of a staffing table are two people") {
    const calllog::CallLog log = synthetic_log(7, 60, -1);
    fit::StaffingRow row;
    row.start_s = *calllog::parse_local_datetime("2024-01-02T09:00");
    row.end_s = *calllog::parse_local_datetime("2024-01-02T17:00");
    row.room = "centre";
    row.group = "agents";
    row.headcount = 1;
    fit::FitOptions options;
    options.staffing = std::vector<fit::StaffingRow>{row, row};
    const fit::LogFit f = fit::fit_call_log(log, "synthetic.csv", options);
    REQUIRE(f.roster.size() == 1);
    CHECK(f.roster[0].headcount == 2);
    CHECK(fit::fitted_scenario_yaml(f, "s").find("headcount: 2}") != std::string::npos);
}

TEST_CASE("text in the fitted YAML is escaped for values and for comments, and the loader reads the values back") {
    CHECK(fit::yaml_escaped("a\"b\\c") == "a\\\"b\\\\c");
    CHECK(fit::yaml_escaped("l1\nl2\tx\x1b[31m\r") == "l1\\nl2\\tx\\x1b[31m\\x0d");
    CHECK(fit::yaml_escaped("caf\xe9 caf\xc3\xa9") == "caf\\xe9 caf\xc3\xa9");
    CHECK(fit::yaml_escaped("a\xe2\x80\xa8z\xc2\x85") == "a\\Lz\\N");
    // Comments keep quotes and backslashes, and still break no line.
    CHECK(fit::yaml_comment_text("a \"b\" \\c") == "a \"b\" \\c");
    CHECK(fit::yaml_comment_text("l1\nl2\r\xe2\x80\xa8 caf\xe9") == "l1\\nl2\\x0d\\L caf\\xe9");
    const std::string name = "two\nlines \"quoted\" \\ caf\xc3\xa9\t#1: x";
    const std::string key = std::string(1, '"').append(fit::yaml_escaped(name)).append(1, '"');
    const std::string yaml = "name: t\nhorizon: 1d\nreplications: 2\nseed: 1\nrooms: {r: {}}\nclasses:\n  " + key +
                             ":\n    priority: 1\n    arrivals: {per_day: 100}\n    handle_time: 5min\n"
                             "    patience: 3min\ngroups:\n  g: {takes: [" +
                             key + "]}\nroster:\n  - {room: r, group: g, shift: always, headcount: 2}\n";
    const scenario::LoadResult loaded = scenario::load_scenario_text(yaml, "t.yaml");
    REQUIRE(loaded.ok());
    CHECK(loaded.spec->classes.at(0).name == name);
    CHECK_FALSE(fit::yaml_name_problem(name));
    CHECK(fit::yaml_name_problem(std::string(1100, 'x')) ==
          "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\" is a name of 1100 characters as YAML, longer than the 1024 a "
          "YAML key may have, which a scenario cannot hold");
    CHECK(fit::yaml_name_problem("caf\xe9") ==
          "\"caf\\xe9\" is not UTF-8 (the byte 0xe9 at byte 4), which a scenario cannot hold");
}

TEST_CASE("a fit longer than a scenario may last, or beyond the memory, is refused before the counts are made") {
    calllog::CallLog log;
    log.classes = {"A"};
    log.has_agent = true;
    log.agents = {"a1"};
    for (const double t : {0.0, 3600.0, 1.2e10}) {
        calllog::CallRecord c;
        c.arrival_s = t;
        c.handle_s = 60;
        c.agent = 0;
        c.line = log.calls.size() + 2;
        log.calls.push_back(c);
    }
    fit::FitOptions options;
    auto error_of = [&] {
        try {
            fit::fit_call_log(log, "log.csv", options);
        } catch (const fit::FitError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(error_of() ==
          "the period 1970-01-01 (the call on line 2) .. 2350-04-07 (the call on line 4) is 138889 days, longer than "
          "the 115740 days (1e10 s) a scenario may last: fit a part of it with --from and --to");
    options.from_day = 0;
    options.to_day = 115739;
    options.max_memory_bytes = 1e9;
    options.interval_s = 60;
    CHECK(
        error_of().starts_with("the fit would need about 5.33 GB of memory (1 classes and 1 rooms over 115740 days "
                               "of 1440 intervals), beyond the 1 GB this machine has (--allow-large fits anyway;"));
}
