#include "yaml_tree.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

#include "crsim/calllog/call_log.hpp"
#include "reader.hpp"

namespace crsim::scenario {

const Node* Node::find(std::string_view key) const {
    if (kind != Kind::map) {
        return nullptr;
    }
    for (const MapEntry& e : entries) {
        if (e.key == key) {
            return &e.value;
        }
    }
    return nullptr;
}

namespace {

std::string hex_byte(char c) {
    constexpr const char* digits = "0123456789abcdef";
    const auto b = static_cast<unsigned char>(c);
    return {digits[b >> 4], digits[b & 15]};
}

using calllog::invalid_utf8_at;

/// Builds a Node tree from yaml-cpp's parse events, checking keys as they come.
class TreeBuilder : public YAML::EventHandler {
public:
    TreeBuilder(const std::string& file, std::vector<Diagnostic>& diagnostics)
        : file_(file), diagnostics_(diagnostics) {}

    std::optional<Node> root;

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        Node n;
        n.pos = pos(mark);
        add(std::move(n), anchor);
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        const auto it = anchors_.find(anchor);
        if (it == anchors_.end()) {
            error(pos(mark), child_path(), "unknown alias");
            Node n;
            n.pos = pos(mark);
            add(std::move(n), 0);
            return;
        }
        // Each alias is a copy: bound the total so that nested aliases cannot exhaust memory.
        nodes_ += count_nodes(it->second);
        if (nodes_ > max_nodes) {
            throw YAML::ParserException(mark, "aliases expand to more than " + std::to_string(max_nodes) + " nodes");
        }
        add(it->second, 0);
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        Node n;
        n.pos = pos(mark);
        const bool untagged = tag == "?" || tag.empty();
        n.tag = untagged ? std::string() : tag;
        // A number tag says "this is a number", as a plain scalar does; any other tag or quotes
        // make a string.
        n.plain = untagged || tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float";
        const bool null_word = value == "~" || value == "null" || value == "Null" || value == "NULL";
        if (!(untagged && null_word)) {
            n.kind = Node::Kind::scalar;
            n.text = value;
        }
        if (const auto bad = invalid_utf8_at(value)) {
            // Names and texts end up in JSON and CSV, which must be UTF-8: refuse here, located.
            // The bad bytes become '?' so that the message and any later one print cleanly.
            error(n.pos, child_path(),
                  "expected UTF-8 text, got the byte 0x" + hex_byte(value[*bad]) + " at byte " +
                      std::to_string(*bad + 1));
            for (std::size_t at = *bad; at < n.text.size();) {
                n.text[at] = '?';
                const auto next = invalid_utf8_at(std::string_view(n.text).substr(at + 1));
                at = next ? at + 1 + *next : n.text.size();
            }
        }
        add(std::move(n), anchor);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(Node::Kind::sequence, mark, anchor);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(Node::Kind::map, mark, anchor);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame {
        Node node;
        YAML::anchor_t anchor = 0;
        std::string path;
        bool have_key = false;
        bool skip_value = false;  // the key was bad or a duplicate: drop its value
        std::string key;
        SourcePos key_pos;
        // Line of each key so far: a duplicate is found in constant time, so that a map of many
        // keys parses in linear time.
        std::unordered_map<std::string, int> key_lines;
    };

    SourcePos pos(const YAML::Mark& mark) const {
        // yaml-cpp's marks are 0-based; -1 means unknown.
        return SourcePos{file_, mark.line < 0 ? 0 : mark.line + 1, mark.column < 0 ? 0 : mark.column + 1};
    }

    void error(const SourcePos& at, const std::string& path, std::string message) {
        diagnostics_.push_back(Diagnostic{at.file, at.line, at.column, path, std::move(message), false});
    }

    /// The key path of the node about to be added.
    std::string child_path() const {
        if (stack_.empty()) {
            return {};
        }
        const Frame& top = stack_.back();
        if (top.node.kind == Node::Kind::sequence) {
            return top.path + "[" + std::to_string(top.node.items.size()) + "]";
        }
        return top.have_key ? join_path(top.path, top.key) : top.path;
    }

    void open(Node::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
        if (stack_.size() >= max_depth) {
            // Far deeper than any scenario needs; refused here, located, before yaml-cpp's own
            // recursion guard would stop with its unhelpful "bad file".
            // The path is that of the top-level key holding the nesting: the full one would be
            // a hundred segments long.
            error(pos(mark), stack_.size() > 1 ? stack_[1].path : std::string(),
                  "lists and maps nested more than " + std::to_string(max_depth) + " levels deep (the limit)");
            throw TooDeep{};
        }
        Frame f;
        f.node.kind = kind;
        f.node.pos = pos(mark);
        f.anchor = anchor;
        f.path = child_path();
        stack_.push_back(std::move(f));
    }

    void close() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        add(std::move(f.node), f.anchor);
    }

    void add(Node n, YAML::anchor_t anchor) {
        if (anchor != 0) {
            anchors_[anchor] = n;
        }
        if (stack_.empty()) {
            root = std::move(n);
            return;
        }
        Frame& top = stack_.back();
        if (top.node.kind == Node::Kind::sequence) {
            top.node.items.push_back(std::move(n));
            return;
        }
        if (!top.have_key) {
            top.have_key = true;
            top.skip_value = false;
            top.key_pos = n.pos;
            if (n.kind != Node::Kind::scalar) {
                top.key = "?";
                top.skip_value = true;
                error(n.pos, top.path, "expected a plain key (a name), got a " + kind_name(n.kind));
                return;
            }
            top.key = n.text;
            if (const auto [it, fresh] = top.key_lines.try_emplace(n.text, n.pos.line); !fresh) {
                top.skip_value = true;
                error(n.pos, join_path(top.path, n.text),
                      "duplicate key '" + n.text + "' (first given at line " + std::to_string(it->second) + ")");
            }
            return;
        }
        top.have_key = false;
        if (top.skip_value) {
            return;
        }
        // An empty value has no position of its own worth showing, and a block map or list
        // starts on the line after its key: point at the key, where a reader looks for it.
        const bool block =
            (n.kind == Node::Kind::map || n.kind == Node::Kind::sequence) && n.pos.line != top.key_pos.line;
        if (n.kind == Node::Kind::null || block) {
            n.pos = top.key_pos;
        }
        top.node.entries.push_back(MapEntry{std::move(top.key), top.key_pos, std::move(n)});
    }

    static std::string kind_name(Node::Kind k) {
        switch (k) {
            case Node::Kind::null:
                return "null";
            case Node::Kind::scalar:
                return "scalar";
            case Node::Kind::sequence:
                return "list";
            case Node::Kind::map:
                return "map";
        }
        return "node";
    }

    static std::size_t count_nodes(const Node& n) {
        std::size_t count = 1;
        for (const Node& item : n.items) {
            count += count_nodes(item);
        }
        for (const MapEntry& e : n.entries) {
            count += 1 + count_nodes(e.value);
        }
        return count;
    }

    static constexpr std::size_t max_nodes = 1'000'000;

public:
    static constexpr std::size_t max_depth = 100;
    /// Thrown after the nesting error is recorded: the parse stops there.
    struct TooDeep {};

private:
    std::string file_;
    std::vector<Diagnostic>& diagnostics_;
    std::size_t nodes_ = 0;
    std::vector<Frame> stack_;
    std::map<YAML::anchor_t, Node> anchors_;
};

/// Collects the events of any further document, only to learn where it starts.
class IgnoreEvents : public YAML::EventHandler {
public:
    std::optional<YAML::Mark> start;
    void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

/// Why `extends` may not name this path, or nothing: it must name a scenario file (a .yaml or
/// .yml file, which must then be a regular file under the size cap, so /dev/zero, a directory or
/// a huge file is refused when read), never any other file of the system, whose lines would be
/// echoed in messages. A relative path may climb with '..' (`crsim staff --out DIR` writes a
/// staffed.yaml that extends its input from DIR); an absolute path is refused, so that scenario
/// files stay valid when their tree is moved or shared.
std::optional<std::string> unsafe_extends(const std::string& text) {
    const std::filesystem::path p(text);
    if (p.is_absolute()) {
        return "an absolute path";
    }
    const std::string ext = p.extension().string();
    if (ext != ".yaml" && ext != ".yml") {
        return "not a .yaml or .yml file";
    }
    return std::nullopt;
}

Node without_key(const Node& map, std::string_view key) {
    Node out = map;
    std::erase_if(out.entries, [&](const MapEntry& e) { return e.key == key; });
    return out;
}

/// Follows an extends chain, keeping the files on the current path to detect cycles.
class ExtendsResolver {
public:
    explicit ExtendsResolver(std::vector<Diagnostic>& diagnostics) : diagnostics_(diagnostics) {}

    std::string bytes;

    std::optional<Node> load(const std::string& text, const std::string& file, const std::string& base_dir) {
        bytes += text;
        std::optional<Node> root = parse_yaml(text, file, diagnostics_);
        if (!root || root->kind != Node::Kind::map) {
            return root;  // the schema reports a top level that is not a map
        }
        const auto ext = std::find_if(root->entries.begin(), root->entries.end(),
                                      [](const MapEntry& e) { return e.key == "extends"; });
        if (ext == root->entries.end()) {
            return root;
        }
        const Node& value = ext->value;
        Node child = without_key(*root, "extends");
        if (value.kind == Node::Kind::null) {
            return child;
        }
        if (value.kind != Node::Kind::scalar || value.text.empty()) {
            error(value.pos, "expected the path of a scenario file to extend");
            return std::nullopt;
        }
        namespace fs = std::filesystem;
        if (const auto why = unsafe_extends(value.text)) {
            error(value.pos,
                  "expected the path of a .yaml or .yml scenario file relative to this file's directory, "
                  "got '" +
                      value.text + "' (" + *why + ")");
            return std::nullopt;
        }
        const fs::path target = base_dir.empty() ? fs::path(value.text) : fs::path(base_dir) / value.text;
        const std::string display = target.lexically_normal().generic_string();
        const std::string key = identity(display);
        if (std::find(chain_keys_.begin(), chain_keys_.end(), key) != chain_keys_.end()) {
            std::string cycle;
            for (const std::string& f : chain_files_) {
                cycle += f + " -> ";
            }
            error(value.pos, "extends cycle: " + cycle + display);
            return std::nullopt;
        }
        std::string parent_text;
        std::error_code type_error;
        if (fs::exists(display, type_error) && !fs::is_regular_file(display, type_error)) {
            error(value.pos, "cannot read '" + display + "': not a regular file");
            return std::nullopt;
        }
        if (const auto why = read_file(display, parent_text)) {
            error(value.pos, "cannot read '" + display + "': " + *why);
            return std::nullopt;
        }
        chain_keys_.push_back(key);
        chain_files_.push_back(display);
        std::optional<Node> parent = load(parent_text, display, target.parent_path().generic_string());
        chain_keys_.pop_back();
        chain_files_.pop_back();
        if (!parent) {
            return std::nullopt;
        }
        if (parent->kind != Node::Kind::map) {
            diagnostics_.push_back(Diagnostic{display, parent->pos.line, parent->pos.column, "",
                                              "expected a map of scenario keys (name, horizon, classes, ...)", false});
            return std::nullopt;
        }
        return merge_nodes(without_key(*parent, "name"), child);
    }

    void enter(const std::string& file) {
        chain_keys_.push_back(identity(file));
        chain_files_.push_back(file);
    }

private:
    static std::string identity(const std::string& file) {
        std::error_code ec;
        const auto canonical = std::filesystem::weakly_canonical(file, ec);
        return ec ? file : canonical.generic_string();
    }

    void error(const SourcePos& at, std::string message) {
        diagnostics_.push_back(Diagnostic{at.file, at.line, at.column, "extends", std::move(message), false});
    }

    std::vector<Diagnostic>& diagnostics_;
    std::vector<std::string> chain_keys_;
    std::vector<std::string> chain_files_;
};

}  // namespace

std::optional<Node> parse_yaml(const std::string& text, const std::string& file, std::vector<Diagnostic>& diagnostics) {
    std::istringstream in(text);
    try {
        YAML::Parser parser(in);
        TreeBuilder builder(file, diagnostics);
        if (!parser.HandleNextDocument(builder)) {
            Node empty;
            empty.pos = SourcePos{file, 1, 1};
            return empty;
        }
        IgnoreEvents rest;
        if (parser.HandleNextDocument(rest)) {
            const int line = rest.start ? rest.start->line + 1 : 0;
            const int column = rest.start ? rest.start->column + 1 : 0;
            diagnostics.push_back(
                Diagnostic{file, line, column, "", "expected a single YAML document, found another one here", false});
            return std::nullopt;
        }
        if (!builder.root) {
            return std::nullopt;
        }
        return std::move(builder.root);
    } catch (const TreeBuilder::TooDeep&) {
        return std::nullopt;
    } catch (const YAML::DeepRecursion& e) {
        // yaml-cpp's own guard, for nesting that reaches it without opening lists or maps.
        diagnostics.push_back(Diagnostic{file, e.mark.line < 0 ? 0 : e.mark.line + 1,
                                         e.mark.column < 0 ? 0 : e.mark.column + 1, "",
                                         "invalid YAML: nested too deeply for the YAML parser (more than " +
                                             std::to_string(TreeBuilder::max_depth) + " levels is refused)",
                                         false});
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        const int line = e.mark.line < 0 ? 0 : e.mark.line + 1;
        const int column = e.mark.column < 0 ? 0 : e.mark.column + 1;
        diagnostics.push_back(Diagnostic{file, line, column, "", "invalid YAML: " + e.msg, false});
        return std::nullopt;
    }
}

Node merge_nodes(const Node& parent, const Node& child) {
    if (parent.kind != Node::Kind::map || child.kind != Node::Kind::map) {
        return child;
    }
    Node out = parent;
    out.pos = child.pos;
    // Keys are looked up by hash, and removed ones erased at the end, so that merging maps of
    // many keys takes linear time.
    std::unordered_map<std::string_view, std::size_t> index;
    for (std::size_t i = 0; i < parent.entries.size(); ++i) {
        index.emplace(parent.entries[i].key, i);
    }
    std::vector<bool> removed(out.entries.size(), false);
    for (const MapEntry& c : child.entries) {
        const auto it = index.find(c.key);
        if (it == index.end()) {
            out.entries.push_back(c);
        } else if (c.value.kind == Node::Kind::null) {
            removed[it->second] = true;
        } else {
            MapEntry& e = out.entries[it->second];
            e.value = merge_nodes(e.value, c.value);
            e.key_pos = c.key_pos;
        }
    }
    if (std::find(removed.begin(), removed.end(), true) != removed.end()) {
        std::vector<MapEntry> kept;
        kept.reserve(out.entries.size());
        for (std::size_t i = 0; i < out.entries.size(); ++i) {
            if (i >= removed.size() || !removed[i]) {
                kept.push_back(std::move(out.entries[i]));
            }
        }
        out.entries = std::move(kept);
    }
    return out;
}

ResolvedTree resolve_extends(const std::string& text, const std::string& file, const std::string& base_dir,
                             std::vector<Diagnostic>& diagnostics) {
    ExtendsResolver resolver(diagnostics);
    resolver.enter(file);
    ResolvedTree out;
    out.root = resolver.load(text, file, base_dir);
    out.bytes = std::move(resolver.bytes);
    return out;
}

std::optional<std::string> read_file(const std::string& path, std::string& out) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return std::string("is a directory");
    }
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::string(errno != 0 ? std::strerror(errno) : "cannot open");
    }
    // Read in pieces up to the cap, so that /dev/zero or a huge file is refused, not swallowed.
    std::string text;
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_scenario_file_bytes) {
            return "larger than " + std::to_string(max_scenario_file_bytes / (1024 * 1024)) +
                   " MiB, the most a scenario file may hold";
        }
    }
    if (in.bad()) {
        return std::string("read error");
    }
    out = std::move(text);
    return std::nullopt;
}

std::string flow_text(const Node& n) {
    switch (n.kind) {
        case Node::Kind::null:
            return "null";
        case Node::Kind::scalar: {
            const bool needs_quotes =
                !n.plain || n.text.empty() || n.text.find_first_of(",:{}[]#&*!|>'\"@`") != std::string::npos;
            if (!needs_quotes) return n.text;
            std::string out = "\"";
            for (const char c : n.text) {
                if (c == '"' || c == '\\') out += '\\';
                out += c;
            }
            return out + '"';
        }
        case Node::Kind::sequence: {
            std::string out = "[";
            for (std::size_t i = 0; i < n.items.size(); ++i) out += (i ? ", " : "") + flow_text(n.items[i]);
            return out + "]";
        }
        case Node::Kind::map: {
            std::string out = "{";
            for (std::size_t i = 0; i < n.entries.size(); ++i)
                out += (i ? ", " : "") + n.entries[i].key + ": " + flow_text(n.entries[i].value);
            return out + "}";
        }
    }
    return {};
}

}  // namespace crsim::scenario
