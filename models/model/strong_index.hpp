#pragma once
// Indices of rooms, call classes and staff groups as distinct types. They are all small unsigned
// integers, so `queue(room, cls)` and `idle(room, group)` would accept each other's arguments
// swapped; with these the compiler rejects the swap. An index converts to std::size_t on its own
// (to subscript the spec's vectors) but is made from an integer only explicitly.

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace crsim::model {

template <class Tag>
class StrongIndex {
public:
    constexpr StrongIndex() = default;
    constexpr explicit StrongIndex(std::size_t index) : index_(static_cast<std::uint32_t>(index)) {}
    constexpr operator std::size_t() const { return index_; }
    constexpr StrongIndex& operator++() {
        ++index_;
        return *this;
    }

private:
    std::uint32_t index_ = 0;
};

using RoomIndex = StrongIndex<struct RoomTag>;
using ClassIndex = StrongIndex<struct ClassTag>;
using GroupIndex = StrongIndex<struct GroupTag>;

static_assert(!std::is_convertible_v<RoomIndex, GroupIndex> && !std::is_convertible_v<GroupIndex, RoomIndex>);
static_assert(!std::is_convertible_v<ClassIndex, GroupIndex> && !std::is_convertible_v<RoomIndex, ClassIndex>);
static_assert(!std::is_convertible_v<std::uint32_t, RoomIndex> && std::is_convertible_v<RoomIndex, std::size_t>);

}  // namespace crsim::model
