#include "crsim/report/call_log_writer.hpp"

#include <cstdio>

#include "crsim/calllog/call_log.hpp"

namespace crsim::report {

using namespace crsim::model;

CallLogWriter::CallLogWriter(const ScenarioSpec& spec) : spec_(spec) {
    out_ << "arrival,class,outcome,wait_s,handle_s,wrap_s,agent,room,group,attempt,priority\n";
}

void CallLogWriter::on_call(const CallRecord& r) {
    // Milliseconds: finer than any telephony log, and short rows.
    if (spec_.start_day)
        out_ << calllog::format_local_datetime(static_cast<double>(*spec_.start_day) * seconds_per_day + r.arrival_s,
                                               3);
    else
        out_ << format_seconds(r.arrival_s);
    out_ << ',';
    calllog::write_csv_field(out_, spec_.classes[r.cls].name);
    const bool answered = r.outcome == CallRecord::Outcome::answered;
    const char* outcome = answered                                      ? ",answered,"
                          : r.outcome == CallRecord::Outcome::abandoned ? ",abandoned,"
                                                                        : ",blocked,";
    out_ << outcome << format_seconds(r.wait_s) << ',';
    if (answered)
        out_ << format_seconds(r.handle_s - r.wrap_s) << ',' << format_seconds(r.wrap_s) << ",P" << r.position;
    else
        out_ << ",,";
    out_ << ',';
    calllog::write_csv_field(out_, spec_.rooms[r.room].name);
    out_ << ',';
    if (answered) calllog::write_csv_field(out_, spec_.groups[r.group].name);
    // The class's priority, and its head start in the queue when it has one: what a real log's
    // priority column tells (a customer's standing), for crsim fit to read back.
    const ClassSpec& cls = spec_.classes[r.cls];
    out_ << ',' << r.attempt << ',' << cls.priority;
    if (cls.head_start_s > 0) out_ << '+' << format_seconds(cls.head_start_s) << 's';
    out_ << '\n';
    ++rows_;
}

std::string CallLogWriter::format_seconds(double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", s);
    return text;
}

}  // namespace crsim::report
