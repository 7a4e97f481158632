// The shipped merger case study: its calibration to the reported figures, and the shape of the
// recovery (each measure helps 101 beyond the confidence intervals; all together help most).
// Each scenario runs as shipped: 10 replications, seed 2014.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "crsim/model/run_replication.hpp"
#include "crsim/scenario/load_scenario.hpp"
#include "crsim/sim/replication_runner.hpp"
#include "crsim/stats/confidence_interval.hpp"

namespace {

using crsim::model::ClassCounts;
using crsim::model::ReplicationResult;

struct Run {
    crsim::model::ScenarioSpec spec;
    std::vector<ReplicationResult> results;
};

const Run& run(const std::string& name) {
    static std::map<std::string, Run> cache;  // each scenario runs once for all the checks
    auto it = cache.find(name);
    if (it == cache.end()) {
        const auto loaded =
            crsim::scenario::load_scenario(std::string(CRSIM_SOURCE_DIR) + "/scenarios/" + name + ".yaml");
        REQUIRE(loaded.ok());
        Run r{*loaded.spec, {}};
        r.results = crsim::sim::run_replications(r.spec.replications, 0, [&](std::size_t i) {
            return crsim::model::run_replication(r.spec, r.spec.seed, i);
        });
        it = cache.emplace(name, std::move(r)).first;
    }
    return it->second;
}

std::size_t class_index(const Run& r, const std::string& name) {
    for (std::size_t k = 0; k < r.spec.classes.size(); ++k)
        if (r.spec.classes[k].name == name) return k;
    FAIL("no class " << name);
    return 0;
}

// Per replication, the mean over weeks first..last of a weekly figure, as a weekly scrutiny
// report would average them; then the mean and 95% half-width over replications.
template <class Figure>
crsim::stats::Estimate weekly_mean(const Run& r, const std::string& cls, int first, int last, Figure figure) {
    const std::size_t k = class_index(r, cls);
    std::vector<double> per_replication;
    for (const ReplicationResult& result : r.results) {
        double sum = 0;
        for (int w = first; w <= last; ++w) sum += figure(result.weeks.classes[k][static_cast<std::size_t>(w - 1)]);
        per_replication.push_back(sum / (last - first + 1));
    }
    return crsim::stats::estimate(per_replication);
}

double service_level(const ClassCounts& c) {
    return static_cast<double>(c.answered_within[0]) / static_cast<double>(c.offered);
}
double asa(const ClassCounts& c) { return c.answered_wait_s / static_cast<double>(c.answered); }

}  // namespace

TEST_CASE("the merger base matches the reported figures before and after the move") {
    const Run& base = run("merger");
    const auto sl_before = weekly_mean(base, "999", 1, 5, service_level);
    const auto asa_before = weekly_mean(base, "101", 1, 5, asa);
    const auto sl_after = weekly_mean(base, "999", 7, 12, service_level);
    const auto asa_after = weekly_mean(base, "101", 7, 12, asa);
    INFO("999 within 10 s: weeks 1-5 " << sl_before.mean << ", weeks 7-12 " << sl_after.mean);
    INFO("101 ASA: weeks 1-5 " << asa_before.mean << " s, weeks 7-12 " << asa_after.mean << " s");
    CHECK(sl_before.mean >= 0.90);
    CHECK(sl_before.mean <= 0.97);
    CHECK(asa_before.mean >= 10);
    CHECK(asa_before.mean <= 40);
    CHECK(sl_after.mean >= 0.72);
    CHECK(sl_after.mean <= 0.84);
    CHECK(asa_after.mean >= 80);
    CHECK(asa_after.mean <= 150);
}

TEST_CASE("each recovery measure lifts the 101 service level of weeks 14-26 beyond the CIs, all together most") {
    // The 101 class's first target is its service level within 3 minutes.
    const auto base = weekly_mean(run("merger"), "101", 14, 26, service_level);
    double best_single = 0;
    for (const std::string variant : {"merger-officers", "merger-overtime", "merger-101-training"}) {
        const auto v = weekly_mean(run(variant), "101", 14, 26, service_level);
        INFO(variant << ": " << v.mean << " ± " << v.half_width << " against the base's " << base.mean << " ± "
                     << base.half_width);
        CHECK(v.mean - v.half_width > base.mean + base.half_width);
        best_single = std::max(best_single, v.mean);
    }
    const auto all = weekly_mean(run("merger-all-measures"), "101", 14, 26, service_level);
    INFO("all measures: " << all.mean << " ± " << all.half_width << ", best single measure " << best_single);
    CHECK(all.mean > best_single);
}
