#pragma once
/// \file
/// A per-call log of one replication in the call-log format (`crsim run --calls-log`), so that the
/// simulated calls can be read back by `crsim fit` or analysed like a telephony export.

#include <sstream>
#include <string>

#include "crsim/model/recording.hpp"
#include "crsim/model/scenario_spec.hpp"

namespace crsim::report {

/// Collects one CSV row per attempt: arrival (a local date-time when the scenario has a
/// start_date, else seconds from t = 0), class, outcome, wait_s, handle_s (talk), wrap_s, agent
/// (the position that answered, `P<n>`), room, then the extra columns group and attempt.
class CallLogWriter final : public model::CallLogSink {
public:
    explicit CallLogWriter(const model::ScenarioSpec& spec);

    void on_call(const model::CallRecord& record) override;

    /// The whole CSV text, header first.
    std::string text() const { return out_.str(); }
    std::size_t rows() const { return rows_; }

private:
    static std::string format_seconds(double s);

    const model::ScenarioSpec& spec_;
    std::ostringstream out_;
    std::size_t rows_ = 0;
};

}  // namespace crsim::report
