// Web chat in the control room: a person holds up to a chat class's `at_once` chats at once, each
// taking `slowdown` times its handle time. A person holding chats takes only more chats, and counts
// as busy (once) until the last is finished; breaks and the end of the shift wait for that too.
//
// An arriving chat goes first to someone of its groups who already holds chats and may take one
// more (packing chats keeps other people free for calls), then to the idle as any call. With
// exponential times and people on duty throughout, n people taking k chats each are n·k servers
// of mean handle time × slowdown: Erlang C or A with n·k servers (tests/test_chat.cpp).
#include "control_room.hpp"

namespace crsim::model {

bool ControlRoom::answer_by_chatting(std::uint32_t slot, RoomIndex room) {
    const ClassIndex cls = calls_[slot].cls;
    const int at_once = spec_.classes[cls].chat->at_once;
    for (const std::size_t g : policy_.preference(cls)) {
        const IdleList& list = chatting_[cell(room, GroupIndex{g})];
        for (std::uint32_t q = list.front(); q != IdleLinks::none; q = chatting_links_[q].next) {
            if (people_[q].chats < at_once) {
                answer_chat(slot, q);
                return true;
            }
        }
    }
    return false;
}

void ControlRoom::answer_chat(std::uint32_t slot, std::uint32_t person) {
    Person& p = people_[person];
    if (chatting_links_[person].listed) chatting(p).remove(chatting_links_, person);
    const ClassIndex cls = calls_[slot].cls;
    take_up(slot, person);
    if (p.chats == 0)
        recorder_.call_taken(p.cell, sim_.now());  // busy from the first chat to the last
    else
        recorder_.chat_taken_beside(p.cell, sim_.now());
    ++p.chats;
    const double busy_for = connect(slot, p, person, spec_.classes[cls].chat->slowdown);
    sim_.schedule_in(
        busy_for, [this, person] { on_chat_done(person); }, release_priority);
    fill_chats(person);
}

void ControlRoom::fill_chats(std::uint32_t person) {
    const Person& p = people_[person];
    if (p.shift_over || p.break_owed_s > 0) return;  // finishing the chats in hand, taking no more
    if (p.chats >= chat_limit_[p.group]) return;
    if (CallQueue* q = calls_in_system_ > 0 ? oldest_chat_for(p) : nullptr) {
        const std::uint32_t slot = q->front(is_waiting_call())->slot;
        q->pop_front();
        on_queue_change(calls_[slot].home, calls_[slot].cls);
        return answer_chat(slot, person);  // which fills on
    }
    if (!chatting_links_[person].listed) chatting(p).push_back(chatting_links_, person);
}

CallQueue* ControlRoom::oldest_chat_for(const Person& p) {
    // As oldest_call_for, over the chat classes p may take one more of: the highest priority
    // first, then the earliest arrival less the class's head start; other rooms' chats once overflowed.
    CallQueue* best = nullptr;
    int best_priority = 0;
    double best_place = 0;
    for (ClassIndex k{0}; k < n_classes_; ++k) {
        const ClassSpec& cls = spec_.classes[k];
        if (!cls.chat || p.chats >= cls.chat->at_once || !policy_.takes(p.group, k)) continue;
        for (RoomIndex r{0}; r < n_rooms_; ++r) {
            CallQueue& q = queue(r, k);
            if (q.size() == 0) continue;
            const CallRef* front = q.front(is_waiting_call());
            if (front == nullptr) continue;
            const Call& c = calls_[front->slot];
            if (r != p.room && !c.overflowed) continue;
            const double place = c.arrival - cls.head_start_s;
            if (best == nullptr || cls.priority < best_priority ||
                (cls.priority == best_priority && place < best_place)) {
                best = &q;
                best_priority = cls.priority;
                best_place = place;
            }
        }
    }
    return best;
}

void ControlRoom::on_chat_done(std::uint32_t person) {
    acting_ = {Acting::Kind::person, Acting::none, person, 0};
    Person& p = people_[person];
    --p.chats;
    if (p.chats > 0) return fill_chats(person);
    stop_taking_chats(person);
    on_work_done(person);  // free: a break owed, the end of the shift, or any work
}

void ControlRoom::stop_taking_chats(std::uint32_t person) {
    const Person& p = people_[person];
    if (chatting_links_[person].listed) chatting(p).remove(chatting_links_, person);
}

}  // namespace crsim::model
