#include "crsim/scrutiny/weekly_kpis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "crsim/scenario/units.hpp"
#include "not_a_number.hpp"

namespace crsim::scrutiny {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string located(const std::string& file, std::uint64_t line, const std::string& message) {
    return file + ":" + std::to_string(line) + ": error: " + message;
}

/// The threshold of an `answered_within_<T>` or `service_level_<T>` column name, if it is one.
std::optional<double> threshold_of(std::string_view name, std::string_view prefix) {
    if (name.substr(0, prefix.size()) != prefix) return std::nullopt;
    const scenario::Parsed<double> t = scenario::parse_duration(name.substr(prefix.size()));
    if (!t || *t.value <= 0) return std::nullopt;
    return t.value;
}

bool is_kpi_column(std::string_view name) {
    for (std::string_view c : required_kpi_columns)
        if (c == name) return true;
    return name == "answered" || name == "abandoned" || name == "asa_s" || threshold_of(name, "answered_within_") ||
           threshold_of(name, "service_level_");
}

bool missing(std::string_view cell) { return cell.empty() || cell == "NA" || cell == "na"; }

struct BadCell : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A count: a whole number >= 0.
double count_cell(std::string_view cell, const std::string& column) {
    const scenario::Parsed<double> v = scenario::parse_number(cell);
    if (!v) throw BadCell(column + ": expected a whole number of calls, got '" + std::string(cell) + "'");
    if (*v.value < 0) throw BadCell(column + ": a count cannot be negative, got " + std::string(cell));
    if (*v.value != std::floor(*v.value))
        throw BadCell(column + ": expected a whole number of calls, got " + std::string(cell));
    return *v.value;
}

}  // namespace

std::string threshold_name(double threshold_s) {
    char text[32];
    std::snprintf(text, sizeof text, "%gs", threshold_s);
    return text;
}

std::map<std::string, std::string, std::less<>> parse_kpi_column_map(std::string_view text) {
    return calllog::parse_column_pairs(text, is_kpi_column,
                                       "week_start, class, offered, answered, abandoned, asa_s, answered_within_<T> "
                                       "or service_level_<T> (T such as 10s or 3min)");
}

WeeklyKpis read_weekly_kpis(std::istream& in, const std::string& name, const calllog::ReadOptions& options) {
    calllog::CsvRecords records(in, name, options);
    std::vector<std::string> fields;
    bool quote_error = false;
    std::uint64_t header_line = 1;
    while (!records.done()) {
        header_line = records.next(fields, quote_error);
        if (!(fields.size() == 1 && trim(fields[0]).empty())) break;
    }
    if (fields.empty() || (fields.size() == 1 && trim(fields[0]).empty()))
        throw KpiFileError(located(name, 1, "empty file: expected a header line"));

    // A header is the canonical name of its column, or the file's name for one (--map).
    std::unordered_map<std::string, std::string> canonical_of;
    for (const auto& [canonical, header] : options.column_names) canonical_of.emplace(header, canonical);
    std::unordered_map<std::string, std::size_t> column;  // canonical name -> field index
    for (std::size_t i = 0; i < fields.size(); ++i) {
        std::string header(trim(fields[i]));
        const auto mapped = canonical_of.find(header);
        if (mapped != canonical_of.end()) header = mapped->second;
        if (!is_kpi_column(header)) continue;
        if (!column.emplace(header, i).second)
            throw KpiFileError(located(name, header_line, "column '" + header + "' appears more than once"));
    }
    for (std::string_view required : required_kpi_columns)
        if (!column.count(std::string(required))) {
            const auto mapped = options.column_names.find(required);
            std::string message = "missing column '" + std::string(required) + "'";
            if (mapped != options.column_names.end()) message += " (mapped to '" + mapped->second + "')";
            message += "; the header has:";
            for (const std::string& f : fields) message.append(" ").append(trim(f));
            throw KpiFileError(located(name, header_line, message));
        }

    // The thresholds, with each one's count and share columns.
    WeeklyKpis kpis;
    struct ThresholdColumns {
        double threshold_s;
        std::optional<std::size_t> within, share;
    };
    std::vector<ThresholdColumns> threshold_columns;
    auto threshold_entry = [&](double t) -> ThresholdColumns& {
        for (ThresholdColumns& c : threshold_columns)
            if (c.threshold_s == t) return c;
        threshold_columns.push_back({t, std::nullopt, std::nullopt});
        return threshold_columns.back();
    };
    for (const auto& [header, index] : column) {
        if (const auto t = threshold_of(header, "answered_within_")) {
            if (threshold_entry(*t).within)
                throw KpiFileError(located(name, header_line, "two columns of answered within " + threshold_name(*t)));
            threshold_entry(*t).within = index;
        } else if (const auto s = threshold_of(header, "service_level_")) {
            if (threshold_entry(*s).share)
                throw KpiFileError(
                    located(name, header_line, "two columns of service level within " + threshold_name(*s)));
            threshold_entry(*s).share = index;
        }
    }
    std::sort(threshold_columns.begin(), threshold_columns.end(),
              [](const ThresholdColumns& a, const ThresholdColumns& b) { return a.threshold_s < b.threshold_s; });
    for (const ThresholdColumns& c : threshold_columns) kpis.thresholds_s.push_back(c.threshold_s);

    auto optional_column = [&](const char* canonical) -> std::optional<std::size_t> {
        const auto it = column.find(canonical);
        return it == column.end() ? std::nullopt : std::optional<std::size_t>(it->second);
    };
    const std::size_t week_column = column.at("week_start"), class_column = column.at("class"),
                      offered_column = column.at("offered");
    const auto answered_column = optional_column("answered"), abandoned_column = optional_column("abandoned"),
               asa_column = optional_column("asa_s");

    // The weeks of each class already read: start day -> line, to find overlaps.
    std::map<std::string, std::map<std::int64_t, std::uint64_t>> weeks_of_class;
    while (!records.done()) {
        const std::uint64_t line = records.next(fields, quote_error);
        if (quote_error) throw KpiFileError(located(name, line, "a quoted field is not closed"));
        if (fields.size() == 1 && trim(fields[0]).empty()) continue;  // a blank line
        if (fields.size() != column.size() && fields.size() < 1 + std::max({week_column, class_column, offered_column}))
            throw KpiFileError(
                located(name, line, "expected the fields of the header, got " + std::to_string(fields.size())));
        auto cell = [&](std::size_t index) -> std::string_view {
            return index < fields.size() ? trim(fields[index]) : std::string_view{};
        };
        WeekRow row;
        row.line = line;
        try {
            const std::string_view week = cell(week_column);
            const auto when = calllog::parse_local_datetime(week);
            if (week.size() != 10 || !when)
                throw BadCell("week_start: expected a date YYYY-MM-DD, got '" + std::string(week) + "'");
            row.week_start = calllog::day_number(*when);
            row.cls = std::string(cell(class_column));
            if (row.cls.empty()) throw BadCell("class: empty");
            if (missing(cell(offered_column))) throw BadCell("offered: missing (the week's demand is needed)");
            row.offered = count_cell(cell(offered_column), "offered");
            if (answered_column && !missing(cell(*answered_column)))
                row.answered = count_cell(cell(*answered_column), "answered");
            if (abandoned_column && !missing(cell(*abandoned_column)))
                row.abandoned = count_cell(cell(*abandoned_column), "abandoned");
            if (row.answered > row.offered)
                throw BadCell("answered (" + std::string(cell(*answered_column)) + ") exceeds offered (" +
                              std::string(cell(offered_column)) + ")");
            if (row.abandoned > row.offered)
                throw BadCell("abandoned (" + std::string(cell(*abandoned_column)) + ") exceeds offered (" +
                              std::string(cell(offered_column)) + ")");
            if (row.answered + row.abandoned > row.offered) throw BadCell("answered + abandoned exceeds offered");
            if (asa_column && !missing(cell(*asa_column))) {
                const scenario::Parsed<double> v = scenario::parse_number(cell(*asa_column));
                if (!v || *v.value < 0)
                    throw BadCell("asa_s: expected seconds >= 0, got '" + std::string(cell(*asa_column)) + "'");
                row.asa_s = *v.value;
            }
            for (const ThresholdColumns& c : threshold_columns) {
                double share = nan;
                const std::string t = threshold_name(c.threshold_s);
                if (c.within && !missing(cell(*c.within))) {
                    const double within = count_cell(cell(*c.within), "answered_within_" + t);
                    if (within > row.answered)
                        throw BadCell("answered_within_" + t + " (" + std::string(cell(*c.within)) +
                                      ") exceeds answered");
                    if (within > row.offered)
                        throw BadCell("answered_within_" + t + " (" + std::string(cell(*c.within)) +
                                      ") exceeds offered");
                    if (row.offered > 0) share = within / row.offered;
                } else if (c.share && !missing(cell(*c.share))) {
                    const scenario::Parsed<double> v = scenario::parse_share(cell(*c.share));
                    if (!v || *v.value < 0 || *v.value > 1)
                        throw BadCell("service_level_" + t + ": expected a share from 0 to 1 (or 0% to 100%), got '" +
                                      std::string(cell(*c.share)) + "'");
                    share = *v.value;
                }
                row.service_level.push_back(share);
            }
        } catch (const BadCell& e) {
            throw KpiFileError(located(name, line, e.what()));
        }
        // Weeks of one class may not overlap: the nearest week starting on either side must be 7
        // days or more away.
        auto& weeks = weeks_of_class[row.cls];
        using Iterator = std::map<std::int64_t, std::uint64_t>::const_iterator;
        const Iterator after = weeks.lower_bound(row.week_start);
        const Iterator before = after == weeks.cbegin() ? weeks.cend() : std::prev(after);
        for (const Iterator other : {after, before})
            if (other != weeks.end() && std::abs(other->first - row.week_start) < 7)
                throw KpiFileError(located(name, line,
                                           "the week starting " + calllog::format_date(row.week_start) +
                                               " overlaps the week starting " + calllog::format_date(other->first) +
                                               " (line " + std::to_string(other->second) + ") of class " + row.cls));
        weeks.emplace(row.week_start, line);
        kpis.rows.push_back(std::move(row));
    }
    if (kpis.rows.empty()) throw KpiFileError(located(name, header_line, "no week after the header"));
    return kpis;
}

WeeklyKpis read_weekly_kpis_file(const std::string& path, const calllog::ReadOptions& options) {
    std::ifstream in;
    try {
        in = calllog::open_log_file(path, options);
    } catch (const calllog::CallLogError& e) {
        throw KpiFileError(e.what());
    }
    try {
        return read_weekly_kpis(in, path, options);
    } catch (const calllog::CallLogError& e) {
        throw KpiFileError(e.what());
    }
}

std::string weekly_kpis_csv(const model::ScenarioSpec& spec, const model::ReplicationResult& run) {
    if (!spec.start_day)
        throw std::invalid_argument("weekly KPIs are dated: the scenario needs a start_date (or --start-date)");
    std::vector<double> thresholds;
    for (const model::ClassSpec& c : spec.classes)
        for (double t : c.thresholds_s)
            if (std::find(thresholds.begin(), thresholds.end(), t) == thresholds.end()) thresholds.push_back(t);
    std::sort(thresholds.begin(), thresholds.end());
    std::ostringstream out;
    out << "week_start,class,offered,answered,abandoned";
    for (double t : thresholds) out << ",answered_within_" << threshold_name(t);
    out << ",asa_s\n";
    const std::size_t weeks = run.weeks.classes.empty() ? 0 : run.weeks.classes.front().size();
    for (std::size_t w = 0; w < weeks; ++w) {
        // Only whole weeks: none that the warm-up or the horizon cuts short.
        const double from = static_cast<double>(w) * model::seconds_per_week;
        if (from < spec.warmup_s - 1e-9 || from + model::seconds_per_week > spec.horizon_s + 1e-9) continue;
        const std::int64_t day = *spec.start_day + static_cast<std::int64_t>(7 * w);
        for (std::size_t k = 0; k < spec.classes.size(); ++k) {
            const model::ClassCounts& n = run.weeks.classes[k][w];
            out << calllog::format_date(day) << ',';
            calllog::write_csv_field(out, spec.classes[k].name);
            out << ',' << n.offered << ',' << n.answered << ',' << n.abandoned;
            for (double t : thresholds) {
                const std::vector<double>& own = spec.classes[k].thresholds_s;
                const auto it = std::find(own.begin(), own.end(), t);
                out << ',';
                if (it != own.end() && !n.answered_within.empty())
                    out << n.answered_within[static_cast<std::size_t>(it - own.begin())];
            }
            char asa[32] = "";
            if (n.answered > 0)
                std::snprintf(asa, sizeof asa, "%.2f", n.answered_wait_s / static_cast<double>(n.answered));
            out << ',' << asa << '\n';
        }
    }
    return out.str();
}

}  // namespace crsim::scrutiny
