#pragma once
/// \file
/// What a caller of the model may ask to be recorded beyond the counts of a ReplicationResult:
/// the options of one replication's recorder and the per-call records it can hand out.
///
/// The model reports events (an attempt arrives, is answered or abandoned; staff come and go) to
/// one recorder (models/model/recorder.hpp), which accumulates the counts. Outputs that only some runs
/// want, such as a log of every call, are sinks here that the recorder calls when they are set.

#include <cstdint>

namespace crsim::model {

/// The fate of one call attempt, as a per-call log sees it.
struct CallRecord {
    enum class Outcome : std::uint8_t { answered, abandoned, blocked };
    Outcome outcome = Outcome::answered;
    std::uint32_t cls = 0;        ///< index into ScenarioSpec::classes
    std::uint32_t attempt = 1;    ///< 1: the caller's first; 2 and more: ringing again after abandoning
    std::uint32_t home_room = 0;  ///< room whose queue the call joined
    bool measured = false;        ///< arrived after the warm-up, so it is in the counts
    double arrival_s = 0;         ///< simulated time of the attempt's arrival
    double wait_s = 0;            ///< answered: until answer, connection included; abandoned: time waited; blocked: 0
    double handle_s = 0;          ///< answered: talk and after-call work; abandoned: 0
    double wrap_s = 0;            ///< answered: the after-call work within handle_s; abandoned: 0
    std::uint32_t room = 0;       ///< answered: room of the person who answered; abandoned, blocked: home_room
    std::uint32_t group = 0;      ///< answered: the person's staff group; abandoned: 0
    std::uint32_t position = 0;   ///< answered: the slot of the person who answered (a desk, reused by later shifts)
    bool rings_again = false;     ///< abandoned: the caller will ring again within the horizon
};

/// Receives one CallRecord per attempt once its fate is known, in simulated-time order.
/// Called from the replication's own thread; an implementation shared by replications must lock.
class CallLogSink {
public:
    virtual ~CallLogSink() = default;
    /// One attempt answered, abandoned or blocked.
    virtual void on_call(const CallRecord& record) = 0;
};

/// What one replication records beyond its ReplicationResult.
struct RecordingOptions {
    CallLogSink* call_log = nullptr;  ///< when set, told of every attempt's fate
};

}  // namespace crsim::model
