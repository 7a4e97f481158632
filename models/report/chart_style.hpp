#pragma once
// What the HTML reports share: colours, numbers for charts and tables, and text joined without
// temporaries (GCC 12 warns wrongly under -Wrestrict about "text" + a temporary string at -O2).

#include <charconv>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "table_text.hpp"

namespace crsim::report::chart_style {

inline constexpr const char* palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                          "#9467bd", "#8c564b", "#e377c2", "#17becf"};

/// The i-th line colour; the first (#1f77b4) is the one tools/check_report.py looks for.
inline std::string colour(std::size_t i) { return palette[i % std::size(palette)]; }

/// The colour with an alpha channel, for bands.
inline std::string faint(std::size_t i) { return colour(i) + "33"; }

/// The i-th line's dash pattern: the first solid, the others dashed apart, so that a line lying
/// exactly on another's still shows.
inline nlohmann::json dash(std::size_t i) {
    static const int patterns[][2] = {{0, 0}, {8, 4}, {2, 3}, {12, 3}, {4, 8}, {1, 6}, {16, 6}, {6, 2}};
    const auto& p = patterns[i % std::size(patterns)];
    return p[0] == 0 ? nlohmann::json::array() : nlohmann::json::array({p[0], p[1]});
}

/// Appends line i's 95% CI band to `datasets`: the upper edge `high` filled down to the lower edge
/// `low`, the dataset after it, both left out of the legend. `show_line` for scatter charts.
inline void add_ci_band(nlohmann::json& datasets, const std::string& name, std::size_t i, nlohmann::json high,
                        nlohmann::json low, bool show_line = false) {
    nlohmann::json edge = {
        {"borderWidth", 0}, {"pointRadius", 0}, {"backgroundColor", faint(i)}, {"legendHidden", true}};
    if (show_line) edge["showLine"] = true;
    nlohmann::json upper = edge, lower = edge;
    upper.update({{"label", name + " 95% CI"}, {"data", std::move(high)}, {"fill", "+1"}});
    lower.update({{"label", name + " 95% CI (lower edge)"}, {"data", std::move(low)}, {"fill", false}});
    datasets.push_back(std::move(upper));
    datasets.push_back(std::move(lower));
}

/// The i-th line's point marker, a second way to tell lines apart.
inline std::string marker(std::size_t i) {
    static const char* const styles[] = {"circle", "rect", "triangle", "rectRot", "crossRot", "star", "cross", "line"};
    return styles[i % std::size(styles)];
}

/// The parts one after the other.
inline std::string cat(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (const std::string_view p : parts) out += p;
    return out;
}

/// A number for a chart: NaN and infinities (undefined figures) become null, a gap in the line.
inline nlohmann::json value(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

// Numbers in the pages as in the terminal tables: one rule (table_text.hpp), so that the files of
// this library can also be compiled together (unity build) without two `fixed`s.
using table::decimals;
using table::fixed;

/// x to about four significant digits.
inline std::string readable(double x) { return fixed(x, decimals(x)); }

/// The shortest text that reads back as x ("60", "0.1"), or "-" when undefined.
inline std::string shortest(double x) {
    if (!std::isfinite(x)) return "-";
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
    return std::string(buffer, result.ptr);
}

/// "mean ± half-width" to about four significant digits (the half-width left out when undefined).
inline std::string with_ci(double mean, double ci95) {
    const int d = decimals(mean);
    return std::isfinite(ci95) ? cat({fixed(mean, d), " ± ", fixed(ci95, d)}) : fixed(mean, d);
}

inline nlohmann::json axis_title(const std::string& text) { return {{"display", true}, {"text", text}}; }

/// Options with titled axes and the legend below.
inline nlohmann::json chart_options(const std::string& x, const std::string& y) {
    return {{"scales", {{"x", {{"title", axis_title(x)}}}, {"y", {{"title", axis_title(y)}}}}},
            {"plugins", {{"legend", {{"position", "bottom"}}}}}};
}

/// "Mon 00:00" for interval i of the week (Monday 00:00 first) of intervals `interval_s` long.
inline std::string week_interval_label(std::size_t i, double interval_s) {
    static const char* const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    const auto start_min = static_cast<long>(std::lround(static_cast<double>(i) * interval_s / 60.0));
    char label[16];
    std::snprintf(label, sizeof label, "%s %02ld:%02ld", days[(start_min / 1440) % 7], (start_min / 60) % 24,
                  start_min % 60);
    return label;
}

}  // namespace crsim::report::chart_style
