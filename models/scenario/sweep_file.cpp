#include "crsim/scenario/sweep_file.hpp"

#include <malloc.h>

#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <numeric>
#include <set>

#include "apply_overrides.hpp"
#include "crsim/model/report_window.hpp"
#include "crsim/scenario/load_scenario.hpp"
#include "crsim/scenario/sha256.hpp"
#include "crsim/scenario/units.hpp"
#include "reader.hpp"
#include "yaml_tree.hpp"

namespace crsim::scenario {

namespace {

using Range = SweepParameter::Range;

const std::vector<std::string> sweep_keys = {"base",   "description", "replications", "seed",
                                             "window", "parameters",  "design"};
constexpr std::size_t max_points = 1'000'000;
constexpr std::size_t max_values = 100'000;

std::string origin_of(const SourcePos& p) {
    return p.file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

/// A range bound's notation and value in base units.
struct Bound {
    Range::Notation notation;
    double value;
    std::string unit;
};

std::optional<Bound> read_bound(const Node& n) {
    if (n.kind != Node::Kind::scalar || !n.plain) return std::nullopt;
    const std::string& t = n.text;
    if (const Parsed<double> v = parse_number(t)) {
        const bool integer = t.find_first_of(".eE") == std::string::npos;
        return Bound{integer ? Range::Notation::integer : Range::Notation::number, *v.value, ""};
    }
    if (!t.empty() && t.back() == '%') {
        if (const Parsed<double> v = parse_share(t)) return Bound{Range::Notation::percent, *v.value, ""};
        return std::nullopt;
    }
    if (const Parsed<double> v = parse_duration(t)) {
        std::size_t u = t.size();
        while (u > 0 && std::isalpha(static_cast<unsigned char>(t[u - 1]))) --u;
        return Bound{Range::Notation::duration, *v.value, t.substr(u)};
    }
    return std::nullopt;
}

/// `value` (base units) written in the range's notation.
std::string write_value(const Range& r, double value) {
    switch (r.notation) {
        case Range::Notation::integer:
            // Beyond long long (where llround is undefined) the value is written as a number.
            return std::abs(value) < 9e18 ? std::to_string(std::llround(value)) : format_exact(value);
        case Range::Notation::number:
            return format_exact(value);
        case Range::Notation::percent:
            return format_exact(value * 100) + "%";
        case Range::Notation::duration:
            return format_exact(value / *parse_duration("1" + r.unit).value) + r.unit;
    }
    return format_exact(value);
}

/// Rounds away the binary noise of from + i * step (0.1 * 3 = 0.30000000000000004).
double tidy(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.12g", x);
    return std::strtod(buf, nullptr);
}

class SweepReader {
public:
    SweepReader(std::vector<Diagnostic>& diagnostics) : r_(diagnostics) {}

    std::optional<SweepSpec> read(const Node& root, SweepSpec sweep, const std::string& dir) {
        if (!r_.expect_map(root, "", "a map of sweep keys (base, parameters, design, ...)")) return std::nullopt;
        r_.check_keys(root, "", sweep_keys);
        if (const Node* n = r_.require(root, "", "base")) {
            if (const auto base = r_.text(*n, "base", "the path of the base scenario, relative to this file")) {
                base_node_ = n;
                sweep.base = (std::filesystem::path(dir) / *base).lexically_normal().generic_string();
            }
        }
        if (const Node* n = Reader::get(root, "description")) r_.text(*n, "description", "a text");
        if (const Node* n = Reader::get(root, "replications")) {
            if (const auto v = r_.integer(*n, "replications", 1, 1'000'000'000))
                replications_ = static_cast<std::size_t>(*v);
        }
        if (const Node* n = Reader::get(root, "seed")) {
            if (const auto v = r_.integer(*n, "seed", 0, 9'007'199'254'740'992LL))
                seed_ = static_cast<std::uint64_t>(*v);
        }
        if (const Node* n = Reader::get(root, "window")) {
            // Checked against each point's scenario (its warm-up, horizon and named windows) once
            // the points are loaded, by the parser `crsim run --window` uses.
            if (const auto w =
                    r_.text(*n, "window", "a window as `crsim run --window` takes it: 14-26, 14, 3d-10d, or a name")) {
                sweep.window = *w;
                window_pos_ = n->pos;
            }
        }
        if (const Node* n = r_.require(root, "", "parameters")) read_parameters(*n, sweep);
        read_design(Reader::get(root, "design"), sweep);
        if (r_.error_count() > 0) return std::nullopt;
        expand(sweep);
        if (r_.error_count() > 0) return std::nullopt;
        return sweep;
    }

    const Node* base_node_ = nullptr;
    SourcePos window_pos_;
    std::optional<std::size_t> replications_;
    std::optional<std::uint64_t> seed_;

private:
    void read_parameters(const Node& n, SweepSpec& sweep) {
        if (!r_.expect_map(n, "parameters", "a map from --set paths to lists or ranges of values")) return;
        if (n.entries.empty()) r_.error(n.pos, "parameters", "expected at least one parameter");
        for (const MapEntry& e : n.entries) {
            const std::string path = join_path("parameters", e.key);
            std::string why;
            const auto o = parse_override(e.key + "=x", why);
            if (o && o->op != Override::Op::set) {
                // `PATH*: [..]` read as PATH*=: the sweep's own form says how to scale or add.
                const std::string key = o->op == Override::Op::multiply ? "scale" : "add";
                r_.error(e.key_pos, path,
                         "to " + (key == "scale" ? std::string("multiply") : std::string("add to")) +
                             " the base scenario's value, write " + o->path + ": {" + key +
                             ": [..]} (and name: to give its column a short name)");
                continue;
            }
            if (!o || o->path != e.key) {
                r_.error(e.key_pos, path,
                         "expected a --set path such as classes.101.patience.mean or roster[shift=night].headcount" +
                             (why.empty() ? std::string() : ": " + why));
                continue;
            }
            SweepParameter p;
            p.path = e.key;
            p.name = e.key;
            p.origin = origin_of(e.value.pos);
            param_pos_.push_back(e.value.pos);
            if (e.value.kind == Node::Kind::sequence) {
                read_list(e.value, path, p, sweep.parameters.size());
            } else if (e.value.kind == Node::Kind::map) {
                read_map(e.value, path, p, sweep.parameters.size());
            } else {
                r_.error(e.value.pos, path,
                         "expected a list of values ([3min, 5min]), a range {from: 2, to: 6, step: 1}, or {values: "
                         "[..]}, {scale: [..]} or {add: [..]} with an optional name, got " +
                             Reader::describe(e.value));
            }
            if (std::find_if(sweep.parameters.begin(), sweep.parameters.end(),
                             [&](const SweepParameter& q) { return q.name == p.name; }) != sweep.parameters.end()) {
                const Node* at = e.value.kind == Node::Kind::map ? e.value.find("name") : nullptr;
                r_.error(at != nullptr ? at->pos : e.key_pos, join_path(path, "name"),
                         "the column name '" + p.name + "' is taken by another parameter");
            }
            sweep.parameters.push_back(std::move(p));
        }
    }

    void read_list(const Node& n, const std::string& path, SweepParameter& p, std::size_t index) {
        if (n.items.empty()) r_.error(n.pos, path, "expected at least one value");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < n.items.size(); ++i) {
            const Node& item = n.items[i];
            const std::string text = item.kind == Node::Kind::scalar ? item.text : flow_text(item);
            if (item.kind == Node::Kind::null)
                r_.error(item.pos, index_path(path, i), "expected a value, got nothing");
            else if (!seen.insert(text).second)
                r_.error(item.pos, index_path(path, i), "value '" + text + "' is listed twice");
            else if (p.op != Override::Op::set && (item.kind != Node::Kind::scalar || !parse_number(text)))
                r_.error(item.pos, index_path(path, i),
                         std::string("expected a plain number (") +
                             (p.op == Override::Op::multiply ? "a factor such as 1.2" : "an amount such as 2") +
                             "), got " + Reader::describe(item));
            p.values.push_back(text);
            value_nodes_[index].push_back(item.pos);
        }
    }

    /// `{from, to, step}`, or `{values | scale | add: LIST or RANGE, name: NAME}`.
    void read_map(const Node& n, const std::string& path, SweepParameter& p, std::size_t index) {
        if (n.find("from") != nullptr || n.find("to") != nullptr) {
            read_range(n, path, p, {"from", "to", "step", "name"});
            read_name(n, path, p);
            return;
        }
        r_.check_keys(n, path, {"values", "scale", "add", "name"});
        const char* given = nullptr;
        for (const char* key : {"values", "scale", "add"}) {
            if (n.find(key) == nullptr) continue;
            if (given != nullptr) {
                r_.error(n.find(key)->pos, join_path(path, key),
                         std::string("give one of values, scale and add, not both ") + given + " and " + key);
                return;
            }
            given = key;
        }
        if (given == nullptr) {
            r_.error(n.pos, path, "expected values, scale or add (or a range {from, to, step})");
            return;
        }
        p.op = std::string(given) == "scale" ? Override::Op::multiply
               : std::string(given) == "add" ? Override::Op::add
                                             : Override::Op::set;
        const Node& v = *n.find(given);
        const std::string vpath = join_path(path, given);
        p.origin = origin_of(v.pos);
        param_pos_.back() = v.pos;
        if (v.kind == Node::Kind::sequence) {
            read_list(v, vpath, p, index);
        } else if (v.kind == Node::Kind::map) {
            read_range(v, vpath, p, {"from", "to", "step"});
            if (p.op != Override::Op::set && p.range && p.range->notation != Range::Notation::integer &&
                p.range->notation != Range::Notation::number)
                r_.error(v.pos, vpath, "expected a range of plain numbers");
        } else {
            r_.error(v.pos, vpath, "expected a list of values or a range {from, to, step}, got " + Reader::describe(v));
        }
        read_name(n, path, p);
    }

    void read_name(const Node& n, const std::string& path, SweepParameter& p) {
        const Node* v = Reader::get(n, "name");
        if (v == nullptr) return;
        const auto name = r_.text(*v, join_path(path, "name"), "a column name");
        if (!name) return;
        const bool identifier = !name->empty() && !std::isdigit(static_cast<unsigned char>(name->front())) &&
                                std::all_of(name->begin(), name->end(), [](char c) {
                                    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
                                });
        if (!identifier || *name == "point" || name->size() > 64) {
            r_.error(v->pos, join_path(path, "name"),
                     "expected a short column name of letters, digits and _ (not starting with a digit, not "
                     "'point'), got '" +
                         *name + "'");
            return;
        }
        p.name = *name;
    }

    void read_range(const Node& n, const std::string& path, SweepParameter& p, const std::vector<std::string>& keys) {
        r_.check_keys(n, path, keys);
        const auto bound = [&](const char* key, bool required) -> std::optional<Bound> {
            const Node* v = required ? r_.require(n, path, key) : Reader::get(n, key);
            if (v == nullptr) return std::nullopt;
            const auto b = read_bound(*v);
            if (!b)
                r_.error(v->pos, join_path(path, key),
                         "expected a number, a duration (5min) or a percentage (15%), got " + Reader::describe(*v));
            return b;
        };
        const auto from = bound("from", true);
        const auto to = bound("to", true);
        const auto step = bound("step", false);
        if (!from || !to || (Reader::get(n, "step") != nullptr && !step)) return;
        const auto same_kind = [](Range::Notation a, Range::Notation b) {
            const auto numeric = [](Range::Notation x) {
                return x == Range::Notation::integer || x == Range::Notation::number;
            };
            return a == b || (numeric(a) && numeric(b));
        };
        if (!same_kind(from->notation, to->notation)) {
            r_.error(n.find("to")->pos, join_path(path, "to"),
                     "expected the same kind of value as from (" + n.find("from")->text + ")");
            return;
        }
        if (to->value < from->value) {
            r_.error(n.find("to")->pos, join_path(path, "to"), "expected at least from (" + n.find("from")->text + ")");
            return;
        }
        Range range;
        range.from = from->value;
        range.to = to->value;
        range.unit = from->unit;
        range.notation = from->notation == Range::Notation::integer && to->notation == Range::Notation::integer &&
                                 (!step || step->notation == Range::Notation::integer)
                             ? Range::Notation::integer
                             : (from->notation == Range::Notation::integer ? Range::Notation::number : from->notation);
        if (step || range.notation == Range::Notation::integer) {
            // An integer range without a step has every integer in it.
            const Node* sn = step ? n.find("step") : &n;
            if (step && (!same_kind(from->notation, step->notation) || step->value <= 0)) {
                r_.error(sn->pos, join_path(path, "step"),
                         "expected a positive step of the same kind as from (" + n.find("from")->text + ")");
                return;
            }
            range.step = step ? step->value : 1;
            const double count = std::floor((range.to - range.from) / range.step + 1e-9) + 1;
            if (count > static_cast<double>(max_values)) {
                r_.error(sn->pos, join_path(path, "step"), "gives more than " + std::to_string(max_values) + " values");
                return;
            }
            for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i)
                p.values.push_back(write_value(range, tidy(range.from + static_cast<double>(i) * range.step)));
        }
        range_nodes_.push_back(&n);
        p.range = range;
    }

    void read_design(const Node* n, SweepSpec& sweep) {
        sweep.design = "grid";
        if (n == nullptr) return;
        if (n->kind == Node::Kind::scalar && n->text == "grid") return;
        if (n->kind != Node::Kind::map || n->find("lhs") == nullptr) {
            r_.error(n->pos, "design", "expected grid or {lhs: {points: N, seed: S}}, got " + Reader::describe(*n));
            return;
        }
        r_.check_keys(*n, "design", {"lhs"});
        const Node& lhs = *n->find("lhs");
        if (!r_.expect_map(lhs, "design.lhs", "a map {points: N, seed: S}")) return;
        r_.check_keys(lhs, "design.lhs", {"points", "seed"});
        sweep.design = "lhs";
        if (const Node* p = r_.require(lhs, "design.lhs", "points"))
            lhs_points_ = static_cast<std::size_t>(r_.integer(*p, "design.lhs.points", 1, max_points).value_or(0));
        if (const Node* s = Reader::get(lhs, "seed"))
            lhs_seed_ =
                static_cast<std::uint64_t>(r_.integer(*s, "design.lhs.seed", 0, 9'007'199'254'740'992LL).value_or(0));
        design_node_ = n;
    }

    void expand(SweepSpec& sweep) {
        auto& params = sweep.parameters;
        if (sweep.design == "grid") {
            double total = 1;
            for (std::size_t k = 0; k < params.size(); ++k) {
                if (params[k].values.empty()) {
                    // A range without a step: only a Latin hypercube samples it.
                    r_.error(param_pos_[k], join_path("parameters", params[k].path),
                             "a range without a step has no grid: add step, or use design: {lhs: ...}");
                    continue;
                }
                total *= static_cast<double>(params[k].values.size());
            }
            if (r_.error_count() > 0) return;
            if (total > static_cast<double>(max_points)) {
                r_.error(SourcePos{sweep.file, 1, 1}, "parameters",
                         "the grid has more than " + std::to_string(max_points) + " points");
                return;
            }
            // The first parameter varies slowest, as nested loops written in the file's order.
            const auto n = static_cast<std::size_t>(total);
            for (std::size_t i = 0; i < n; ++i) {
                std::vector<std::string> point(params.size());
                std::size_t rest = i;
                for (std::size_t k = params.size(); k-- > 0;) {
                    point[k] = params[k].values[rest % params[k].values.size()];
                    rest /= params[k].values.size();
                }
                sweep.points.push_back(std::move(point));
            }
            return;
        }
        // Latin hypercube: each parameter's range (or list) cut into `points` strata of equal
        // probability, each stratum used once, in an order shuffled independently per parameter.
        boost::random::mt19937_64 rng(lhs_seed_);
        boost::random::uniform_01<double> uniform;
        sweep.points.assign(lhs_points_, std::vector<std::string>(params.size()));
        for (std::size_t k = 0; k < params.size(); ++k) {
            std::vector<std::size_t> order(lhs_points_);
            std::iota(order.begin(), order.end(), 0);
            for (std::size_t i = order.size(); i > 1; --i) {
                boost::random::uniform_int_distribution<std::size_t> pick(0, i - 1);
                std::swap(order[i - 1], order[pick(rng)]);
            }
            for (std::size_t i = 0; i < lhs_points_; ++i) {
                const double u = (static_cast<double>(order[i]) + uniform(rng)) / static_cast<double>(lhs_points_);
                const SweepParameter& p = params[k];
                if (!p.range || p.range->step > 0) {
                    // A list or a stepped range: the values are the strata's candidates.
                    const auto idx = std::min(p.values.size() - 1,
                                              static_cast<std::size_t>(u * static_cast<double>(p.values.size())));
                    sweep.points[i][k] = p.values[idx];
                } else {
                    const Range& r = *p.range;
                    sweep.points[i][k] = write_value(r, tidy(r.from + u * (r.to - r.from)));
                }
            }
        }
    }

public:
    std::map<std::size_t, std::vector<SourcePos>> value_nodes_;

private:
    Reader r_;
    std::vector<const Node*> range_nodes_;

public:
    std::vector<SourcePos> param_pos_;  ///< where each parameter's values are

private:
    const Node* design_node_ = nullptr;
    std::size_t lhs_points_ = 0;
    std::uint64_t lhs_seed_ = 0;
};

/// Errors first by file, line, column, each distinct message once (many points can share one).
void tidy_diagnostics(std::vector<Diagnostic>& diagnostics) {
    std::vector<Diagnostic> out;
    std::set<std::string> seen;
    for (Diagnostic& d : diagnostics)
        if (seen.insert(d.format()).second) out.push_back(std::move(d));
    diagnostics = std::move(out);
}

}  // namespace

std::vector<Override> point_overrides(const SweepSpec& sweep, std::size_t point) {
    std::vector<Override> out;
    for (std::size_t k = 0; k < sweep.parameters.size(); ++k) {
        Override o;
        std::string error;
        const Override::Op op = sweep.parameters[k].op;
        const char* assign = op == Override::Op::multiply ? "*=" : op == Override::Op::add ? "+=" : "=";
        const std::string argument = sweep.parameters[k].path + assign + sweep.points.at(point)[k];
        if (auto parsed = parse_override(argument, error)) o = std::move(*parsed);
        o.origin = sweep.parameters[k].origin;
        out.push_back(std::move(o));
    }
    return out;
}

std::optional<double> base_unit_value(const std::string& text) {
    if (const Parsed<double> v = parse_number(text)) return v.value;
    if (!text.empty() && text.back() == '%') return parse_share(text).value;
    return parse_duration(text).value;
}

SweepLoadResult load_sweep(const std::string& path, double max_memory_bytes) {
    SweepLoadResult result;
    std::string text;
    if (const auto why = read_file(path, text)) {
        result.diagnostics.push_back(Diagnostic{path, 0, 0, "", "cannot read the file: " + *why, false});
        return result;
    }
    const std::optional<Node> root = parse_yaml(text, path, result.diagnostics);
    if (!root || has_errors(result.diagnostics)) return result;
    SweepSpec sweep;
    sweep.file = path;
    sweep.sha256 = sha256_hex(text);
    SweepReader reader(result.diagnostics);
    std::optional<SweepSpec> read =
        reader.read(*root, std::move(sweep), std::filesystem::path(path).parent_path().generic_string());
    if (!read) {
        tidy_diagnostics(result.diagnostics);
        return result;
    }
    // The base scenario, then every point's scenario: all must be valid before anything runs.
    LoadResult base = load_scenario(read->base);
    if (!base.ok()) {
        const SourcePos& at = reader.base_node_->pos;
        result.diagnostics.push_back(Diagnostic{at.file, at.line, at.column, "base",
                                                "the base scenario " + read->base + " is not valid:", false});
        for (Diagnostic& d : base.diagnostics) result.diagnostics.push_back(std::move(d));
        return result;
    }
    // Two parameters reaching one value (roster[0].headcount and roster[group=handlers].headcount):
    // the later would silently win and the store record values that had no effect.
    {
        const std::vector<Override> first = point_overrides(*read, 0);
        std::vector<std::vector<std::string>> targets;
        for (const Override& o : first) targets.push_back(override_targets(*base.tree, o));
        for (std::size_t b = 1; b < targets.size(); ++b) {
            for (std::size_t a = 0; a < b; ++a) {
                for (const std::string& ta : targets[a]) {
                    const auto tb = std::find_if(targets[b].begin(), targets[b].end(),
                                                 [&](const std::string& t) { return paths_overlap(ta, t); });
                    if (tb == targets[b].end()) continue;
                    const SourcePos& at = reader.param_pos_.at(b);
                    result.diagnostics.push_back(
                        Diagnostic{at.file, at.line, at.column, join_path("parameters", read->parameters[b].path),
                                   "reaches " + *tb + ", as parameters." + read->parameters[a].path +
                                       " does: sweep each value through one parameter",
                                   false});
                    a = b;  // one message per parameter
                    break;
                }
            }
        }
        if (has_errors(result.diagnostics)) return result;
    }
    read->base_sha256 = base.spec->sha256;
    read->replications = reader.replications_.value_or(base.spec->replications);
    read->seed = reader.seed_.value_or(base.spec->seed);
    bool ok = true;
    // Every point's scenario is kept: measured on the first points, the memory they would take
    // all together is checked before loading the rest (10^6 points of a large force need tens of GB).
    constexpr std::size_t sample = 16;
    const auto heap = [] {
        const struct mallinfo2 m = ::mallinfo2();
        return static_cast<double>(m.uordblks + m.hblkhd);
    };
    const double heap_before = heap();
    for (std::size_t p = 0; p < read->points.size(); ++p) {
        if (p == sample && max_memory_bytes > 0 && read->points.size() > 2 * sample) {
            const double per_point = std::max(0.0, heap() - heap_before) / static_cast<double>(sample);
            const double all = per_point * static_cast<double>(read->points.size());
            if (all > max_memory_bytes) {
                char text[256];
                std::snprintf(text, sizeof text,
                              "the sweep's %zu points need about %.3g GB of memory to be checked and kept (%.3g KB "
                              "each), beyond the %.3g GB this machine has (--allow-large loads them anyway)",
                              read->points.size(), all / 1e9, per_point / 1e3, max_memory_bytes / 1e9);
                result.diagnostics.push_back(Diagnostic{path, 1, 1, "parameters", text, false});
                return result;
            }
        }
        // A list value that fails is located at its own line; a range value at the range.
        std::vector<Override> overrides = point_overrides(*read, p);
        for (std::size_t k = 0; k < overrides.size(); ++k) {
            const auto it = reader.value_nodes_.find(k);
            if (it == reader.value_nodes_.end()) continue;
            const auto& values = read->parameters[k].values;
            const auto v = std::find(values.begin(), values.end(), read->points[p][k]);
            if (v != values.end())
                overrides[k].origin = origin_of(it->second[static_cast<std::size_t>(v - values.begin())]);
        }
        LoadResult point = load_scenario(read->base, overrides);
        for (Diagnostic& d : point.diagnostics)
            if (!d.warning) result.diagnostics.push_back(std::move(d));
        if (!point.ok()) {
            ok = false;
            continue;
        }
        if (read->window) {
            // A point may move the horizon or the warm-up: its own scenario decides the window.
            try {
                point.spec->window = model::parse_window(*read->window, *point.spec);
            } catch (const std::invalid_argument& e) {
                const SourcePos& at = reader.window_pos_;
                result.diagnostics.push_back(Diagnostic{at.file, at.line, at.column, "window", e.what(), false});
                ok = false;
                continue;
            }
        }
        read->specs.push_back(std::move(*point.spec));
    }
    tidy_diagnostics(result.diagnostics);
    if (ok) result.sweep = std::move(read);
    return result;
}

}  // namespace crsim::scenario
