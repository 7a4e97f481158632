// libFuzzer target for the call-log reader (issue 22): any bytes as a call log, read with and
// without --origin and --skip-bad, then the dates and times of each call written back. Built only
// with -DCRSIM_FUZZ=ON and clang (tools/fuzz/run-fuzz.sh); a crash, a hang, a leak or undefined
// behaviour is a finding.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "crsim/calllog/call_log.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace crsim::calllog;
    const std::string text(reinterpret_cast<const char*>(data), size);
    ReadOptions options;
    options.max_record_bytes = 4096;
    for (const bool skip_bad : {false, true}) {
        options.skip_bad = skip_bad;
        options.origin_s = skip_bad ? std::optional<double>(0.0) : std::nullopt;
        std::istringstream in(text);
        try {
            const CallLog log = read_call_log(in, "fuzz.csv", options);
            for (const CallRecord& c : log.calls) {
                (void)format_local_datetime(c.arrival_s, 3);
                (void)weekday_of_day(day_number(c.arrival_s));
                (void)invalid_utf8_at(log.classes.at(c.cls));
            }
        } catch (const CallLogError& e) {
            (void)e.what();
        }
    }
    return 0;
}
