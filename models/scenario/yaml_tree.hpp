#pragma once
/// \file
/// A YAML document as a plain tree whose every node remembers its file, line and column, and the
/// `extends` chain that merges a scenario file into the one it extends.
///
/// Built from yaml-cpp's parse events rather than taken from YAML::Node, on purpose (issue 16):
/// YAML::Node accepts a duplicate key without a word and keeps no position for a key (only for
/// its value), and expands aliases and nesting without bound. Every scenario error must point at
/// file:line:col of the key it concerns, and hostile files must be refused, not exhaust memory.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/scenario/diagnostic.hpp"

namespace crsim::scenario {

struct MapEntry;

/// Where a node or key was written: file as the user named it, 1-based line and column.
struct SourcePos {
    std::string file;
    int line = 0;
    int column = 0;
};

/// One YAML node. Maps keep their keys in the order written, and hold no duplicate keys.
struct Node {
    enum class Kind { null, scalar, sequence, map };

    Kind kind = Kind::null;
    std::string text;               ///< scalar only
    bool plain = true;              ///< scalar written without quotes, or tagged !!int or !!float: may be a number
    std::string tag;                ///< scalar only: "" when plain and untagged, "!" when quoted, else the tag
    std::vector<Node> items;        ///< sequence only
    std::vector<MapEntry> entries;  ///< map only
    SourcePos pos;

    /// The value of `key` in a map, or nullptr (also for a non-map).
    const Node* find(std::string_view key) const;
};

/// A key of a map with its position, and its value.
struct MapEntry {
    std::string key;
    SourcePos key_pos;
    Node value;
};

/// Parses one YAML document. Syntax errors, duplicate keys and non-scalar keys are added to
/// `diagnostics` (named by `file`); returns nothing if the text could not be parsed at all.
std::optional<Node> parse_yaml(const std::string& text, const std::string& file, std::vector<Diagnostic>& diagnostics);

/// Merges `child` over `parent`: maps merge key by key, recursively (a new key is appended); a null
/// child value removes the key (and is kept as null if the parent lacks it); anything else replaces.
Node merge_nodes(const Node& parent, const Node& child);

/// A scenario's tree after following its `extends` chain.
struct ResolvedTree {
    std::optional<Node> root;  ///< merged, without `extends`; empty if a file failed to read or parse
    std::string bytes;         ///< the top file's bytes followed by each extended file's, for the hash
};

/// Parses `text` (the content of `file`), then follows `extends` (relative to `base_dir`, or to the
/// working directory if empty), merging each file over the one it extends. `name` is not inherited.
ResolvedTree resolve_extends(const std::string& text, const std::string& file, const std::string& base_dir,
                             std::vector<Diagnostic>& diagnostics);

/// The node on one line in YAML flow style, `{room: hanley, days: [mon, tue], headcount: 6}`, for
/// messages and listings (scalars as written, quoted only when they need it).
std::string flow_text(const Node& n);

/// The largest scenario file read (16 MiB): a bigger one, or an endless one such as /dev/zero, is
/// refused rather than read into memory.
constexpr std::size_t max_scenario_file_bytes = 16 * 1024 * 1024;

/// Reads a whole file of at most max_scenario_file_bytes into `out`; on failure returns the reason.
std::optional<std::string> read_file(const std::string& path, std::string& out);

}  // namespace crsim::scenario
