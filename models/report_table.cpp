// The fixed-width summary `crsim run` prints by default; at most 100 columns wide.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <vector>

#include "crsim/model/report.hpp"

namespace crsim::model {

namespace {

/// Display columns of UTF-8 text (continuation bytes take none), so that "±" pads like one character.
std::size_t columns(std::string_view text) {
    std::size_t n = 0;
    for (const char ch : text)
        if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
    return n;
}

std::string pad_right(std::string text, std::size_t width) {
    const std::size_t n = columns(text);
    if (n < width) text.append(width - n, ' ');
    return text;
}

std::string pad_left(const std::string& text, std::size_t width) {
    const std::size_t n = columns(text);
    return n < width ? std::string(width - n, ' ') + text : text;
}

/// Decimals for a figure of this magnitude: about three significant digits, whole numbers from 1000.
int decimals(double x) {
    const double a = std::fabs(x);
    return a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3;
}

std::string fixed(double x, int digits) {
    if (!std::isfinite(x)) return "-";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, x);
    return buffer;
}

/// "  12.35 ± 0.41  ": the mean right-aligned in `mean_width`, the half-width left-aligned after it,
/// both with the mean's decimals so they line up.
std::string pair(const Figure& f, std::size_t mean_width, std::size_t ci_width) {
    const int d = decimals(f.mean);
    std::string text = pad_left(fixed(f.mean, d), mean_width);
    if (std::isfinite(f.mean) && std::isfinite(f.ci95)) text += " ± " + pad_right(fixed(f.ci95, d), ci_width);
    else text += std::string(3 + ci_width, ' ');
    return text;
}

std::string label(std::string_view metric, double threshold_s) {
    std::string text(metric);
    if (!std::isnan(threshold_s)) {
        text += ' ';
        text += threshold_label(threshold_s);
    }
    return text;
}

/// Writes "label value" cells two to a line.
void write_cells(std::ostream& out, const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); i += 2) {
        std::string line = "  " + cells[i];
        if (i + 1 < cells.size()) line += "    " + cells[i + 1];
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
    }
}

std::string goal_text(const TargetResult& t) {
    const bool minimum = t.metric == TargetSpec::Metric::service_level;
    return label(metric_name(t.metric), t.threshold_s) + (minimum ? " >= " : " <= ") + format_number(t.goal);
}

void write_staff(std::ostream& out, const char* title, const std::vector<StaffSummary>& list) {
    if (list.empty()) return;
    // Four figures of 20 columns leave 18 for the name within 100; a longer name gets a line of its own.
    constexpr std::size_t figure_width = 20, max_name_width = 18;
    std::size_t name_width = 8;
    for (const StaffSummary& s : list) name_width = std::max(name_width, std::min(columns(s.name), max_name_width));
    std::string header = pad_right(title, name_width + 2);
    StaffFigures<Figure> names;  // only for the visitor's metric names
    for_each_staff_figure(names, [&](std::string_view metric, double, const Figure&) {
        header += pad_left(std::string(metric), 13) + std::string(figure_width - 13, ' ');
    });
    while (header.back() == ' ') header.pop_back();
    out << '\n' << header << '\n';
    for (const StaffSummary& s : list) {
        std::string line = "  ";
        if (columns(s.name) > name_width) out << "  " << s.name << '\n';
        else line += s.name;
        line = pad_right(line, name_width + 2);
        for_each_staff_figure(s.figures, [&](std::string_view, double, const Figure& f) { line += pair(f, 10, 7); });
        while (line.back() == ' ') line.pop_back();
        out << line << '\n';
    }
}

}  // namespace

void write_table(std::ostream& out, const Summary& s) {
    out << "Scenario " << s.scenario << ": " << s.replications << " replication" << (s.replications == 1 ? "" : "s")
        << ", seed " << s.seed << ", crsim " << s.crsim_version << "; figures are mean ± 95% CI half-width\n";

    for (const ClassSummary& c : s.classes) {
        out << "\nClass " << c.name << '\n';
        std::vector<std::string> cells;
        for_each_class_figure(c.figures, c.thresholds_s, [&](std::string_view metric, double threshold_s, const Figure& f) {
            cells.push_back(pad_right(label(metric, threshold_s), 19) + pair(f, 10, 10));
        });
        write_cells(out, cells);
    }

    if (!s.targets.empty()) {
        out << '\n' << pad_right("Targets", 38) << pad_right("mean ± 95% CI", 18) << "  p_met  verdict\n";
        for (const TargetResult& t : s.targets) {
            // "confident" qualifies a met target only: a target that is not met is never confident.
            const std::string verdict = !t.met ? "NOT MET" : t.confident ? "MET (confident)" : "MET (not confident)";
            std::string line = "  " + pad_right(t.class_name, 6) + pad_right(goal_text(t), 30) + pair(t.value, 8, 7) +
                               "  " + pad_left(fixed(t.p_met, 2), 5) + "  " + verdict;
            out << line << '\n';
        }
    }

    write_staff(out, "Groups", s.groups);
    write_staff(out, "Rooms", s.rooms);
}

}  // namespace crsim::model
