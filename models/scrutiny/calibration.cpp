#include "crsim/scrutiny/calibration.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "crsim/scenario/load_scenario.hpp"
#include "crsim/scenario/units.hpp"

namespace crsim::scrutiny {

namespace {

constexpr double difference_step = 0.1;  // of each parameter's range, for the Jacobian
constexpr double max_step = 0.35;        // the longest Gauss–Newton step, in ranges

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
    std::vector<double> observed;
    auto simulate_at = [&](const Eigen::VectorXd& u) {
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
                        observed.push_back(obs[m]);
                    }
            }
        }
        ++result.evaluations;
        const SimulatedFigures sim = simulate_figures(plan, R, result.seed, options.threads);
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
        return p;
    };

    Eigen::VectorXd u = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(d), 0.5);
    Point at = simulate_at(u);
    // Weights: each figure's simulated sd at the starting point, floored so that a figure the model
    // never varies (an empty week) cannot dominate.
    const std::size_t n = fitted.size();
    if (n < d) throw CalibrationError("fewer reported figures than parameters");
    std::vector<double> scale(n);
    for (std::size_t i = 0; i < n; ++i) scale[i] = std::max(at.sd[i], 1e-6 * (1 + std::abs(at.mean[i])));
    auto residuals = [&](const Point& p) {
        Eigen::VectorXd e(static_cast<Eigen::Index>(n));
        for (std::size_t i = 0; i < n; ++i)
            e[static_cast<Eigen::Index>(i)] = std::isfinite(p.mean[i]) ? (observed[i] - p.mean[i]) / scale[i] : 0.0;
        return e;
    };
    auto jacobian = [&](const Eigen::VectorXd& centre) {
        Eigen::MatrixXd J(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
        for (std::size_t j = 0; j < d; ++j) {
            Eigen::VectorXd up = centre, down = centre;
            const auto jj = static_cast<Eigen::Index>(j);
            up[jj] = std::min(1.0, centre[jj] + difference_step);
            down[jj] = std::max(0.0, centre[jj] - difference_step);
            const Point a = simulate_at(up), b = simulate_at(down);
            for (std::size_t i = 0; i < n; ++i) {
                const double diff = std::isfinite(a.mean[i]) && std::isfinite(b.mean[i]) ? a.mean[i] - b.mean[i] : 0;
                J(static_cast<Eigen::Index>(i), jj) = diff / (up[jj] - down[jj]) / scale[i];
            }
        }
        return J;
    };
    auto describe_point = [&](const Eigen::VectorXd& v) {
        std::string text;
        for (std::size_t j = 0; j < d; ++j)
            text += (j ? ", " : "") + parameters[j].path + " = " +
                    parameters[j].text(parameters[j].low +
                                       v[static_cast<Eigen::Index>(j)] * (parameters[j].high - parameters[j].low));
        return text;
    };

    Eigen::VectorXd e = residuals(at);
    double objective = e.squaredNorm();
    Eigen::MatrixXd J;
    for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
        J = jacobian(u);
        const Eigen::MatrixXd JtJ = J.transpose() * J;
        Eigen::VectorXd step = JtJ.ldlt().solve(J.transpose() * e);
        if (!step.allFinite()) throw CalibrationError("the weekly figures do not depend on the parameters varied");
        if (step.lpNorm<Eigen::Infinity>() > max_step) step *= max_step / step.lpNorm<Eigen::Infinity>();
        bool moved = false;
        for (int halving = 0; halving < 4; ++halving) {
            const Eigen::VectorXd next = (u + step).cwiseMax(0.0).cwiseMin(1.0);
            if ((next - u).lpNorm<Eigen::Infinity>() < 1e-4) break;
            Point trial = simulate_at(next);
            const Eigen::VectorXd e_next = residuals(trial);
            if (e_next.squaredNorm() < objective) {
                const double moved_by = (next - u).lpNorm<Eigen::Infinity>();
                u = next;
                at = std::move(trial);
                e = e_next;
                objective = e.squaredNorm();
                moved = moved_by > 0.005;
                break;
            }
            step *= 0.5;
        }
        char line[64];
        std::snprintf(line, sizeof line, ": objective %.6g", objective);
        result.iterations.push_back("step " + std::to_string(iteration) + ": " + describe_point(u) + line);
        if (!moved) break;
    }
    J = jacobian(u);
    // The estimate: the last point moved by the linear step of the final Jacobian, which centres it
    // where the linearised objective is least (a stop on a flat ridge is not its minimum).
    {
        const Eigen::VectorXd step = (J.transpose() * J).ldlt().solve(J.transpose() * e);
        if (step.allFinite()) u = (u + step).cwiseMax(0.0).cwiseMin(1.0);
    }

    // The parametric bootstrap: replication r as a reported history, fitted by one linear step.
    const Eigen::MatrixXd JtJ = J.transpose() * J;
    const auto solver = JtJ.ldlt();
    Eigen::MatrixXd fits(static_cast<Eigen::Index>(R), static_cast<Eigen::Index>(d));
    for (std::size_t r = 0; r < R; ++r) {
        Eigen::VectorXd er(static_cast<Eigen::Index>(n));
        for (std::size_t i = 0; i < n; ++i) {
            const double x = at.values[i][r];
            const double others = (at.mean[i] * static_cast<double>(R) - x) / static_cast<double>(R - 1);
            er[static_cast<Eigen::Index>(i)] = std::isfinite(others) ? (x - others) / scale[i] : 0.0;
        }
        fits.row(static_cast<Eigen::Index>(r)) = solver.solve(J.transpose() * er).transpose();
    }
    const Eigen::RowVectorXd centre = fits.colwise().mean();
    const double inflate =
        std::sqrt((1 + 1 / static_cast<double>(R)) * (static_cast<double>(R - 1) / static_cast<double>(R)));
    for (std::size_t j = 0; j < d; ++j) {
        const auto jj = static_cast<Eigen::Index>(j);
        const double sd_u =
            std::sqrt((fits.col(jj).array() - centre[jj]).square().sum() / static_cast<double>(R - 1)) * inflate;
        const VaryParameter& p = parameters[j];
        Estimate est;
        est.parameter = p;
        est.value = p.low + u[jj] * (p.high - p.low);
        est.se = sd_u * (p.high - p.low);
        est.ci_low = est.value - 1.96 * est.se;
        est.ci_high = est.value + 1.96 * est.se;
        result.estimates.push_back(est);
    }
    result.objective = objective;
    result.figures = n;
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
        "Gauss-Newton on the standardised weekly residuals, Jacobian by central differences under common random "
        "numbers; 95% intervals from a linearised parametric bootstrap over the replications";
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
