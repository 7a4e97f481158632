#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "crsim/sim/simulator.hpp"

using crsim::sim::EventHandle;
using crsim::sim::EventHandler;
using crsim::sim::Simulator;

TEST_CASE("simultaneous events run by priority, then in insertion order") {
    Simulator sim;
    std::string order;
    sim.schedule_at(5.0, [&] { order += 'c'; });  // t=5, priority 0, inserted 1st
    sim.schedule_at(
        5.0, [&] { order += 'a'; }, -1);          // t=5, priority -1: before all priority-0 events
    sim.schedule_at(5.0, [&] { order += 'd'; });  // t=5, priority 0, inserted after 'c'
    sim.schedule_at(
        1.0, [&] { order += '1'; }, 10);  // earlier time wins over any priority
    sim.schedule_at(
        5.0, [&] { order += 'e'; }, 3);
    sim.run();
    CHECK(order == "1acde");
    CHECK(sim.now() == 5.0);
    CHECK(sim.events_executed() == 5);
}

TEST_CASE("an event scheduled at the current time by a handler runs after the ones already due") {
    Simulator sim;
    std::string order;
    sim.schedule_at(2.0, [&] {
        order += 'a';
        sim.schedule_in(0.0, [&] { order += 'c'; });
    });
    sim.schedule_at(2.0, [&] { order += 'b'; });
    sim.run();
    CHECK(order == "abc");
}

TEST_CASE("a cancelled event never runs and cancelling twice is a no-op") {
    Simulator sim;
    int fired = 0;
    EventHandle h = sim.schedule_at(3.0, [&] { ++fired; });
    sim.schedule_at(1.0, [&] { CHECK(sim.cancel(h)); });
    CHECK(sim.is_pending(h));
    sim.run();
    CHECK(fired == 0);
    CHECK_FALSE(sim.is_pending(h));
    CHECK_FALSE(sim.cancel(h));
    CHECK(sim.now() == 1.0);  // the dead entry does not move the clock
}

TEST_CASE("cancelling an event that already fired is a clear no-op") {
    Simulator sim;
    int fired = 0, other = 0;
    EventHandle h = sim.schedule_at(1.0, [&] { ++fired; });
    sim.run();
    REQUIRE(fired == 1);
    // The slot behind h is reused by the next event; the stale handle must not touch it.
    EventHandle h2 = sim.schedule_at(2.0, [&] { ++other; });
    CHECK_FALSE(sim.cancel(h));
    CHECK_FALSE(sim.is_pending(h));
    CHECK(sim.is_pending(h2));
    sim.run();
    CHECK(other == 1);
}

TEST_CASE("a default handle is never pending and cannot be cancelled") {
    Simulator sim;
    EventHandle h;
    CHECK_FALSE(sim.is_pending(h));
    CHECK_FALSE(sim.cancel(h));
}

TEST_CASE("a handler may cancel its own handle while running: a no-op") {
    Simulator sim;
    EventHandle self;
    bool cancelled = true;
    self = sim.schedule_at(1.0, [&] { cancelled = sim.cancel(self); });
    sim.run();
    CHECK_FALSE(cancelled);
}

TEST_CASE("run_until stops before the horizon, sets the clock to it, and can resume") {
    Simulator sim;
    std::vector<double> seen;
    for (double t : {1.0, 2.0, 3.0, 4.0}) sim.schedule_at(t, [&seen, &sim] { seen.push_back(sim.now()); });
    sim.run_until(3.0);  // an event exactly at the horizon is left for later
    CHECK(seen == std::vector<double>{1.0, 2.0});
    CHECK(sim.now() == 3.0);
    CHECK(sim.pending() == 2);
    sim.run_until(10.0);
    CHECK(seen == std::vector<double>{1.0, 2.0, 3.0, 4.0});
    CHECK(sim.now() == 10.0);
    CHECK(sim.pending() == 0);
}

TEST_CASE("run returns when the calendar is empty, leaving the clock at the last event") {
    Simulator sim;
    sim.schedule_at(7.5, [] {});
    sim.run();
    CHECK(sim.now() == 7.5);
    CHECK(sim.pending() == 0);
}

TEST_CASE("stop makes the loop return after the current event") {
    Simulator sim;
    int fired = 0;
    sim.schedule_at(1.0, [&] {
        ++fired;
        sim.stop();
    });
    sim.schedule_at(2.0, [&] { ++fired; });
    sim.run();
    CHECK(fired == 1);
    CHECK(sim.now() == 1.0);
    sim.run();
    CHECK(fired == 2);
}

TEST_CASE("scheduling in the past or with a NaN time is a logic error") {
    Simulator sim;
    sim.schedule_at(5.0, [] {});
    sim.run();
    CHECK_THROWS_AS(sim.schedule_at(4.0, [] {}), std::logic_error);
    CHECK_THROWS_AS(sim.schedule_in(-1.0, [] {}), std::logic_error);
    CHECK_THROWS_AS(sim.schedule_at(std::nan(""), [] {}), std::logic_error);
    CHECK_THROWS_AS(sim.schedule_in(
                        1.0, [] {}, Simulator::max_priority + 1),
                    std::logic_error);
}

TEST_CASE("many cancellations keep the calendar bounded and the order exact") {
    // Schedule 100000 events in shuffled order of time, cancel every other one; the survivors must
    // come out sorted, and the calendar must have been compacted along the way.
    Simulator sim;
    const int n = 100000;
    std::vector<EventHandle> handles(n);
    std::vector<int> fired;
    for (int i = 0; i < n; ++i) {
        const int k = static_cast<int>((static_cast<long long>(i) * 7919) % n);  // a permutation of 0..n-1
        handles[k] = sim.schedule_at(static_cast<double>(k), [&fired, k] { fired.push_back(k); });
    }
    for (int k = 0; k < n; k += 2) CHECK(sim.cancel(handles[k]));
    CHECK(sim.pending() == static_cast<std::size_t>(n / 2));
    CHECK(sim.calendar_size() <= static_cast<std::size_t>(n));  // at most one dead entry per live one
    sim.run();
    REQUIRE(fired.size() == static_cast<std::size_t>(n / 2));
    for (std::size_t i = 0; i < fired.size(); ++i) CHECK(fired[i] == static_cast<int>(2 * i + 1));
}

TEST_CASE("a pending event's captured state is released when it is cancelled") {
    Simulator sim;
    auto token = std::make_shared<int>(42);
    EventHandle h = sim.schedule_at(1.0, [token] {});
    CHECK(token.use_count() == 2);
    sim.cancel(h);
    CHECK(token.use_count() == 1);
}

TEST_CASE("an event limit stops a model that makes events without time passing") {
    crsim::sim::Simulator sim;
    sim.set_event_limit(1000);
    std::uint64_t fired = 0;
    std::function<void()> again = [&] {
        ++fired;
        sim.schedule_in(0, again);
    };
    sim.schedule_at(5, again);
    CHECK_THROWS_WITH_AS(sim.run(), "stopped after 1000 events, at simulated time 5.000000 s",
                         crsim::sim::EventLimitReached);
    CHECK(fired == 1000);
}

TEST_CASE("the event an event limit drops releases its captured state, and its place can be reused") {
    Simulator sim;
    sim.set_event_limit(0);
    auto token = std::make_shared<int>(42);
    const Simulator::Lane lane = sim.add_lane();
    sim.schedule_at(1.0, [token] {});
    CHECK_THROWS_AS(sim.run(), crsim::sim::EventLimitReached);
    CHECK(token.use_count() == 1);  // the dropped heap event's handler is gone
    sim.schedule_on_lane(lane, 2.0, [token] {});
    CHECK_THROWS_AS(sim.run(), crsim::sim::EventLimitReached);
    CHECK(token.use_count() == 1);  // and the lane event's
    sim.set_event_limit(10);
    int fired = 0;
    sim.schedule_at(3.0, [&fired, token] { ++fired; });  // takes the dropped event's slot
    sim.schedule_on_lane(lane, 4.0, [&fired, token] { ++fired; });
    sim.run();
    CHECK(fired == 2);
    CHECK(token.use_count() == 1);
}

TEST_CASE("a calendar where each event is cancelled before it fires stays bounded") {
    // The pattern of a patience timer cancelled by an answer, a million times over with a few
    // events pending: without compaction the calendar would hold a million dead entries.
    Simulator sim;
    std::vector<EventHandle> live;
    std::size_t largest = 0;
    bool bounded = true;
    for (int i = 0; i < 1'000'000; ++i) {
        live.push_back(sim.schedule_at(1.0 + i, [] {}));
        if (live.size() > 5) {
            sim.cancel(live.front());
            live.erase(live.begin());
        }
        largest = std::max(largest, sim.calendar_size());
        bounded = bounded && sim.calendar_size() <= std::max(2 * sim.pending(), sim.pending() + 64);
    }
    CHECK(bounded);
    CHECK(sim.pending() == 5);
    CHECK(largest <= 5 + 65);
    int fired = 0;
    for (EventHandle h : live) CHECK(sim.is_pending(h));
    sim.schedule_at(0.5, [&fired] { ++fired; });
    sim.run();
    CHECK(fired == 1);
    CHECK(sim.events_executed() == 6);  // the five survivors and the one above, no cancelled one
    CHECK(sim.calendar_size() == 0);
}

TEST_CASE("a handler too large to store inline goes to the heap and behaves the same") {
    // 64 bytes of captured state: more than EventHandler::inline_size, so it is heap-allocated.
    static_assert(sizeof(std::array<int, 16>) > EventHandler::inline_size);
    auto token = std::make_shared<int>(0);
    std::array<int, 16> values{};
    for (int i = 0; i < 16; ++i) values[i] = i + 1;
    int sum = 0;
    EventHandler a([values, token, &sum] {
        for (const int v : values) sum += v;
    });
    CHECK(token.use_count() == 2);
    EventHandler b(std::move(a));  // moves the pointer: the state is neither copied nor freed
    CHECK_FALSE(a);
    CHECK(token.use_count() == 2);
    b();
    CHECK(sum == 136);
    EventHandler c;
    c = std::move(b);
    c();
    CHECK(sum == 272);
    c.reset();  // frees the heap state
    CHECK_FALSE(c);
    CHECK(token.use_count() == 1);

    // Through the simulator: scheduled, moved about in the calendar, run once, freed after.
    Simulator sim;
    std::vector<int> order;
    for (int i = 3; i >= 1; --i) sim.schedule_at(i, [values, token, &order, i] { order.push_back(i * values[0]); });
    CHECK(token.use_count() == 4);
    sim.run();
    CHECK(order == std::vector<int>{1, 2, 3});
    CHECK(token.use_count() == 1);
}

TEST_CASE("a handler that is not trivially copyable but fits inline is moved by its own constructor") {
    // A shared_ptr capture fits inline but must be moved, not memcpy'd, and destroyed once.
    static_assert(sizeof(std::shared_ptr<int>) <= EventHandler::inline_size);
    auto token = std::make_shared<int>(7);
    int seen = 0;
    EventHandler a([token, &seen] { seen = *token; });
    EventHandler b(std::move(a));
    CHECK(token.use_count() == 2);
    b();
    CHECK(seen == 7);
    { EventHandler gone(std::move(b)); }
    CHECK(token.use_count() == 1);

    // Run by the simulator (run_taken): taken out of its slot or lane as it runs, so the slot is
    // free for what it schedules, and destroyed once, when it returns.
    Simulator sim;
    const Simulator::Lane lane = sim.add_lane();
    std::vector<long> counts;  // the token's owners while each handler runs
    sim.schedule_at(1.0, [token, &counts, &sim] {
        counts.push_back(token.use_count());
        sim.schedule_at(2.0, [token, &counts] { counts.push_back(token.use_count()); });
    });
    sim.schedule_on_lane(lane, 1.5, [token, &counts, &sim, lane] {
        counts.push_back(token.use_count());
        sim.schedule_on_lane(lane, 3.0, [token, &counts] { counts.push_back(token.use_count()); });
    });
    CHECK(token.use_count() == 3);
    sim.run();
    // 1.0: itself and the lane's; 1.5: itself and the event at 2 (the first one gone); 2.0:
    // itself and the lane's next; 3.0: itself alone.
    CHECK(counts == std::vector<long>{3, 3, 3, 2});
    CHECK(token.use_count() == 1);
}

TEST_CASE("a handler that throws leaves its spent entry behind without losing or reordering events") {
    // The handled event's entry stays at the heap's root while its handler runs, for the first
    // event it schedules to take its place; a throw leaves it there.
    std::string order;
    Simulator sim;
    sim.schedule_at(1.0, [&] {
        order += 'a';
        throw std::runtime_error("boom");
    });
    sim.schedule_at(4.0, [&] { order += 'd'; });
    CHECK_THROWS_AS(sim.run(), std::runtime_error);
    CHECK(sim.pending() == 1);
    sim.schedule_at(2.0, [&] {  // takes a's spent place, from outside the loop
        order += 'b';
        throw std::runtime_error("boom");
    });
    CHECK_THROWS_AS(sim.run(), std::runtime_error);
    sim.run_until(2.5);                           // runs nothing, drops b's spent entry
    sim.schedule_at(3.0, [&] { order += 'c'; });  // the root (d) is live: a plain push
    sim.run();
    CHECK(order == "abcd");
    CHECK(sim.pending() == 0);
    CHECK(sim.calendar_size() == 0);
}

TEST_CASE("lane events run in the same time, priority and insertion order as heap events") {
    // Two sources on lanes, each scheduling its next event, among heap events of the same times:
    // the order is the one the heap alone would give.
    Simulator sim;
    const Simulator::Lane a = sim.add_lane();
    const Simulator::Lane b = sim.add_lane();
    std::string order;
    std::function<void(int)> source_a = [&](int n) {
        order += 'a';
        if (n < 3) sim.schedule_on_lane(a, sim.now() + 2.0, [&, n] { source_a(n + 1); });
    };
    sim.schedule_on_lane(a, 1.0, [&] { source_a(1); });  // a at 1, 3, 5
    sim.schedule_at(3.0, [&] { order += 'h'; });         // inserted after a's first: after a at 3
    sim.schedule_on_lane(
        b, 3.0, [&] { order += 'b'; }, -1);  // priority -1: first at 3
    sim.schedule_at(
        5.0, [&] { order += 'x'; }, 1);           // after a at 5 by priority
    sim.schedule_at(0.5, [&] { order += 'z'; });  // before everything
    CHECK(sim.pending() == 5);
    sim.run();
    CHECK(order == "zabhaax");  // at 3: b by priority, then h and a by insertion
    CHECK(sim.now() == 5.0);
    CHECK(sim.events_executed() == 7);
    CHECK(sim.pending() == 0);
}

TEST_CASE("a lane holds one event at a time, and lane events respect the horizon and the event limit") {
    Simulator sim;
    const Simulator::Lane lane = sim.add_lane();
    int fired = 0;
    std::function<void()> tick = [&] {
        ++fired;
        sim.schedule_on_lane(lane, sim.now() + 1.0, tick);
    };
    sim.schedule_on_lane(lane, 1.0, tick);
    CHECK_THROWS_WITH_AS(sim.schedule_on_lane(lane, 2.0, [] {}),
                         "Simulator::schedule_on_lane: lane 0 already has a pending event", std::logic_error);
    sim.run_until(4.0);  // 1, 2, 3; the event at 4 stays pending
    CHECK(fired == 3);
    CHECK(sim.now() == 4.0);
    CHECK(sim.pending() == 1);
    CHECK_THROWS_AS(sim.schedule_on_lane(lane, 3.0, [] {}), std::logic_error);  // busy, and in the past
    sim.set_event_limit(5);
    CHECK_THROWS_WITH_AS(sim.run(), "stopped after 5 events, at simulated time 6.000000 s",
                         crsim::sim::EventLimitReached);
    CHECK(fired == 5);
}
