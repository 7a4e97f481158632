// summary.csv, replications.csv and periods.csv, and the set of files `crsim run --out` writes.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "crsim/calllog/call_log.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"
#include "crsim/model/verdict.hpp"
#include "crsim/report/summary_writers.hpp"

namespace crsim::report {

using namespace crsim::model;

std::string csv_field(std::string_view text) {
    std::string cell(text);
    // A spreadsheet runs a cell starting with =, +, - or @ as a formula (=cmd|' /C calc'!A0): such a
    // text gets a leading ', which spreadsheets show as text. A number (-5, +1e3) is left as it is.
    if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) {
        double number = 0;
        const char* first = cell.data() + (cell.front() == '+' ? 1 : 0);
        const auto [end, ec] = std::from_chars(first, cell.data() + cell.size(), number);
        if (ec != std::errc() || end != cell.data() + cell.size()) cell.insert(0, 1, '\'');
    }
    return calllog::csv_quoted(cell);
}

namespace {

std::string field(std::string_view text) { return csv_field(text); }

/// The threshold_s cell: set only for service_level.
std::string threshold_cell(double threshold_s) { return format_number(threshold_s); }

/// Calls row(kind, name, figures, visit) for every class, group and room in report order, with the
/// figures the pick_* functions select by index: the summary's or one replication's.
template <class PickClass, class PickGroup, class PickRoom, class Row>
void for_each_entity(const Summary& s, PickClass pick_class, PickGroup pick_group, PickRoom pick_room, Row row) {
    for (std::size_t c = 0; c < s.classes.size(); ++c)
        row("class", s.classes[c].name, pick_class(c), [&](const auto& figs, auto&& fn) {
            for_each_class_figure(figs, s.classes[c].thresholds_s, fn, s.classes[c].may_be_blocked);
        });
    const auto staff = [](const auto& figs, auto&& fn) { for_each_staff_figure(figs, fn); };
    for (std::size_t g = 0; g < s.groups.size(); ++g) row("group", s.groups[g].name, pick_group(g), staff);
    for (std::size_t r = 0; r < s.rooms.size(); ++r) row("room", s.rooms[r].name, pick_room(r), staff);
}

/// Writes one kind of period's rows, skipping figures no replication defines.
void write_period_rows(std::ostream& out, const Summary& s, const PeriodSummary& p, std::string_view period) {
    const std::string scenario = field(s.scenario);
    const auto rows = [&](std::string_view kind, const std::string& name, std::size_t index, const auto& figures,
                          auto visit) {
        visit(figures, [&](std::string_view metric, double threshold_s, const Figure& f) {
            if (f.n == 0) return;
            out << scenario << ',' << kind << ',' << field(name) << ',' << period << ',' << index + 1 << ',' << metric
                << ',' << threshold_cell(threshold_s) << ',' << format_number(f.mean) << ',' << format_number(f.ci95)
                << '\n';
        });
    };
    for (std::size_t c = 0; c < p.classes.size() && c < s.classes.size(); ++c)
        for (std::size_t i = 0; i < p.classes[c].size(); ++i)
            rows("class", s.classes[c].name, i, p.classes[c][i], [&](const auto& figs, auto&& fn) {
                for_each_call_figure(figs, s.classes[c].thresholds_s, fn, s.classes[c].may_be_blocked);
            });
    const auto staff = [](const auto& figs, auto&& fn) { for_each_staff_figure(figs, fn); };
    for (std::size_t g = 0; g < p.groups.size() && g < s.groups.size(); ++g)
        for (std::size_t i = 0; i < p.groups[g].size(); ++i) rows("group", s.groups[g].name, i, p.groups[g][i], staff);
    for (std::size_t r = 0; r < p.rooms.size() && r < s.rooms.size(); ++r)
        for (std::size_t i = 0; i < p.rooms[r].size(); ++i) rows("room", s.rooms[r].name, i, p.rooms[r][i], staff);
    if (&p == &s.weeks) {
        const auto demand = [](const auto& figs, auto&& fn) { for_each_demand_figure(figs, fn); };
        for (const DemandSummary& d : s.demand)
            for (std::size_t i = 0; i < d.weeks.size(); ++i) rows("demand", d.name, i, d.weeks[i], demand);
    }
}

}  // namespace

void write_summary_csv(std::ostream& out, const Summary& s) {
    out << "scenario,kind,name,metric,threshold_s,mean,ci95\n";
    const std::string scenario = field(s.scenario);
    for_each_entity(
        s, [&](std::size_t c) -> const auto& { return s.classes[c].figures; },
        [&](std::size_t g) -> const StaffFigures<Figure>& { return s.groups[g].figures; },
        [&](std::size_t r) -> const StaffFigures<Figure>& { return s.rooms[r].figures; },
        [&](std::string_view kind, const std::string& name, const auto& figures, auto visit) {
            visit(figures, [&](std::string_view metric, double threshold_s, const Figure& f) {
                out << scenario << ',' << kind << ',' << field(name) << ',' << metric << ','
                    << threshold_cell(threshold_s) << ',' << format_number(f.mean) << ',' << format_number(f.ci95)
                    << '\n';
            });
        });
    for_each_total_figure(s.total, [&](std::string_view metric, double, const Figure& f) {
        out << scenario << ",total,all," << metric << ",," << format_number(f.mean) << ',' << format_number(f.ci95)
            << '\n';
    });
    // Scenarios with demand keys only, after every other row: other scenarios' files are as they were.
    for (const DemandSummary& d : s.demand)
        for_each_demand_figure(d.figures, [&](std::string_view metric, double, const Figure& f) {
            out << scenario << ",demand," << field(d.name) << ',' << metric << ",," << format_number(f.mean) << ','
                << format_number(f.ci95) << '\n';
        });
    // Call-back and deferrable-work figures last, and only where the scenario has such work: other
    // scenarios' files stay as they were.
    for (const ClassSummary& c : s.classes) {
        if (!c.callbacks) continue;
        for_each_callback_figure(*c.callbacks, [&](std::string_view metric, const Figure& f) {
            out << scenario << ",callback," << field(c.name) << ',' << metric << ",," << format_number(f.mean) << ','
                << format_number(f.ci95) << '\n';
        });
    }
    for (const DeferrableSummary& d : s.deferrables) {
        for_each_deferrable_figure(d.figures, [&](std::string_view metric, const Figure& f) {
            out << scenario << ",deferrable," << field(d.name) << ',' << metric << ','
                << (metric == "within_target_share" ? threshold_cell(d.target_within_s) : "") << ','
                << format_number(f.mean) << ',' << format_number(f.ci95) << '\n';
        });
    }
}

namespace {
/// Some target has buckets (`by`): targets.csv gets its columns and target_periods.csv is written.
bool has_buckets(const Summary& s) {
    return std::any_of(s.targets.begin(), s.targets.end(),
                       [](const TargetResult& t) { return t.by != TargetSpec::Period::window; });
}
}  // namespace

void write_targets_csv(std::ostream& out, const Summary& s) {
    // With a `verified:` block, each target's verdict under it (verdict.hpp) in extra columns: the
    // overall check, and with every_week its worst week. Without one the file is as it was.
    out << "scenario,class,metric,threshold_s,goal,mean,ci95,met,p_met,confident"
        << (s.verified ? ",verified_bound,verified_verdict,verified_worst_week,verified_worst_week_bound,"
                         "verified_worst_week_verdict"
                       : "")
        << (has_buckets(s) ? ",by,periods_met,worst_bucket" : "") << '\n';
    const std::string scenario = field(s.scenario);
    std::size_t next_check = 0;  // the checks run in target order, a worst week after its overall check
    for (const TargetResult& t : s.targets) {
        out << scenario << ',' << field(t.class_name) << ',' << metric_name(t.metric) << ','
            << threshold_cell(t.threshold_s) << ',' << format_number(t.goal) << ',' << format_number(t.value.mean)
            << ',' << format_number(t.value.ci95) << ',' << (t.met ? "true" : "false") << ',' << format_number(t.p_met)
            << ',' << (t.confident ? "true" : "false");
        if (s.verified) {
            const std::vector<TargetCheck>& checks = s.verified->targets;
            const TargetCheck& overall = checks.at(next_check++);
            out << ',' << format_number(overall.bound) << ',' << verdict_word(overall);
            if (next_check < checks.size() && checks[next_check].week > 0) {
                const TargetCheck& week = checks[next_check++];
                out << ',' << week.week << ',' << format_number(week.bound) << ',' << verdict_word(week);
            } else {
                out << ",,,";
            }
        }
        // With targets per period (target_periods.hpp): over which buckets, the chance, the worst bucket.
        if (has_buckets(s)) {
            if (t.by == TargetSpec::Period::window)
                out << ",window,,";
            else
                out << ',' << target_period(t.by).name << ','
                    << (is_chance_target(t) ? format_number(t.periods_met) : "") << ','
                    << field(bucket_label(t.by, t.worst_bucket));
        }
        out << '\n';
    }
}

void write_replications_csv(std::ostream& out, const Summary& s) {
    out << "scenario,replication,kind,name,metric,threshold_s,value\n";
    const std::string scenario = field(s.scenario);
    for (std::size_t r = 0; r < s.per_replication.size(); ++r) {
        const ReplicationFigures& rf = s.per_replication[r];
        for_each_entity(
            s, [&](std::size_t c) -> const auto& { return rf.classes.at(c); },
            [&](std::size_t g) -> const StaffFigures<double>& { return rf.groups.at(g); },
            [&](std::size_t room) -> const StaffFigures<double>& { return rf.rooms.at(room); },
            [&](std::string_view kind, const std::string& name, const auto& figures, auto visit) {
                visit(figures, [&](std::string_view metric, double threshold_s, const double& value) {
                    out << scenario << ',' << r + 1 << ',' << kind << ',' << field(name) << ',' << metric << ','
                        << threshold_cell(threshold_s) << ',' << format_number(value) << '\n';
                });
            });
        for_each_total_figure(rf.total, [&](std::string_view metric, double, const double& value) {
            out << scenario << ',' << r + 1 << ",total,all," << metric << ",," << format_number(value) << '\n';
        });
    }
}

void write_periods_csv(std::ostream& out, const Summary& s) {
    out << "scenario,kind,name,period,index,metric,threshold_s,mean,ci95\n";
    write_period_rows(out, s, s.days, "day");
    write_period_rows(out, s, s.weeks, "week");
    write_period_rows(out, s, s.hours_of_week, "hour_of_week");
}

void write_target_periods_csv(std::ostream& out, const Summary& s) {
    out << "scenario,class,metric,threshold_s,goal,by,periods_met,index,label,mean,ci95,met,p_met,confident\n";
    const std::string scenario = field(s.scenario);
    for (const TargetResult& t : s.targets) {
        if (t.by == TargetSpec::Period::window) continue;
        for (const BucketResult& b : t.buckets)
            out << scenario << ',' << field(t.class_name) << ',' << metric_name(t.metric) << ','
                << threshold_cell(t.threshold_s) << ',' << format_number(t.goal) << ',' << target_period(t.by).name
                << ',' << (is_chance_target(t) ? format_number(t.periods_met) : "") << ',' << b.index + 1 << ','
                << field(bucket_label(t.by, b.index)) << ',' << format_number(b.value.mean) << ','
                << format_number(b.value.ci95) << ',' << (b.met ? "true" : "false") << ',' << format_number(b.p_met)
                << ',' << (b.confident ? "true" : "false") << '\n';
    }
}

std::vector<ResultFile> ReportFiles::all() const {
    std::vector<ResultFile> files{summary_json, summary_csv, targets_csv, replications_csv, periods_csv};
    if (!target_periods_csv.name.empty()) files.push_back(target_periods_csv);
    return files;
}

ReportFiles report_files(const Summary& s) {
    const auto file = [&](const char* name, void (*writer)(std::ostream&, const Summary&)) {
        std::ostringstream text;
        writer(text, s);
        return ResultFile{name, text.str()};
    };
    return ReportFiles{file("summary.json", write_summary_json),
                       file("summary.csv", write_summary_csv),
                       file("targets.csv", write_targets_csv),
                       file("replications.csv", write_replications_csv),
                       file("periods.csv", write_periods_csv),
                       has_buckets(s) ? file("target_periods.csv", write_target_periods_csv) : ResultFile{}};
}

void write_report_files(const std::filesystem::path& dir, const Summary& s) {
    write_result_set(dir, report_files(s).all());
}

}  // namespace crsim::report
