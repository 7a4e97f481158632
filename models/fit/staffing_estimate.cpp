#include "crsim/fit/staffing_estimate.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <unordered_map>

#include "crsim/calllog/call_log.hpp"
#include "crsim/fit/log_fit.hpp"

namespace crsim::fit {

namespace {

/// Adds `people` over civil time [start, end) to the grid, as fractions of each interval covered.
void add_presence(std::vector<std::vector<double>>& grid, std::int64_t first_day, double interval_s, double start,
                  double end) {
    const double origin = static_cast<double>(first_day) * 86400.0;
    const double per_day = static_cast<double>(grid.empty() ? 0 : grid.front().size());
    const double total = static_cast<double>(grid.size()) * per_day;
    double a = std::max(0.0, (start - origin) / interval_s);
    const double b = std::min(total, (end - origin) / interval_s);
    while (a < b) {
        const double cell = std::floor(a);
        const double until = std::min(b, cell + 1);
        const auto index = static_cast<std::size_t>(cell);
        const auto per = static_cast<std::size_t>(per_day);
        grid[index / per][index % per] += until - a;
        a = until;
    }
}

/// The union of the waits, as disjoint stretches in time order.
std::vector<WaitSpan> union_of(std::vector<WaitSpan> waits) {
    std::sort(waits.begin(), waits.end(), [](const WaitSpan& a, const WaitSpan& b) { return a.start_s < b.start_s; });
    std::vector<WaitSpan> merged;
    for (const WaitSpan& w : waits) {
        if (w.end_s <= w.start_s) continue;
        if (!merged.empty() && w.start_s <= merged.back().end_s)
            merged.back().end_s = std::max(merged.back().end_s, w.end_s);
        else
            merged.push_back(w);
    }
    return merged;
}

/// True when some caller waited during (a, b).
bool someone_waited(const std::vector<WaitSpan>& merged, double a, double b) {
    if (b <= a) return false;
    // The first stretch ending after a.
    const auto it =
        std::upper_bound(merged.begin(), merged.end(), a, [](double t, const WaitSpan& w) { return t < w.end_s; });
    return it != merged.end() && it->start_s < b;
}

}  // namespace

StaffingEstimate estimate_staffing(std::vector<BusySpan> spans, std::vector<WaitSpan> waits, std::size_t rooms,
                                   std::int64_t first_day, std::size_t days, double interval_s, double gap_s,
                                   double grace_s) {
    StaffingEstimate estimate;
    // The waits of each class, and the classes each agent answers.
    std::uint32_t classes = 0;
    for (const WaitSpan& w : waits) classes = std::max(classes, w.cls + 1);
    for (const BusySpan& b : spans) classes = std::max(classes, b.cls + 1);
    std::vector<std::vector<WaitSpan>> waiting(classes);
    for (const WaitSpan& w : waits) waiting[w.cls].push_back(w);
    for (std::vector<WaitSpan>& w : waiting) w = union_of(std::move(w));
    std::unordered_map<std::int32_t, std::vector<double>> mix;  // agent -> calls per class
    for (const BusySpan& b : spans) {
        std::vector<double>& m = mix[b.agent];
        m.resize(classes, 0.0);
        m[b.cls] += 1;
    }
    auto waited_for = [&](std::int32_t agent, double a, double b) {
        const std::vector<double>& m = mix[agent];
        double total = 0;
        for (double n : m) total += n;
        for (std::uint32_t k = 0; k < classes; ++k)
            if (m[k] >= skill_share * total && someone_waited(waiting[k], a, b)) return true;
        return false;
    };
    const auto per_day = static_cast<std::size_t>(std::llround(86400.0 / interval_s));
    estimate.on_duty.assign(rooms, std::vector<std::vector<double>>(days, std::vector<double>(per_day, 0.0)));
    std::sort(spans.begin(), spans.end(), [](const BusySpan& a, const BusySpan& b) {
        if (a.agent != b.agent) return a.agent < b.agent;
        if (a.room != b.room) return a.room < b.room;
        return a.start_s < b.start_s;
    });
    std::int32_t last_agent = -1;
    for (std::size_t i = 0; i < spans.size();) {
        const BusySpan& first = spans[i];
        if (first.agent != last_agent) ++estimate.agents;
        last_agent = first.agent;
        double start = first.start_s, end = first.end_s;
        std::size_t j = i + 1;
        for (; j < spans.size() && spans[j].agent == first.agent && spans[j].room == first.room; ++j) {
            const bool joined =
                spans[j].start_s - end <= gap_s && !waited_for(first.agent, end + grace_s, spans[j].start_s);
            if (!joined) {
                add_presence(estimate.on_duty[static_cast<std::size_t>(first.room)], first_day, interval_s, start, end);
                ++estimate.sessions;
                start = spans[j].start_s;
            }
            end = std::max(end, spans[j].end_s);
        }
        add_presence(estimate.on_duty[static_cast<std::size_t>(first.room)], first_day, interval_s, start, end);
        ++estimate.sessions;
        i = j;
    }
    return estimate;
}

std::vector<StaffingRow> read_staffing_file(const std::string& path, const calllog::ReadOptions& limits) {
    std::ifstream in = calllog::open_log_file(path, limits);
    calllog::CsvRecords records(in, path, limits);
    std::vector<StaffingRow> rows;
    std::vector<std::string> fields;
    std::uint64_t number = 0;
    std::unordered_map<std::string, std::size_t> column;
    auto fail = [&](const std::string& message) {
        throw calllog::CallLogError(path + ":" + std::to_string(number) + ": error: " + message);
    };
    while (!records.done()) {
        bool quote_error = false;
        number = records.next(fields, quote_error);
        for (std::string& f : fields) {
            const std::size_t first = f.find_first_not_of(" \t");
            f = first == std::string::npos ? std::string() : f.substr(first, f.find_last_not_of(" \t") + 1 - first);
        }
        if (fields.size() == 1 && fields[0].empty()) continue;
        if (quote_error) fail("a quoted field is not closed");
        if (column.empty()) {
            for (std::size_t i = 0; i < fields.size(); ++i) column.emplace(fields[i], i);
            for (const char* name : {"start", "end", "room", "group", "headcount"})
                if (!column.count(name))
                    fail(std::string("missing column '") + name +
                         "': expected the header start,end,room,group,headcount");
            continue;
        }
        if (fields.size() != column.size())
            fail("expected " + std::to_string(column.size()) + " fields as in the header, got " +
                 std::to_string(fields.size()));
        StaffingRow row;
        row.line = number;
        const auto start = calllog::parse_local_datetime(fields[column["start"]]);
        const auto end = calllog::parse_local_datetime(fields[column["end"]]);
        if (!start)
            fail("column 'start': expected a local date-time YYYY-MM-DDTHH:MM, got '" + fields[column["start"]] + "'");
        if (!end)
            fail("column 'end': expected a local date-time YYYY-MM-DDTHH:MM, got '" + fields[column["end"]] + "'");
        if (*end <= *start) fail("column 'end': must be after start");
        if (*end - *start > 86400) fail("a row may cover at most 24 hours; split longer stretches");
        row.start_s = *start;
        row.end_s = *end;
        row.room = fields[column["room"]];
        row.group = fields[column["group"]];
        if (row.room.empty()) fail("column 'room': empty");
        if (row.group.empty()) fail("column 'group': empty");
        if (const auto problem = yaml_name_problem(row.group)) fail("column 'group': " + *problem);
        const std::string& count = fields[column["headcount"]];
        const auto [ptr, ec] = std::from_chars(count.data(), count.data() + count.size(), row.headcount);
        if (ec != std::errc() || ptr != count.data() + count.size() || row.headcount < 1)
            fail("column 'headcount': expected a whole number >= 1, got '" + count + "'");
        rows.push_back(row);
    }
    if (column.empty()) {
        number = 1;
        fail("empty file: expected the header start,end,room,group,headcount");
    }
    return rows;
}

}  // namespace crsim::fit
