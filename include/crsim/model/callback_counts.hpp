#pragma once
/// \file
/// What call-back work (callback_spec.hpp) and deferrable work count in one replication; callback_figures.hpp turns
/// the counts into reported figures.

#include <cstdint>

namespace crsim::model {

/// One kind of call-back task of a class over the whole run (reporting window), counted with the
/// call that created the task.
struct CallbackTaskCounts {
    std::uint64_t created = 0;    ///< tasks created: call-backs accepted, or abandoned calls
    std::uint64_t reached = 0;    ///< tasks whose attempt reached the caller: the call-back took place
    std::uint64_t unreached = 0;  ///< tasks dropped: attempts used up or time limit passed
    std::uint64_t attempts = 0;   ///< attempts made, successful or not
    double wait_s = 0;            ///< over reached tasks: time from creation to the start of the call-back

    /// Adds another replication's or span's counts.
    void add(const CallbackTaskCounts& other);
};

/// The call-back counts of one class.
struct CallbackCounts {
    std::uint64_t offered = 0;     ///< callers offered a call-back
    CallbackTaskCounts accepted;   ///< tasks of callers who accepted one
    CallbackTaskCounts abandoned;  ///< tasks created by abandoned calls

    void add(const CallbackCounts& other);
};

/// One backlog of deferrable work over the whole run: items counted by their arrival in the reporting window.
struct DeferrableCounts {
    std::uint64_t arrived = 0;
    std::uint64_t started = 0;        ///< items whose work started (the run goes on past the horizon for them)
    std::uint64_t within_target = 0;  ///< started within the response-time target
    double response_s = 0;            ///< over started items: time from arrival to the start of work

    void add(const DeferrableCounts& other);
};

}  // namespace crsim::model
