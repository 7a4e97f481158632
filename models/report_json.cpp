// summary.json, and the number formatting shared by every writer.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "crsim/model/report.hpp"

namespace crsim::model {

std::string format_number(double x) {
    if (!std::isfinite(x)) return {};
    // std::to_chars without a precision gives the shortest text that reads back to the same
    // double, independent of the locale: "0.1" rather than %.17g's "0.10000000000000001".
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
    return std::string(buffer, result.ptr);
}

std::string threshold_label(double threshold_s) { return format_number(threshold_s) + "s"; }

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (const char ch : text) {
        switch (ch) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (static_cast<unsigned char>(ch) < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(ch)));
                    out += buffer;
                } else {
                    out += ch;  // UTF-8 bytes pass through: JSON text is UTF-8
                }
        }
    }
    return out + '"';
}

std::string json_number(double x) {
    const std::string text = format_number(x);
    return text.empty() ? "null" : text;
}

namespace {

std::string quote(std::string_view text) { return json_string(text); }
std::string number(double x) { return json_number(x); }

std::string figure(const Figure& f) { return "{\"mean\": " + number(f.mean) + ", \"ci95\": " + number(f.ci95) + "}"; }

}  // namespace

std::string target_json(const TargetResult& t) {
    return "{\"class\": " + quote(t.class_name) + ", \"metric\": " + quote(metric_name(t.metric)) +
           ", \"threshold_s\": " + number(t.threshold_s) + ", \"goal\": " + number(t.goal) +
           ", \"mean\": " + number(t.value.mean) + ", \"ci95\": " + number(t.value.ci95) +
           ", \"met\": " + (t.met ? "true" : "false") + ", \"p_met\": " + number(t.p_met) +
           ", \"confident\": " + (t.confident ? "true" : "false") + "}";
}

std::string window_json(const std::optional<ReportWindow>& w) {
    if (!w) return "null";
    const char* unit = w->unit == ReportWindow::Unit::week ? "week" : "day";
    return std::string("{\"from_") + unit + "\": " + std::to_string(w->from) + ", \"to_" + unit +
           "\": " + std::to_string(w->to) + "}";
}

namespace {

/// `,"analytic": {...}` for a class of `crsim run --analytic`: the Erlang estimates of its figures.
std::string analytic(const ClassSummary& c) {
    const AnalyticFigures& a = *c.analytic;
    std::string text = ",\n      \"analytic\": {\"model\": " + quote(a.erlang_a ? "erlang_a" : "erlang_c") +
                       ", \"service_level\": {";
    for (std::size_t i = 0; i < c.thresholds_s.size() && i < a.service_level.size(); ++i)
        text += (i ? ", " : "") + quote(threshold_label(c.thresholds_s[i])) + ": " + number(a.service_level[i]);
    return text + "}, \"asa_s\": " + number(a.asa_s) + ", \"abandoned_pct\": " + number(a.abandoned_pct) +
           ", \"mean_queue_s\": " + number(a.mean_queue_s) + ", \"intervals\": " + std::to_string(a.intervals) +
           ", \"overloaded_intervals\": " + std::to_string(a.overloaded_intervals) + "}";
}

/// Writes `"name": {...figures...}` with one figure a line; service levels nest under their thresholds.
/// A class without thresholds still gets an empty "service_level" object, so every class has the same keys.
template <class Figures, class Visit>
void write_entity(std::ostream& out, const std::string& name, const Figures& figures, Visit visit, bool is_class,
                  bool last, const std::string& extra = {}) {
    out << "    " << quote(name) << ": {\n";
    bool first = true;
    bool in_service_level = false;
    bool had_service_level = false;
    visit(figures, [&](std::string_view metric, double threshold_s, const Figure& f) {
        const bool service_level = metric == "service_level";
        had_service_level = had_service_level || service_level;
        if (is_class && metric == "asa_s" && !had_service_level) out << ",\n      \"service_level\": {}";
        if (in_service_level && !service_level) {
            out << "\n      }";
            in_service_level = false;
        }
        if (!first) out << ",";
        out << "\n";
        first = false;
        if (service_level) {
            if (!in_service_level) {
                out << "      \"service_level\": {\n";
                in_service_level = true;
                first = true;
            }
            out << "        " << quote(threshold_label(threshold_s)) << ": " << figure(f);
            first = false;
            return;
        }
        out << "      " << quote(metric) << ": " << figure(f);
    });
    if (in_service_level) out << "\n      }";
    out << extra << "\n    }" << (last ? "\n" : ",\n");
}

}  // namespace

void write_summary_json(std::ostream& out, const Summary& s) {
    out << "{\n";
    out << "  \"scenario\": " << quote(s.scenario) << ",\n";
    out << "  \"crsim_version\": " << quote(s.crsim_version) << ",\n";
    out << "  \"scenario_sha256\": " << quote(s.scenario_sha256) << ",\n";
    out << "  \"seed\": " << s.seed << ",\n";
    out << "  \"replications\": " << s.replications << ",\n";
    out << "  \"window\": " << window_json(s.window) << ",\n";

    out << "  \"classes\": {" << (s.classes.empty() ? "" : "\n");
    for (std::size_t c = 0; c < s.classes.size(); ++c) {
        const ClassSummary& cs = s.classes[c];
        write_entity(out, cs.name, cs.figures,
                     [&](const auto& figs, auto&& fn) { for_each_class_figure(figs, cs.thresholds_s, fn); },
                     true, c + 1 == s.classes.size(), cs.analytic ? analytic(cs) : std::string());
    }
    out << (s.classes.empty() ? "" : "  ") << "},\n";

    const auto staff = [&](const char* key, const std::vector<StaffSummary>& list) {
        out << "  \"" << key << "\": {" << (list.empty() ? "" : "\n");
        for (std::size_t i = 0; i < list.size(); ++i)
            write_entity(out, list[i].name, list[i].figures,
                         [](const auto& figs, auto&& fn) { for_each_staff_figure(figs, fn); }, false,
                         i + 1 == list.size());
        out << (list.empty() ? "" : "  ") << "},\n";
    };
    staff("groups", s.groups);
    staff("rooms", s.rooms);
    out << "  \"total\": {";
    bool first_total = true;
    for_each_total_figure(s.total, [&](std::string_view metric, double, const Figure& f) {
        out << (first_total ? "" : ", ") << quote(metric) << ": " << figure(f);
        first_total = false;
    });
    out << "},\n";

    out << "  \"targets\": [" << (s.targets.empty() ? "" : "\n");
    for (std::size_t i = 0; i < s.targets.size(); ++i) {
        const TargetResult& t = s.targets[i];
        out << "    " << target_json(t)
            << (i + 1 == s.targets.size() ? "\n" : ",\n");
    }
    out << (s.targets.empty() ? "" : "  ") << "]\n}\n";
}

}  // namespace crsim::model
