#pragma once
/// \file
/// The scenario schema: turns a resolved YAML tree into a ScenarioSpec, checking everything.
/// load_scenario.cpp reads the static set-up (rooms, classes, groups, roster); timeline_keys.cpp
/// reads what changes week by week (merge, transitions, disruptions, attrition, call_ins, cohorts).

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/model/scenario_spec.hpp"
#include "reader.hpp"
#include "yaml_tree.hpp"

namespace crsim::scenario {

/// The position of `name` in `names`, if there.
inline std::optional<std::size_t> index_of(const std::vector<std::string>& names, const std::string& name) {
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(it - names.begin()));
}

/// A roster line's keys and values as flow text, `headcount` left out (block and index unset).
model::RosterLineSource line_source(const Node& line);

/// A weekly arrival shape as written under `profiles`.
struct Profile {
    std::vector<double> values;
    double interval_s = model::seconds_per_hour;
};

/// A shift as written under `shift_patterns` or inline in a roster line.
struct Pattern {
    double start_s = 0;
    double length_s = 0;
    std::vector<model::BreakSpec> breaks;
};

/// Everything a class needs, gathered before building the ClassSpec in one go.
struct ClassDraft {
    int priority = 0;
    model::ArrivalSpec arrivals;
    std::optional<sim::Distribution> handle_time, wrap_up, patience, connection;
    model::HandleByHour handle_by_hour;
    double head_start_s = 0;
    bool never_abandon = false;       // patience: never
    std::vector<double> room_shares;  // over every declared room, before any merge
    double overflow_after_s = model::never;
    std::vector<model::TargetSpec> targets;
    model::RedialSpec redial;
    const Node* redial_node = nullptr;  // for the warning when nobody abandons
    std::optional<int> trunks;
    std::optional<model::CallbackOfferSpec> callback;
    std::optional<model::AbandonedCallbackSpec> abandoned_callback;
    const Node* abandoned_callback_node = nullptr;  // for the warning when nobody abandons
    std::optional<model::ChatSpec> chat;
};

/// A week range `{from, to, from_date, to_date}` as read.
struct WeekRange {
    int from = 1;
    int to = std::numeric_limits<int>::max();
    const Node* from_node = nullptr;  // where the first week was written, for warnings
};

/// A week given as `week: N` or `date: YYYY-MM-DD`, and where it was written.
struct WeekAt {
    int week = 1;
    const Node* node = nullptr;  // nullptr when the default applied
};

/// A warning held back until the scenario is known to have no error.
struct PendingWarning {
    SourcePos at;
    std::string path;
    std::string message;
};

/// Turns a scenario tree into a ScenarioSpec, reporting every problem through its Reader.
class SchemaLoader {
public:
    explicit SchemaLoader(std::vector<Diagnostic>& diagnostics) : r_(diagnostics) {}

    /// The validated spec, or nothing if any error was reported.
    std::optional<model::ScenarioSpec> load(const Node& root, const std::string& file, const std::string& default_name);

private:
    // Static set-up (load_scenario.cpp).
    /// name, description, currency, start_date, horizon, warmup, replications, seed.
    void read_run_keys(const Node& root, model::ScenarioSpec& spec);
    /// The classes' drafts in the order written; class_pos gets where each name was written.
    std::vector<std::optional<ClassDraft>> read_classes(const Node& root, std::vector<SourcePos>& class_pos);
    /// The staff groups, and an error for each class that no group takes.
    void read_groups(const Node& root, const std::vector<SourcePos>& class_pos);
    /// The rooms left after the week-1 merges into `spec`; returns each declared room's index there.
    std::vector<std::size_t> place_rooms(model::ScenarioSpec& spec, std::vector<bool>& merged_from_start) const;
    /// The classes into `spec`, room shares renumbered by `room_map`.
    void assemble_classes(model::ScenarioSpec& spec, std::vector<std::optional<ClassDraft>>& drafts,
                          const std::vector<std::size_t>& room_map);
    /// Warnings: staff groups nobody rosters (or calls in), rooms nobody staffs.
    void warn_unused_staff(const model::ScenarioSpec& spec, const std::vector<std::size_t>& room_map,
                           const std::vector<bool>& merged_from_start);
    void read_rooms(const Node& root);
    void read_profiles(const Node& root);
    std::optional<Profile> read_profile(const Node& n, const std::string& path);
    std::optional<std::vector<double>> read_weights(const Node& n, const std::string& path, std::size_t expected,
                                                    const std::string& shape);
    void read_patterns(const Node& root);
    std::optional<Pattern> read_pattern(const Node& n, const std::string& path);
    void check_break_overlaps(const std::vector<model::BreakSpec>& breaks, const std::vector<const Node*>& nodes,
                              const std::vector<std::string>& paths);
    std::optional<ClassDraft> read_class(const Node& n, const std::string& path);
    std::optional<model::ArrivalSpec> read_arrivals(const Node& n, const std::string& path);
    std::optional<std::vector<double>> read_trace(const Node& n, const std::string& path);
    std::optional<model::RedialSpec> read_redial(const Node& n, const std::string& path);
    /// A room's or a class's `trunks` (trunk_keys.cpp): the most calls in the system at once.
    std::optional<int> read_trunks(const Node& n, const std::string& path);
    // Call-backs (callback_keys.cpp): a class's `callback` and `abandoned_callback`.
    /// Reads the `callback` and `abandoned_callback` keys of class map `n` into `d`.
    void read_class_callbacks(const Node& n, const std::string& path, ClassDraft& d);
    std::optional<model::CallbackOfferSpec> read_callback_offer(const Node& n, const std::string& path);
    std::optional<model::AbandonedCallbackSpec> read_abandoned_callback(const Node& n, const std::string& path);
    /// The keys every kind of call-back shares (reach, max_attempts, retry_after, ...), into `a`.
    void read_callback_attempts(const Node& n, const std::string& path, model::CallbackAttempts& a);
    /// A class's `chat` (chat_keys.cpp): web chat held several at once by one person.
    std::optional<model::ChatSpec> read_chat(const Node& n, const std::string& path);
    /// The `deferrable` map: backlogs of deferrable work (deferrable_keys.cpp).
    void read_deferrables(const Node& root);
    std::optional<model::DeferrableSpec> read_deferrable(const std::string& name, const Node& n,
                                                         const std::string& path);
    std::optional<std::vector<double>> read_room_shares(const Node& n, const std::string& path);
    std::optional<model::TargetSpec> read_target(const Node& n, const std::string& path);
    /// A target's `by` and `periods_met` (target_period_keys.cpp).
    void read_target_period(const Node& n, const std::string& path, model::TargetSpec& target);
    std::optional<model::GroupSpec> read_group(const std::string& name, const Node& n, const std::string& path);
    std::optional<std::size_t> class_ref(const Node& n, const std::string& path);
    void read_routing(const Node& root);
    void read_roster(const Node& root);
    void read_roster_line(const Node& line, const std::string& path);
    std::optional<std::array<bool, 7>> read_days(const Node& n, const std::string& path);
    std::optional<int> read_day_word(const Node& n, const std::string& path, std::array<bool, 7>& days);

    // The timeline (timeline_keys.cpp).
    std::optional<int> date_week(const Node& n, const std::string& path);
    std::optional<WeekAt> read_week_at(const Node& map, const std::string& path, const std::string& week_key,
                                       const std::string& date_key, std::optional<int> default_week);
    std::optional<WeekRange> read_week_range(const Node& n, const std::string& path);
    std::optional<std::size_t> name_ref(const Node& n, const std::string& path, std::string_view what,
                                        const std::vector<std::string>& names);
    std::optional<std::vector<bool>> read_group_set(const Node& map, const std::string& path);
    void warn_after_horizon(int week, const Node* at, const std::string& path);
    void read_merges(const Node& root);
    void read_merge(const Node& n, const std::string& path);
    void check_merges();
    void read_transitions(const Node& root);
    void read_disruptions(const Node& root);
    void read_attritions(const Node& root);
    void read_call_ins(const Node& root);
    void read_cohorts(const Node& root);
    // A class's handle time by hour of day (handle_by_hour_keys.cpp).
    std::optional<model::HandleByHour> read_handle_by_hour(const Node& n, const std::string& path);
    // The day-to-day spread of the people on duty (staffing_noise_keys.cpp).
    void read_staffing_noise(const Node& root, model::ScenarioSpec& spec);
    // Named reporting windows (window_keys.cpp).
    void read_windows(const Node& root, model::ScenarioSpec& spec);
    /// The week from which `room` is merged into another (1: from the start), if it is.
    std::optional<int> merge_week_of(std::size_t room) const;
    /// Moves everything read to `spec`, with rooms renumbered after the week-1 merges.
    void assemble_timeline(model::ScenarioSpec& spec, const std::vector<std::size_t>& room_map);

    // The demand keys (demand_keys.cpp): triage, channel_shift, surges, random_surges.
    void read_demand(const Node& root, model::ScenarioSpec& spec);
    void read_triage(const Node& root, model::DemandSpec& demand);
    void read_channel_shifts(const Node& root, model::DemandSpec& demand);
    void read_surges(const Node& root, model::ScenarioSpec& spec);
    void read_random_surges(const Node& root, model::DemandSpec& demand);
    /// A map from class names to numbers within `bound` and `max`; `fallback` for classes not named.
    std::optional<std::vector<double>> read_class_numbers(const Node& n, const std::string& path, double fallback,
                                                          Bound bound, double max, std::string_view what);

    // The `staffing` block (staffing_keys.cpp): decisions for `crsim staff`.
    void read_staffing(const Node& root);
    /// The `verified` block (staffing_keys.cpp): the criterion staffed.yaml was verified with.
    void read_verified(const Node& root, model::ScenarioSpec& spec);
    /// Index of every line (shifts, then candidates) that `selector` matches.
    std::vector<std::size_t> select_lines(const Node& root, const Node& selector, const std::string& path);

    Reader r_;

    std::optional<double> horizon_s_;
    bool start_date_given_ = false;
    std::string start_date_text_;
    std::optional<long long> start_day_;  // days since 1970-01-01 of t = 0

    std::vector<std::string> room_names_;
    std::vector<SourcePos> room_pos_;
    std::vector<std::optional<int>> room_trunks_;  // per declared room: its trunk cap, if any
    std::vector<std::string> profile_names_;       // declared, valid or not
    std::map<std::string, Profile> profiles_;      // valid only
    std::vector<std::string> pattern_names_;
    std::map<std::string, Pattern> patterns_;
    std::vector<std::string> class_names_;
    std::vector<std::string> group_names_;
    std::vector<SourcePos> group_pos_;
    std::vector<std::optional<model::GroupSpec>> groups_;
    std::vector<std::vector<std::size_t>> routing_;  // per class: the groups listed under routing
    std::vector<model::ShiftSpec> shifts_;           // rooms indexed over every declared room
    std::vector<SourcePos> shift_pos_;               // per shift: where its line was written
    std::vector<std::string> shift_path_;
    std::vector<model::RosterLineSource> shift_sources_;  // per shift
    bool reading_candidates_ = false;                     // read_roster_line reads staffing candidates (no headcount)
    std::vector<model::ShiftSpec> candidates_;
    std::vector<model::RosterLineSource> candidate_sources_;
    std::optional<model::StaffingSpec> staffing_;

    /// A merge as read, rooms indexed over every declared room.
    struct MergeDraft {
        std::size_t into = 0;
        std::vector<std::size_t> rooms;
        std::vector<const Node*> room_nodes;
        const Node* into_node = nullptr;
        int week = 1;
        std::string path;
    };
    std::vector<MergeDraft> merges_;

    std::vector<model::TransitionSpec> transitions_;
    std::vector<model::DisruptionSpec> disruptions_;
    std::vector<model::AttritionSpec> attritions_;
    std::vector<model::CallInSpec> call_ins_;  // rooms indexed over every declared room
    std::vector<SourcePos> call_in_pos_;
    std::vector<std::string> call_in_path_;
    std::vector<std::string> cohort_names_;
    std::vector<SourcePos> cohort_pos_;
    std::vector<std::optional<model::CohortSpec>> cohorts_;
    std::vector<PendingWarning> pending_warnings_;
    std::vector<model::DeferrableSpec> deferrables_;
};

}  // namespace crsim::scenario
