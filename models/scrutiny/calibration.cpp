#include "crsim/scrutiny/calibration.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>

#include "crsim/scenario/load_scenario.hpp"
#include "crsim/scenario/units.hpp"
#include "crsim/scrutiny/response_surface.hpp"
#include "crsim/scrutiny/simulation_cache.hpp"

namespace crsim::scrutiny {

namespace {

// The designs, in ranges: the first spans most of each range; the local ones, around the estimate,
// are narrow enough for a quadratic and wide enough that its slopes are not the noise of a few
// replications. Every point lies on a lattice of the local width, so that designs share points.
constexpr double global_half_width = 0.3;
constexpr double local_half_width = 0.1;
constexpr double lattice = local_half_width;
// Bootstrap fits per replication (each replication plays the history this often, each time with
// another resampled surface).
constexpr std::size_t bootstrap_draws_per_replication = 4;

std::string trimmed(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return std::string(s);
}

/// Splits `40%` into 40 and `%`.
std::pair<double, std::string> number_and_unit(const std::string& text) {
    std::size_t end = 0;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.' ||
                                 text[end] == '-' || text[end] == '+' || text[end] == 'e' || text[end] == 'E'))
        ++end;
    // An `e` ending the number is the start of a unit only if no digit follows; keep it simple.
    const scenario::Parsed<double> v = scenario::parse_number(text.substr(0, end));
    if (!v) throw std::invalid_argument("expected a number with an optional unit, got '" + text + "'");
    return {*v.value, trimmed(std::string_view(text).substr(end))};
}

/// The simulated figures at one point: the mean and sd of each fitted figure, and each
/// replication's values.
struct Point {
    std::vector<double> mean, sd;
    std::vector<std::vector<double>> values;  // [figure][r]
};

}  // namespace

std::string VaryParameter::text(double x) const {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.6g%s", x, unit.c_str());
    return buffer;
}

VaryParameter parse_vary(std::string_view text) {
    const std::size_t eq = text.find('=');
    const std::size_t dots = text.find("..", eq == std::string_view::npos ? 0 : eq);
    if (eq == std::string_view::npos || eq == 0 || dots == std::string_view::npos)
        throw std::invalid_argument("expected PATH=LO..HI (e.g. transitions[0].handle_inflation=40%..90%), got '" +
                                    std::string(text) + "'");
    VaryParameter p;
    p.path = trimmed(text.substr(0, eq));
    const auto [low, low_unit] = number_and_unit(trimmed(text.substr(eq + 1, dots - eq - 1)));
    const auto [high, high_unit] = number_and_unit(trimmed(text.substr(dots + 2)));
    if (low_unit != high_unit)
        throw std::invalid_argument("LO and HI must have the same unit, got '" + low_unit + "' and '" + high_unit +
                                    "'");
    if (!(low < high)) throw std::invalid_argument("LO must be below HI in '" + std::string(text) + "'");
    p.low = low;
    p.high = high;
    p.unit = low_unit;
    return p;
}

CalibrationResult calibrate(const std::string& scenario_path, const std::vector<scenario::Override>& base,
                            const WeeklyKpis& kpis, const std::string& kpis_name,
                            const std::vector<VaryParameter>& parameters, const CalibrationOptions& options) {
    if (parameters.empty()) throw CalibrationError("nothing to calibrate: give --vary PATH=LO..HI");
    if (options.replications < 10) throw CalibrationError("a calibration needs at least 10 replications");
    const std::size_t d = parameters.size();
    const auto dims = static_cast<Eigen::Index>(d);
    const std::size_t R = options.replications;
    CalibrationResult result;
    result.kpis = kpis_name;
    result.replications = R;

    auto overrides_at = [&](const Eigen::VectorXd& u) {
        std::vector<scenario::Override> o = base;
        for (std::size_t j = 0; j < d; ++j) {
            const VaryParameter& p = parameters[j];
            const std::string value = p.text(p.low + u[static_cast<Eigen::Index>(j)] * (p.high - p.low));
            o.push_back({p.path, scenario::Override::Op::set, value, "--vary " + p.path + "=" + value});
        }
        return o;
    };
    // The figures fitted: every reported one, fixed at the first point.
    std::vector<std::pair<std::size_t, std::size_t>> fitted;  // (entry, metric)
    std::vector<double> observed_values;
    std::map<std::vector<long long>, Point> simulated;  // by the point on a lattice of 1/1000
    auto simulate_at = [&](const Eigen::VectorXd& u) -> const Point& {
        std::vector<long long> key;
        for (Eigen::Index j = 0; j < dims; ++j) key.push_back(std::llround(u[j] * 1000));
        if (const auto found = simulated.find(key); found != simulated.end()) return found->second;
        const scenario::LoadResult loaded = scenario::load_scenario(scenario_path, overrides_at(u));
        if (!loaded.spec) {
            std::string message = "the scenario refuses a value of the ranges:";
            for (const scenario::Diagnostic& diag : loaded.diagnostics)
                if (!diag.warning) message.append("\n").append(diag.format());
            throw CalibrationError(message);
        }
        const WeekPlan plan = plan_weeks(*loaded.spec, kpis, options.demand);
        if (result.scenario.empty()) {
            result.scenario = loaded.spec->name;
            result.seed = options.seed.value_or(loaded.spec->seed);
            result.warnings = plan.warnings;
            for (std::size_t e = 0; e < plan.rows.size(); ++e) {
                const std::vector<double> obs = observed_figures(plan, kpis, e);
                for (std::size_t m = 0; m < obs.size(); ++m)
                    if (std::isfinite(obs[m])) {
                        fitted.emplace_back(e, m);
                        observed_values.push_back(obs[m]);
                    }
            }
        }
        const SimulatedFigures sim =
            simulate_figures_cached(plan, loaded.spec->sha256, R, result.seed, options.threads, options.cache_dir);
        Point p;
        for (const auto& [e, m] : fitted) {
            std::vector<double> v = sim[e][m];
            double sum = 0, n = 0;
            for (double x : v)
                if (std::isfinite(x)) {
                    sum += x;
                    n += 1;
                }
            const double mean = n > 0 ? sum / n : std::nan("");
            double ss = 0;
            for (double& x : v) {
                if (!std::isfinite(x)) x = mean;  // an undefined week counts as the mean (no information)
                ss += (x - mean) * (x - mean);
            }
            p.mean.push_back(mean);
            p.sd.push_back(std::sqrt(ss / static_cast<double>(R - 1)));
            p.values.push_back(std::move(v));
        }
        return simulated.emplace(std::move(key), std::move(p)).first->second;
    };

    // The global design first: its centre, the middle of the ranges, fixes the figures and weights.
    const std::vector<Eigen::VectorXd> global_design =
        central_composite_design(Eigen::VectorXd::Constant(dims, 0.5), global_half_width);
    const Point& middle = simulate_at(global_design.front());
    const std::size_t n = fitted.size();
    if (n < d) throw CalibrationError("fewer reported figures than parameters");
    const auto figures = static_cast<Eigen::Index>(n);
    const Eigen::VectorXd observed = Eigen::Map<const Eigen::VectorXd>(observed_values.data(), figures);
    // Weights: each figure's simulated sd at the middle, floored so that a figure the model never
    // varies (an empty week) cannot dominate.
    Eigen::VectorXd scale(figures);
    for (Eigen::Index i = 0; i < figures; ++i)
        scale[i] = std::max(middle.sd[static_cast<std::size_t>(i)],
                            1e-6 * (1 + std::abs(middle.mean[static_cast<std::size_t>(i)])));
    // The surface fitted to the design's means over the replications in `sample` (all of them if
    // empty).
    auto surface_of = [&](const std::vector<Eigen::VectorXd>& points, const std::vector<std::size_t>& sample) {
        Eigen::MatrixXd means(static_cast<Eigen::Index>(points.size()), figures);
        for (std::size_t k = 0; k < points.size(); ++k) {
            const Point& p = simulate_at(points[k]);
            for (Eigen::Index i = 0; i < figures; ++i) {
                const auto ii = static_cast<std::size_t>(i);
                double m = p.mean[ii];
                if (!sample.empty()) {
                    double sum = 0;
                    for (const std::size_t j : sample) sum += p.values[ii][j];
                    m = sum / static_cast<double>(sample.size());
                }
                means(static_cast<Eigen::Index>(k), i) = std::isfinite(m) ? m : observed[i];  // no information
            }
        }
        return QuadraticSurface(points, means);
    };
    auto describe_point = [&](const Eigen::VectorXd& v) {
        std::string text;
        for (std::size_t j = 0; j < d; ++j)
            text += (j ? ", " : "") + parameters[j].path + " = " +
                    parameters[j].text(parameters[j].low +
                                       v[static_cast<Eigen::Index>(j)] * (parameters[j].high - parameters[j].low));
        return text;
    };
    const Eigen::VectorXd zero = Eigen::VectorXd::Zero(dims), one = Eigen::VectorXd::Ones(dims);

    // Stage 1: the whole ranges, from the design point that fits best (`sample` as below).
    auto fit_on_whole_ranges = [&](const Eigen::VectorXd& target, const std::vector<std::size_t>& sample) {
        const QuadraticSurface whole = surface_of(global_design, sample);
        const Eigen::VectorXd best =
            *std::min_element(global_design.begin(), global_design.end(), [&](const auto& a, const auto& b) {
                return surface_objective(whole, target, scale, a) < surface_objective(whole, target, scale, b);
            });
        return fit_on_surface(whole, target, scale, best, zero, one);
    };
    Eigen::VectorXd u = fit_on_whole_ranges(observed, {});
    char line[96];
    std::snprintf(line, sizeof line, ": objective %.6g",
                  surface_objective(surface_of(global_design, {}), observed, scale, u));
    result.iterations.push_back("the whole ranges: " + describe_point(u) + line);

    // Stage 2: local designs, each centred on the last estimate (on a lattice, so that designs can
    // share points), until the estimate stays inside its design. The bootstrap's fits follow the
    // same path (`sample`: the replications their surfaces are fitted to; `beyond`: a fit may leave
    // the ranges by one range where a design meets their end, the surface extrapolated, so that an
    // estimate near an end of a range does not see its fits piled up there).
    auto on_lattice = [&](const Eigen::VectorXd& v) -> Eigen::VectorXd {
        return ((v / lattice).array().round() * lattice).matrix();
    };
    struct Followed {
        Eigen::VectorXd u, centre;
        QuadraticSurface surface;
    };
    auto follow = [&](Eigen::VectorXd from, Eigen::VectorXd centre, const Eigen::VectorXd& target,
                      const std::vector<std::size_t>& sample, bool beyond, std::vector<std::string>* log) {
        std::vector<Eigen::VectorXd> centres;
        std::optional<QuadraticSurface> fitted_on;
        for (int round = 1; round <= options.max_iterations; ++round) {
            if (round > 1) centre = on_lattice(from);
            const std::vector<Eigen::VectorXd> local = central_composite_design(centre, local_half_width);
            centre = local.front();
            fitted_on.emplace(surface_of(local, sample));
            Eigen::VectorXd lower = (centre.array() - 2 * local_half_width).max(0.0).matrix();
            Eigen::VectorXd upper = (centre.array() + 2 * local_half_width).min(1.0).matrix();
            if (beyond)
                for (Eigen::Index j = 0; j < dims; ++j) {
                    if (centre[j] - local_half_width < 1e-9) lower[j] = -1;
                    if (centre[j] + local_half_width > 1 - 1e-9) upper[j] = 2;
                }
            from = fit_on_surface(*fitted_on, target, scale, from, lower, upper);
            if (log) {
                std::snprintf(line, sizeof line, ": objective %.6g",
                              surface_objective(*fitted_on, target, scale, from));
                log->push_back("around " + describe_point(centre) + ": " + describe_point(from) + line);
            }
            const bool inside = (from - centre).lpNorm<Eigen::Infinity>() <= local_half_width + 1e-9;
            const bool seen = std::any_of(centres.begin(), centres.end(),
                                          [&](const Eigen::VectorXd& c) { return (c - centre).norm() < 1e-9; });
            centres.push_back(centre);
            if (inside || seen) break;
        }
        return Followed{from, centre, *fitted_on};
    };
    const Followed estimate = follow(u, on_lattice(u), observed, {}, false, &result.iterations);
    u = estimate.u;
    const QuadraticSurface& surface = estimate.surface;

    // The bootstrap, with both sources of error: each replication at the last design's centre in
    // turn plays a reported history (its deviation from the replications' mean, added to the fitted
    // figures) and is calibrated again the whole way, the whole ranges first, then the local designs
    // its fits lead to (simulated if need be), on surfaces fitted again to a resample of the
    // replications (the simulated slopes are noisy too, and along a valley where two parameters
    // trade off, their noise matters). Re-fitting on the last design alone, its quadratic
    // extrapolated along a long valley and always from the estimate, gave intervals 1.5 times too
    // narrow there (README, "How well it works").
    const Point& at = simulate_at(estimate.centre);
    const Eigen::VectorXd fitted_figures = surface.at(u);
    const std::size_t draws = bootstrap_draws_per_replication * R;
    std::mt19937_64 resampler(result.seed);
    Eigen::MatrixXd fits(static_cast<Eigen::Index>(draws), dims);
    std::vector<std::size_t> sample(R);
    for (std::size_t b = 0; b < draws; ++b) {
        const std::size_t r = b % R;
        Eigen::VectorXd history = fitted_figures;
        for (Eigen::Index i = 0; i < figures; ++i) {
            const auto ii = static_cast<std::size_t>(i);
            if (std::isfinite(at.mean[ii])) history[i] += at.values[ii][r] - at.mean[ii];
        }
        for (std::size_t& k : sample) k = static_cast<std::size_t>(resampler() % R);
        const Eigen::VectorXd start = fit_on_whole_ranges(history, sample);
        fits.row(static_cast<Eigen::Index>(b)) =
            follow(start, on_lattice(start), history, sample, true, nullptr).u.transpose();
    }
    const Eigen::RowVectorXd mean_fit = fits.colwise().mean();
    // A replication less the replications' mean varies (R - 1)/R times as much as one history.
    const double inflate = std::sqrt(static_cast<double>(R) / static_cast<double>(R - 1));
    for (std::size_t j = 0; j < d; ++j) {
        const auto jj = static_cast<Eigen::Index>(j);
        const double sd_u =
            std::sqrt((fits.col(jj).array() - mean_fit[jj]).square().sum() / static_cast<double>(draws - 1)) * inflate;
        const VaryParameter& p = parameters[j];
        Estimate est;
        est.parameter = p;
        est.value = p.low + u[jj] * (p.high - p.low);
        est.se = sd_u * (p.high - p.low);
        est.bootstrap_mean = p.low + mean_fit[jj] * (p.high - p.low);
        est.ci_low = est.value - 1.96 * est.se;
        est.ci_high = est.value + 1.96 * est.se;
        result.estimates.push_back(est);
    }
    result.objective = surface_objective(surface, observed, scale, u);
    result.figures = n;
    result.evaluations = simulated.size();
    result.overrides = overrides_at(u);
    result.overrides.erase(result.overrides.begin(),
                           result.overrides.begin() + static_cast<std::ptrdiff_t>(base.size()));
    return result;
}

std::string calibrated_scenario_yaml(const CalibrationResult& r, const std::string& scenario_path,
                                     const std::vector<scenario::Override>& base, const std::string& extends_path) {
    std::vector<scenario::Override> all = base;
    all.insert(all.end(), r.overrides.begin(), r.overrides.end());
    const scenario::LoadResult loaded = scenario::load_scenario(scenario_path, all);
    std::ostringstream out;
    out << "# Written by `crsim calibrate` from " << r.kpis << " (" << r.figures << " weekly figures, "
        << r.replications << " replications, seed " << r.seed << "):\n";
    for (const Estimate& e : r.estimates)
        out << "#   " << e.parameter.path << " = " << e.parameter.text(e.value) << "  (95% CI "
            << e.parameter.text(e.ci_low) << " .. " << e.parameter.text(e.ci_high) << ")\n";
    out << "extends: " << nlohmann::json(extends_path).dump() << "\n";
    out << "name: " << nlohmann::json(r.scenario + "-calibrated").dump() << "\n";
    std::vector<std::string> keys;
    for (const scenario::Override& o : all) {
        const std::string key = o.path.substr(0, o.path.find_first_of(".["));
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    }
    for (const std::string& key : keys)
        if (const auto text = scenario::top_level_value_text(loaded, key)) out << key << ": " << *text << "\n";
    return out.str();
}

std::string calibration_json(const CalibrationResult& r) {
    nlohmann::ordered_json j;
    j["scenario"] = r.scenario;
    j["kpis"] = r.kpis;
    j["method"] =
        "least squares on the standardised weekly residuals over quadratic response surfaces fitted to central "
        "composite designs simulated with common random numbers (the whole ranges, then +-10% of each range around "
        "the estimate); 95% intervals from a parametric bootstrap that fits every replication again on the surface";
    j["replications"] = r.replications;
    j["seed"] = r.seed;
    j["figures"] = r.figures;
    j["objective"] = r.objective;
    j["evaluations"] = r.evaluations;
    j["parameters"] = nlohmann::ordered_json::array();
    for (const Estimate& e : r.estimates)
        j["parameters"].push_back(nlohmann::ordered_json{{"path", e.parameter.path},
                                                         {"unit", e.parameter.unit},
                                                         {"estimate", e.value},
                                                         {"se", e.se},
                                                         {"bootstrap_mean", e.bootstrap_mean},
                                                         {"ci95", {e.ci_low, e.ci_high}},
                                                         {"range", {e.parameter.low, e.parameter.high}}});
    j["iterations"] = r.iterations;
    j["warnings"] = r.warnings;
    return j.dump(2) + "\n";
}

std::string calibration_text(const CalibrationResult& r) {
    std::ostringstream out;
    out << "Calibration of " << r.scenario << " to " << r.kpis << ": " << r.figures << " weekly figures, "
        << r.replications << " replications (seed " << r.seed << ") at each of " << r.evaluations << " points\n";
    for (const std::string& line : r.iterations) out << "  " << line << '\n';
    char line[256];
    for (const Estimate& e : r.estimates) {
        std::snprintf(line, sizeof line, "%-40s %12s   95%% CI %s .. %s\n", e.parameter.path.c_str(),
                      e.parameter.text(e.value).c_str(), e.parameter.text(e.ci_low).c_str(),
                      e.parameter.text(e.ci_high).c_str());
        out << line;
    }
    std::snprintf(line, sizeof line, "objective (sum of squared standardised residuals) %.4g over %zu figures\n",
                  r.objective, r.figures);
    out << line;
    for (const std::string& w : r.warnings) out << "warning: " << w << '\n';
    return out.str();
}

}  // namespace crsim::scrutiny
