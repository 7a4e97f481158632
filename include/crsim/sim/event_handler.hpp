#pragma once
/// \file
/// The callable an event runs: a move-only `void()` function with inline storage.

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace crsim::sim {

/// A move-only `void()` callable that stores small function objects inline.
///
/// Why not std::function: the event loop moves every handler out of the calendar before it runs
/// it, and std::function pays an indirect "manager" call for each move and destruction even for
/// a lambda that captures two pointers. Here a trivially copyable callable of up to
/// `inline_size` bytes (the common case: `[this, id]`) moves with a memcpy and needs no
/// destruction; anything else still works, through a small table of operations.
class EventHandler {
public:
    /// Bytes of captured state stored without a heap allocation.
    static constexpr std::size_t inline_size = 32;

    EventHandler() noexcept = default;
    EventHandler(std::nullptr_t) noexcept {}

    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, EventHandler> &&
                                                std::is_invocable_r_v<void, std::decay_t<F>&>>>
    EventHandler(F&& f) {  // NOLINT: implicit, like std::function
        construct(std::forward<F>(f));
    }

    /// Replaces the held callable with `f`, built in place rather than moved in.
    template <class F>
    void emplace(F&& f) {
        reset();
        emplace_into_empty(std::forward<F>(f));
    }

    /// As emplace, for a handler known to be empty (a precondition, not checked): nothing to
    /// destroy first.
    template <class F>
    void emplace_into_empty(F&& f) {
        if constexpr (std::is_same_v<std::decay_t<F>, EventHandler>)
            take(f);
        else
            construct(std::forward<F>(f));
    }

    EventHandler(EventHandler&& other) noexcept { take(other); }
    EventHandler& operator=(EventHandler&& other) noexcept {
        if (this != &other) {
            reset();
            take(other);
        }
        return *this;
    }
    EventHandler(const EventHandler&) = delete;
    EventHandler& operator=(const EventHandler&) = delete;
    ~EventHandler() { reset(); }

    /// Runs the callable. Precondition: not empty.
    void operator()() { ops_->invoke(storage_); }

    /// Runs the callable after taking it out, so that this handler is empty while it runs: the
    /// callable may then replace it, or move the storage it lives in, without harm. Cheaper than
    /// moving it into a local handler: a small trivially copyable callable is run from a copy of
    /// its bytes, with nothing to clear first or destroy after. Precondition: not empty.
    void run_taken() {
        const Ops* ops = ops_;
        ops_ = nullptr;
        if (ops->bytes_only) {
            alignas(std::max_align_t) unsigned char copy[inline_size];
            std::memcpy(copy, storage_, inline_size);
            ops->invoke(copy);
            return;
        }
        EventHandler taken;
        taken.ops_ = ops;
        if (ops->relocate)
            ops->relocate(taken.storage_, storage_);
        else
            std::memcpy(taken.storage_, storage_, inline_size);
        taken();
    }

    /// True when a callable is held.
    explicit operator bool() const noexcept { return ops_ != nullptr; }

    /// Destroys the held callable, releasing its captured state.
    void reset() noexcept {
        if (ops_ && ops_->destroy) ops_->destroy(storage_);
        ops_ = nullptr;
    }

private:
    struct Ops {
        void (*invoke)(void*);
        void (*relocate)(void* to, void* from);  // nullptr: a byte copy will do
        void (*destroy)(void*);                  // nullptr: nothing to do
        bool bytes_only;                         // relocate and destroy both nullptr
    };

    template <class Fn>
    static constexpr bool stored_inline =
        sizeof(Fn) <= inline_size &&
        alignof(Fn) <= alignof(std::max_align_t) && std::is_nothrow_move_constructible_v<Fn>;

    template <class Fn>
    static constexpr Ops inline_ops{
        [](void* p) { (*static_cast<Fn*>(p))(); },
        std::is_trivially_copyable_v<Fn> ? nullptr
                                         : +[](void* to, void* from) {
                                               ::new (to) Fn(std::move(*static_cast<Fn*>(from)));
                                               static_cast<Fn*>(from)->~Fn();
                                           },
        std::is_trivially_destructible_v<Fn> ? nullptr : +[](void* p) { static_cast<Fn*>(p)->~Fn(); },
        std::is_trivially_copyable_v<Fn> && std::is_trivially_destructible_v<Fn>,
    };

    template <class Fn>
    static constexpr Ops heap_ops{
        [](void* p) { (**static_cast<Fn**>(p))(); },
        nullptr,  // the pointer itself is copied
        [](void* p) { delete *static_cast<Fn**>(p); },
        false,
    };

    template <class F>
    void construct(F&& f) {
        using Fn = std::decay_t<F>;
        if constexpr (stored_inline<Fn>) {
            ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(f));
            ops_ = &inline_ops<Fn>;
        } else {
            ::new (static_cast<void*>(storage_)) Fn*(new Fn(std::forward<F>(f)));
            ops_ = &heap_ops<Fn>;
        }
    }

    void take(EventHandler& other) noexcept {
        ops_ = other.ops_;
        if (ops_) {
            if (ops_->relocate)
                ops_->relocate(storage_, other.storage_);
            else
                std::memcpy(storage_, other.storage_, inline_size);  // a fixed size compiles to two moves
        }
        other.ops_ = nullptr;
    }

    // Zeroed so that copying all of it never reads bytes a small callable left unset.
    alignas(std::max_align_t) unsigned char storage_[inline_size] = {};
    const Ops* ops_ = nullptr;
};

}  // namespace crsim::sim
