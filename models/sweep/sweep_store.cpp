#include "crsim/sweep/sweep_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "crsim/model/report_window.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"
#include "crsim/model/version.hpp"
#include "crsim/report/atomic_file.hpp"
#include "crsim/report/summary_writers.hpp"
#include "crsim/scenario/units.hpp"

namespace crsim::sweep {

/// An open SQLite connection, closed on destruction.
class Database {
public:
    Database(const std::string& path, int flags) {
        if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
            const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw std::runtime_error("cannot open " + path + ": " + why);
        }
        sqlite3_busy_timeout(db_, 10'000);
    }
    ~Database() { sqlite3_close(db_); }
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    sqlite3* get() const { return db_; }
    operator sqlite3*() const { return db_; }

private:
    sqlite3* db_ = nullptr;
};

/// An exclusive lock on a store (flock), so that two sweeps never write one store at once, nor two
/// merges one new store. flock and SQLite's own fcntl locks do not interfere on Linux; the
/// descriptor is closed only after SQLite has closed the database (closing any descriptor of a file
/// drops the process's fcntl locks). `busy` is the message when another process holds the lock.
class StoreLock {
public:
    StoreLock(const std::string& path, const std::string& busy) {
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd_ < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
        if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            const int error = errno;
            ::close(fd_);
            if (error == EWOULDBLOCK) throw StoreMismatch(busy);
            throw std::runtime_error("cannot lock " + path + ": " + std::strerror(error));
        }
    }
    ~StoreLock() { ::close(fd_); }
    StoreLock(const StoreLock&) = delete;
    StoreLock& operator=(const StoreLock&) = delete;

    /// Empties the locked file (what a killed writer left), keeping the file and so the lock.
    void truncate() const {
        if (::ftruncate(fd_, 0) != 0)
            throw std::runtime_error(std::string("cannot empty a file: ") + std::strerror(errno));
    }

private:
    int fd_ = -1;
};

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

const char* const tables[] = {
    "meta", "points", "replications", "summary", "targets", "target_periods", "target_period_replications", "tasks"};

/// A prepared statement, finalized on destruction.
class Statement {
public:
    Statement(sqlite3* db, const std::string& sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
            throw std::runtime_error("SQLite: " + std::string(sqlite3_errmsg(db)) + " in: " + sql);
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, const std::string& text) {
        check(sqlite3_bind_text(stmt_, i, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
        return *this;
    }
    Statement& bind(int i, double x) {
        check(std::isnan(x) ? sqlite3_bind_null(stmt_, i) : sqlite3_bind_double(stmt_, i, x));
        return *this;
    }
    Statement& bind_int(int i, long long x) {
        check(sqlite3_bind_int64(stmt_, i, x));
        return *this;
    }
    Statement& bind_null(int i) {
        check(sqlite3_bind_null(stmt_, i));
        return *this;
    }
    /// Steps once: true while a row is available.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw std::runtime_error("SQLite: " + std::string(sqlite3_errmsg(db_)));
    }
    /// Runs to the end and resets for the next bindings.
    void run() {
        while (step()) {
        }
        reset();
    }
    /// Runs once; false (and reset) if a constraint refused the row.
    bool try_run() {
        const int rc = sqlite3_step(stmt_);
        sqlite3_reset(stmt_);
        if (rc == SQLITE_DONE) return true;
        if ((rc & 0xff) == SQLITE_CONSTRAINT) return false;
        throw std::runtime_error("SQLite: " + std::string(sqlite3_errmsg(db_)));
    }
    void reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    double real(int i) const {
        return sqlite3_column_type(stmt_, i) == SQLITE_NULL ? nan : sqlite3_column_double(stmt_, i);
    }
    long long integer(int i) const { return sqlite3_column_int64(stmt_, i); }
    std::string text(int i) const {
        const auto* p = sqlite3_column_text(stmt_, i);
        return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
    }
    sqlite3_stmt* get() const { return stmt_; }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) throw std::runtime_error("SQLite: " + std::string(sqlite3_errmsg(db_)));
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

void exec(sqlite3* db, const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string why = message != nullptr ? message : "unknown error";
        sqlite3_free(message);
        throw std::runtime_error("SQLite: " + why);
    }
}

/// A store being written under a temporary name (with SQLite's side files), removed on destruction
/// unless kept: a merge that fails leaves nothing behind.
class TemporaryStore {
public:
    explicit TemporaryStore(std::string path) : path_(std::move(path)) {}
    ~TemporaryStore() {
        if (kept_) return;
        std::error_code ignored;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_ + suffix, ignored);
    }
    TemporaryStore(const TemporaryStore&) = delete;
    TemporaryStore& operator=(const TemporaryStore&) = delete;
    /// It has its final name: nothing to remove.
    void keep() { kept_ = true; }

private:
    std::string path_;
    bool kept_ = false;
};

/// A transaction, begun on construction and rolled back on destruction unless committed: an
/// exception between leaves the database as it was.
class Transaction {
public:
    Transaction(sqlite3* db, const char* begin = "BEGIN") : db_(db) { exec(db_, begin); }
    ~Transaction() {
        if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    /// Commits; the destructor then does nothing.
    void commit() {
        exec(db_, "COMMIT");
        open_ = false;
    }
    /// Ends it without a change (what it read is all it was for).
    void rollback() {
        exec(db_, "ROLLBACK");
        open_ = false;
    }

private:
    sqlite3* db_;
    bool open_ = true;
};

/// The tables of the file at `path` (open as `db`). Throws StoreMismatch when it is not an SQLite
/// database at all, so that SQLite's own wording ("file is not a database") never reaches the user.
std::set<std::string> table_names(sqlite3* db, const std::string& path) {
    // Prepared by hand, not as a Statement: its failure code tells a file that is no database.
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &raw, nullptr);
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    std::set<std::string> names;
    if (rc == SQLITE_OK)
        while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
            names.insert(reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0)));
    if (rc == SQLITE_DONE) return names;
    if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
        throw StoreMismatch(path + " is not a crsim sweep store (not an SQLite database)");
    throw std::runtime_error("cannot read " + path + ": " + sqlite3_errstr(rc));
}

/// Refuses a file that is not a sweep store; `empty_ok`: an empty database (a store to create).
void check_is_store(sqlite3* db, const std::string& path, bool empty_ok) {
    const std::set<std::string> names = table_names(db, path);
    if (names.empty() && empty_ok) return;
    if (names.empty()) throw StoreMismatch(path + " is not a crsim sweep store (it has no tables)");
    if (!names.count("meta") || !names.count("tasks") || !names.count("points"))
        throw StoreMismatch(path + " is an SQLite database but not a crsim sweep store (it has no " +
                            (!names.count("meta")    ? "meta"
                             : !names.count("tasks") ? "tasks"
                                                     : "points") +
                            " table); crsim adds nothing to it");
}

/// Refuses to write to a store (resume, merge) made by an earlier crsim whose tables lack what this one
/// stores: the targets per period, and each class's targets numbered (two targets may judge one
/// figure). Such a store can still be exported.
void check_current_schema(sqlite3* db, const std::string& path, const std::map<std::string, std::string>& meta) {
    Statement numbered(db, "SELECT count(*) FROM pragma_table_info('targets') WHERE name = 'target'");
    const char* const lacks =
        !table_names(db, path).count("target_periods")  ? "no table for targets per period (target_periods)"
        : !(numbered.step() && numbered.integer(0) > 0) ? "no number for each target of a class (targets.target)"
                                                        : nullptr;
    if (lacks == nullptr) return;
    const auto version = meta.find("crsim_version");
    throw StoreMismatch(path + " was made by an earlier crsim" +
                        (version == meta.end() ? std::string() : " (" + version->second + ")") + ", whose store has " +
                        std::string(lacks) + "; use a new --out file, or remove this one to start again");
}

std::string quote_identifier(const std::string& name) {
    std::string out = "\"";
    for (const char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::string now_utc() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::map<std::string, std::string> read_meta(sqlite3* db) {
    std::map<std::string, std::string> meta;
    Statement s(db, "SELECT key, value FROM meta");
    while (s.step()) meta[s.text(0)] = s.text(1);
    return meta;
}

/// The SQL type of parameter k's column: INTEGER when every value is a whole number as written,
/// REAL when every value is a number, else TEXT (durations, percentages, maps: as written). Typed,
/// so that `order by` sorts numbers as numbers (10 after 6).
std::string column_type(const scenario::SweepSpec& sweep, std::size_t k) {
    bool integer = true;
    for (const std::vector<std::string>& point : sweep.points) {
        const std::string& text = point[k];
        if (!scenario::parse_number(text)) return "TEXT";
        integer = integer && text.find_first_of(".eE") == std::string::npos;
    }
    return integer ? "INTEGER" : "REAL";
}

/// One row per point and figure of `summary`, with the point's parameters and, for a figure that is
/// a whole-window target, its goal and verdict; then per target per period its judged figure (bucket
/// NULL) and its figure in each bucket: the long format pandas and R read without a join.
constexpr const char* results_view =
    "CREATE VIEW IF NOT EXISTS results AS SELECT p.*, s.kind, s.name, s.metric, s.threshold_s, s.mean, s.ci95,"
    " s.n, t.goal, t.met, t.p_met, t.confident, 'window' AS by, NULL AS periods_met, NULL AS bucket, NULL AS label"
    " FROM points p JOIN summary s ON s.point = p.point"
    " LEFT JOIN targets t ON s.kind = 'class' AND t.point = s.point AND t.class = s.name AND t.metric = s.metric"
    " AND t.threshold_s IS s.threshold_s AND t.by = 'window'"
    " UNION ALL SELECT p.*, 'class', t.class, t.metric, t.threshold_s, t.mean, t.ci95, NULL, t.goal, t.met, t.p_met,"
    " t.confident, t.by, t.periods_met, NULL, NULL FROM points p JOIN targets t ON t.point = p.point"
    " AND t.by <> 'window'"
    " UNION ALL SELECT p.*, 'class', b.class, b.metric, b.threshold_s, b.mean, b.ci95, b.n, b.goal, b.met, b.p_met,"
    " b.confident, b.by, b.periods_met, b.bucket, b.label FROM points p JOIN target_periods b ON b.point = p.point";

/// The table definitions of the contract; `points` is made per sweep.
void create_tables(sqlite3* db) {
    exec(db,
         "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
         "CREATE TABLE replications(point INTEGER NOT NULL, replication INTEGER NOT NULL, kind TEXT NOT NULL,"
         " name TEXT NOT NULL, metric TEXT NOT NULL, threshold_s REAL, value REAL,"
         " PRIMARY KEY(point, replication, kind, name, metric, threshold_s));"
         "CREATE TABLE summary(point INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, metric TEXT NOT NULL,"
         " threshold_s REAL, mean REAL, ci95 REAL, n INTEGER NOT NULL,"
         " PRIMARY KEY(point, kind, name, metric, threshold_s));"
         "CREATE TABLE targets(point INTEGER NOT NULL, class TEXT NOT NULL, target INTEGER NOT NULL,"
         " metric TEXT NOT NULL, threshold_s REAL, goal REAL NOT NULL, mean REAL, ci95 REAL, met INTEGER, p_met REAL,"
         " confident INTEGER, by TEXT NOT NULL, periods_met REAL, worst_bucket TEXT,"
         " PRIMARY KEY(point, class, target));"
         "CREATE TABLE target_periods(point INTEGER NOT NULL, class TEXT NOT NULL, target INTEGER NOT NULL,"
         " metric TEXT NOT NULL, threshold_s REAL, goal REAL NOT NULL, by TEXT NOT NULL, periods_met REAL,"
         " bucket INTEGER NOT NULL, label TEXT NOT NULL, mean REAL, ci95 REAL, n INTEGER NOT NULL, met INTEGER,"
         " p_met REAL, confident INTEGER, PRIMARY KEY(point, class, target, bucket));"
         "CREATE TABLE target_period_replications(point INTEGER NOT NULL, replication INTEGER NOT NULL,"
         " class TEXT NOT NULL, metric TEXT NOT NULL, threshold_s REAL, by TEXT NOT NULL, bucket INTEGER NOT NULL,"
         " value REAL, PRIMARY KEY(point, replication, class, metric, threshold_s, by, bucket));"
         "CREATE TABLE tasks(point INTEGER NOT NULL, replication INTEGER NOT NULL, status TEXT NOT NULL,"
         " seconds REAL, PRIMARY KEY(point, replication));");
}

/// The identity a store must share with the sweep that resumes it or the stores merged with it.
const char* const identity_keys[] = {"sweep_sha256", "base_scenario_sha256", "seed", "replications"};

/// Deletes the rows of `point` from `table` (before they are computed again).
void erase_point(sqlite3* db, const std::string& table, long long point) {
    Statement erase(db, "DELETE FROM " + table + " WHERE point = ?");
    erase.bind_int(1, point);
    erase.run();
}

/// The period a store names ("hour_of_day"); throws for a name no target period has.
model::TargetSpec::Period period_named(const std::string& name) {
    for (const model::TargetPeriod& p : model::target_periods())
        if (p.name == name) return p.period;
    throw std::runtime_error("the store names an unknown target period: " + name);
}

/// Judges a target per period of `point` (target_periods.hpp) from its buckets' stored figures in
/// each of the point's `replications`, as `crsim run` does: fills `t` and the point's rows of
/// `target_periods` for it.
void judge_target_periods(sqlite3* db, long long point, long long target, std::size_t replications,
                          model::TargetResult& t) {
    const std::string by(model::target_period(t.by).name);
    Statement rows(db,
                   "SELECT bucket, replication, value FROM target_period_replications WHERE point = ? AND class = ?"
                   " AND metric = ? AND threshold_s IS ? AND by = ? ORDER BY bucket, replication");
    rows.bind_int(1, point).bind(2, t.class_name).bind(3, std::string(model::metric_name(t.metric)));
    rows.bind(4, model::target_parameter(t)).bind(5, by);
    std::vector<model::BucketSeries> buckets;  // in bucket order; NaN where a replication had no calls
    while (rows.step()) {
        const auto index = static_cast<std::size_t>(rows.integer(0) - 1);
        if (buckets.empty() || buckets.back().index != index)
            buckets.push_back(model::BucketSeries{index, std::vector<double>(replications, nan)});
        const auto r = static_cast<std::size_t>(rows.integer(1) - 1);
        if (r < replications) buckets.back().values[r] = rows.real(2);
    }
    model::judge_bucketed_target(t, buckets, replications);
    Statement insert(
        db,
        "INSERT INTO target_periods(point, class, target, metric, threshold_s, goal, by, periods_met, bucket,"
        " label, mean, ci95, n, met, p_met, confident) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const model::BucketResult& b : t.buckets) {
        insert.bind_int(1, point).bind(2, t.class_name).bind_int(3, target);
        insert.bind(4, std::string(model::metric_name(t.metric))).bind(5, model::target_parameter(t));
        insert.bind(6, t.goal).bind(7, by).bind(8, t.periods_met);
        insert.bind_int(9, static_cast<long long>(b.index + 1)).bind(10, model::bucket_label(t.by, b.index));
        insert.bind(11, b.value.mean).bind(12, b.value.ci95).bind_int(13, static_cast<long long>(b.value.n));
        insert.bind_int(14, b.met ? 1 : 0).bind(15, b.p_met).bind_int(16, b.confident ? 1 : 0);
        insert.run();
    }
}

/// Fills `summary`, the judged columns of `targets` and `target_periods` for `point` from its
/// stored `replications`.
void summarise_point(sqlite3* db, long long point, std::size_t replications) {
    Statement rows(db,
                   "SELECT kind, name, metric, threshold_s, value FROM replications WHERE point = ? "
                   "ORDER BY replication, rowid");
    rows.bind_int(1, point);
    struct Series {
        std::string kind, name, metric;
        double threshold_s;
        std::vector<double> values;
    };
    std::vector<Series> series;
    std::map<std::string, std::size_t> index;
    while (rows.step()) {
        const double threshold = rows.real(3);
        const std::string key =
            rows.text(0) + '\n' + rows.text(1) + '\n' + rows.text(2) + '\n' + model::format_number(threshold);
        auto [it, fresh] = index.emplace(key, series.size());
        if (fresh) series.push_back(Series{rows.text(0), rows.text(1), rows.text(2), threshold, {}});
        series[it->second].values.push_back(rows.real(4));
    }
    erase_point(db, "summary", point);
    Statement insert(db,
                     "INSERT INTO summary(point, kind, name, metric, threshold_s, mean, ci95, n) "
                     "VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    for (const Series& s : series) {
        const model::Figure f = model::make_figure(s.values);
        insert.bind_int(1, point).bind(2, s.kind).bind(3, s.name).bind(4, s.metric).bind(5, s.threshold_s);
        insert.bind(6, f.mean).bind(7, f.ci95).bind_int(8, static_cast<long long>(f.n));
        insert.run();
    }
    erase_point(db, "target_periods", point);
    Statement goals(db,
                    "SELECT rowid, class, metric, threshold_s, goal, by, periods_met, target FROM targets"
                    " WHERE point = ?"
                    " ORDER BY rowid");
    goals.bind_int(1, point);
    Statement judge(db,
                    "UPDATE targets SET mean = ?, ci95 = ?, met = ?, p_met = ?, confident = ?, worst_bucket = ?"
                    " WHERE rowid = ?");
    while (goals.step()) {
        model::TargetResult t;
        const model::TargetMetric* metric = model::find_target_metric(goals.text(2));
        if (metric == nullptr) throw std::runtime_error("the store names an unknown target metric: " + goals.text(2));
        t.metric = metric->metric;
        if (metric->parameter.member) t.*metric->parameter.member = goals.real(3);
        t.goal = goals.real(4);
        t.by = period_named(goals.text(5));
        t.periods_met = goals.real(6);
        t.class_name = goals.text(1);
        if (t.by != model::TargetSpec::Period::window) {
            judge_target_periods(db, point, goals.integer(7), replications, t);
            if (t.buckets.empty())
                judge.bind_null(6);
            else
                judge.bind(6, model::bucket_label(t.by, t.worst_bucket));
        } else {
            const std::string key = std::string("class\n") + goals.text(1) + '\n' + goals.text(2) + '\n' +
                                    model::format_number(goals.real(3));
            const auto it = index.find(key);
            std::vector<double> values;
            if (it != index.end()) values = series[it->second].values;
            model::judge_target(t, values);
            judge.bind_null(6);
        }
        judge.bind(1, t.value.mean).bind(2, t.value.ci95).bind_int(3, t.met ? 1 : 0).bind(4, t.p_met);
        judge.bind_int(5, t.confident ? 1 : 0).bind_int(7, goals.integer(0));
        judge.run();
    }
}

}  // namespace

SweepStore::SweepStore(const std::string& path, const scenario::SweepSpec& sweep, std::size_t shard, std::size_t shards)
    : replications_(sweep.replications) {
    report::check_output_file(path);  // not a device, a FIFO or a directory
    lock_ = std::make_unique<StoreLock>(path, path +
                                                  " is being written by another crsim sweep: wait until it ends, "
                                                  "then run this command again to resume the store if the other did "
                                                  "not finish it");
    db_ = std::make_unique<Database>(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3* db = *db_;
    check_is_store(db, path, true);  // another SQLite database is left as it was
    {
        exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
        std::map<std::string, std::string> wanted = {
            {"crsim_version", model::version()},
            {"sweep_sha256", sweep.sha256},
            {"base_scenario_sha256", sweep.base_sha256},
            {"seed", std::to_string(sweep.seed)},
            {"replications", std::to_string(sweep.replications)},
            {"sweep_file", sweep.file},
            {"base_scenario", sweep.base},
            {"design", sweep.design},
            {"points", std::to_string(sweep.points.size())},
            {"random_streams", "common random numbers: replication r of every point uses the streams of (seed, r)"},
        };
        if (sweep.window) {
            // The figures describe the calls arriving in this window (crsim run --window).
            wanted["window"] = *sweep.window;
            if (!sweep.specs.empty() && sweep.specs.front().window)
                wanted["window_description"] = model::describe(*sweep.specs.front().window);
        }
        if (shards > 1) wanted["shard"] = std::to_string(shard) + "/" + std::to_string(shards);
        Transaction transaction(db, "BEGIN IMMEDIATE");
        if (!table_names(db, path).empty()) {
            const auto meta = read_meta(db);
            transaction.rollback();
            for (const char* key : identity_keys) {
                const auto it = meta.find(key);
                if (it == meta.end())
                    throw StoreMismatch(path + " is not a crsim sweep store (its meta has no " + key + ")");
                if (it->second != wanted[key]) {
                    const std::string what = std::string(key) == "sweep_sha256"           ? "the sweep file"
                                             : std::string(key) == "base_scenario_sha256" ? "the base scenario"
                                                                                          : key;
                    throw StoreMismatch(path + " was made from another version of " + what + " (" + key + " " +
                                        it->second + ", now " + wanted[key] +
                                        "); use a new --out file, or remove this one to start again");
                }
            }
            const auto shard_it = meta.find("shard");
            const std::string had = shard_it == meta.end() ? "none" : shard_it->second;
            const std::string now = shards > 1 ? wanted["shard"] : "none";
            if (had != now) throw StoreMismatch(path + " holds shard " + had + " of the sweep, not " + now);
            check_current_schema(db, path, meta);
            return;
        }
        create_tables(db);
        wanted["created"] = now_utc();
        Statement meta(db, "INSERT INTO meta(key, value) VALUES(?, ?)");
        for (const auto& [key, value] : wanted) {
            meta.bind(1, key).bind(2, value);
            meta.run();
        }
        std::string columns = "point INTEGER PRIMARY KEY";
        std::string placeholders = "?";
        for (std::size_t k = 0; k < sweep.parameters.size(); ++k) {
            const scenario::SweepParameter& p = sweep.parameters[k];
            columns += ", " + quote_identifier(p.name) + " " + column_type(sweep, k) + ", " +
                       quote_identifier(p.name + "_value") + " REAL";
            placeholders += ", ?, ?";
        }
        exec(db, "CREATE TABLE points(" + columns + ")");
        exec(db, results_view);
        Statement point(db, "INSERT INTO points VALUES(" + placeholders + ")");
        Statement goal(db,
                       "INSERT INTO targets(point, class, target, metric, threshold_s, goal, by, periods_met)"
                       " VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
        for (std::size_t p = 0; p < sweep.points.size(); ++p) {
            point.bind_int(1, static_cast<long long>(p + 1));
            for (std::size_t k = 0; k < sweep.parameters.size(); ++k) {
                const std::string& text = sweep.points[p][k];
                point.bind(static_cast<int>(2 + 2 * k), text);
                point.bind(static_cast<int>(3 + 2 * k), scenario::base_unit_value(text).value_or(nan));
            }
            point.run();
            for (const model::ClassSpec& c : sweep.specs.at(p).classes) {
                for (std::size_t i = 0; i < c.targets.size(); ++i) {
                    const model::TargetSpec& t = c.targets[i];
                    goal.bind_int(1, static_cast<long long>(p + 1)).bind(2, c.name);
                    goal.bind_int(3, static_cast<long long>(i + 1));
                    goal.bind(4, std::string(model::metric_name(t.metric)));
                    goal.bind(5, model::target_parameter(t));
                    goal.bind(6, t.goal).bind(7, std::string(model::target_period(t.by).name));
                    goal.bind(8, t.periods_met);
                    goal.run();
                }
            }
        }
        transaction.commit();
    }
}

SweepStore::~SweepStore() {
    // Back to a rollback journal when the sweep leaves: the store is then one self-contained file that
    // can be read from read-only storage (a WAL database needs to write its -shm file even to be read).
    // Skipped, without waiting, while another connection reads it; the next sweep sets WAL again.
    sqlite3_busy_timeout(*db_, 0);
    sqlite3_exec(*db_, "PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr);
}

std::set<std::pair<std::size_t, std::size_t>> SweepStore::done_tasks() const {
    std::set<std::pair<std::size_t, std::size_t>> done;
    Statement s(*db_, "SELECT point, replication FROM tasks WHERE status = 'done'");
    while (s.step()) done.emplace(static_cast<std::size_t>(s.integer(0)), static_cast<std::size_t>(s.integer(1)));
    return done;
}

void SweepStore::commit(const std::vector<TaskResult>& results) {
    Transaction transaction(*db_, "BEGIN IMMEDIATE");
    {
        Statement task(*db_, "INSERT INTO tasks(point, replication, status, seconds) VALUES(?, ?, 'done', ?)");
        Statement row(*db_,
                      "INSERT INTO replications(point, replication, kind, name, metric, threshold_s, value) "
                      "VALUES(?, ?, ?, ?, ?, ?, ?)");
        Statement bucket(*db_,
                         "INSERT INTO target_period_replications(point, replication, class, metric, threshold_s, by,"
                         " bucket, value) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
        std::set<std::size_t> touched;
        for (const TaskResult& r : results) {
            const auto point = static_cast<long long>(r.task.point);
            const auto replication = static_cast<long long>(r.task.replication);
            task.bind_int(1, point).bind_int(2, replication).bind(3, r.seconds);
            if (!task.try_run()) continue;  // already stored (a duplicate delivery)
            for (const FigureRow& f : r.rows) {
                row.bind_int(1, point).bind_int(2, replication).bind(3, f.kind).bind(4, f.name).bind(5, f.metric);
                row.bind(6, f.threshold_s).bind(7, f.value);
                row.run();
            }
            for (const BucketRow& b : r.buckets) {
                bucket.bind_int(1, point).bind_int(2, replication).bind(3, b.class_name).bind(4, b.metric);
                bucket.bind(5, b.threshold_s).bind(6, b.by).bind_int(7, static_cast<long long>(b.bucket));
                bucket.bind(8, b.value);
                bucket.run();
            }
            touched.insert(r.task.point);
        }
        Statement count(*db_, "SELECT count(*) FROM tasks WHERE point = ? AND status = 'done'");
        for (const std::size_t p : touched) {
            count.bind_int(1, static_cast<long long>(p));
            count.step();
            const auto n = static_cast<std::size_t>(count.integer(0));
            count.reset();
            if (n == replications_) summarise_point(*db_, static_cast<long long>(p), replications_);
        }
    }
    transaction.commit();
}

MergeReport SweepStore::merge(const std::vector<std::string>& inputs, const std::string& out) {
    if (inputs.empty()) throw std::runtime_error("no stores to merge");
    // Check every input first: a store, of one sweep, each file once, shards of one N and each once.
    std::map<std::string, std::string> first;
    std::map<std::pair<dev_t, ino_t>, std::string> files;
    std::map<std::string, std::string> shard_of;  // "I/N" -> the input holding it
    std::string shards_n;                         // N of the first sharded input
    for (const std::string& in : inputs) {
        struct stat st {};
        if (::stat(in.c_str(), &st) == 0) {
            const auto [it, fresh] = files.emplace(std::make_pair(st.st_dev, st.st_ino), in);
            if (!fresh) throw StoreMismatch(in + " is the same store as " + it->second + ": give each store once");
        }
        std::map<std::string, std::string> meta;
        {
            const Database db(in, SQLITE_OPEN_READONLY);
            check_is_store(db, in, false);
            meta = read_meta(db);
            check_current_schema(db, in, meta);
        }
        for (const char* key : identity_keys) {
            if (!meta.count(key)) throw StoreMismatch(in + " is not a crsim sweep store (its meta has no " + key + ")");
            if (!first.empty() && meta[key] != first[key])
                throw StoreMismatch(in + " is a store of another sweep than " + inputs.front() + " (" + key + " " +
                                    meta[key] + " vs " + first[key] + ")");
        }
        if (first.empty()) first = meta;
        if (const auto shard = meta.find("shard"); shard != meta.end()) {
            const std::string n = shard->second.substr(shard->second.find('/') + 1);
            if (shards_n.empty()) shards_n = n;
            if (n != shards_n)
                throw StoreMismatch(in + " is shard " + shard->second + " but " + shard_of.begin()->second +
                                    " is shard " + shard_of.begin()->first + ": merge the shards of one --shard I/N");
            const auto [it, fresh] = shard_of.emplace(shard->second, in);
            if (!fresh) throw StoreMismatch(in + " and " + it->second + " both hold shard " + shard->second);
        }
    }
    MergeReport report;
    if (!shards_n.empty()) {
        const std::size_t n = std::stoul(shards_n);
        for (std::size_t i = 1; i <= n; ++i)
            if (!shard_of.count(std::to_string(i) + "/" + shards_n))
                report.missing_shards.push_back(std::to_string(i) + "/" + shards_n);
    }
    namespace fs = std::filesystem;
    const fs::path target(out);
    std::string hidden = target.filename().string();
    hidden.append(".merging");
    const fs::path temporary = target.parent_path() / hidden;
    // The temporary file is locked while it is written and until it has its final name: a second
    // merge into the same new store waits for nothing and exits, instead of writing the same file.
    const StoreLock lock(temporary.string(), out + " is being written by another crsim merge: wait until it ends (" +
                                                 out + " then exists), or merge into another file");
    if (fs::exists(target))
        throw StoreMismatch(out + " exists (another crsim merge wrote it meanwhile); merge into a new file");
    // What a killed merge left; the file itself stays, emptied, since it carries the lock.
    {
        std::error_code ignored;
        for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(temporary.string() + suffix, ignored);
    }
    lock.truncate();
    TemporaryStore unfinished(temporary.string());  // removed unless it gets its final name
    {
        const Database db(temporary.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        exec(db, "PRAGMA synchronous = FULL;");
        // The first store gives the schema of `points`; every table is then filled from all stores.
        std::string points_sql;
        {
            const Database src(inputs.front(), SQLITE_OPEN_READONLY);
            Statement s(src, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'points'");
            if (s.step()) points_sql = s.text(0);
        }
        {
            Transaction schema(db);
            create_tables(db);
            exec(db, points_sql);
            exec(db, results_view);
            schema.commit();
        }
        Transaction transaction(db);
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            Statement attach(db, "ATTACH DATABASE ? AS src");
            attach.bind(1, inputs[i]);
            attach.run();
            exec(db,
                 "INSERT OR IGNORE INTO main.meta SELECT * FROM src.meta WHERE key <> 'shard';"
                 "INSERT OR IGNORE INTO main.points SELECT * FROM src.points;"
                 "INSERT OR IGNORE INTO main.targets(point, class, target, metric, threshold_s, goal, by, periods_met)"
                 " SELECT point, class, target, metric, threshold_s, goal, by, periods_met FROM src.targets ORDER BY "
                 "rowid;"
                 "INSERT INTO main.replications SELECT r.* FROM src.replications r WHERE NOT EXISTS ("
                 "  SELECT 1 FROM main.tasks t WHERE t.point = r.point AND t.replication = r.replication)"
                 "  AND EXISTS (SELECT 1 FROM src.tasks s WHERE s.point = r.point AND s.replication = r.replication"
                 "  AND s.status = 'done') ORDER BY r.rowid;"
                 "INSERT INTO main.target_period_replications SELECT r.* FROM src.target_period_replications r"
                 "  WHERE NOT EXISTS (SELECT 1 FROM main.tasks t WHERE t.point = r.point"
                 "  AND t.replication = r.replication) AND EXISTS (SELECT 1 FROM src.tasks s WHERE s.point = r.point"
                 "  AND s.replication = r.replication AND s.status = 'done') ORDER BY r.rowid;"
                 "INSERT OR IGNORE INTO main.tasks SELECT * FROM src.tasks WHERE status = 'done';");
            // Each store in a transaction of its own (a store can be detached only outside one).
            exec(db, "COMMIT; DETACH DATABASE src; BEGIN");
        }
        const long long replications = std::stoll(first["replications"]);
        Statement complete(db, "SELECT point FROM tasks WHERE status = 'done' GROUP BY point HAVING count(*) = ?");
        complete.bind_int(1, replications);
        std::vector<long long> points;
        while (complete.step()) points.push_back(complete.integer(0));
        for (const long long p : points) summarise_point(db, p, static_cast<std::size_t>(replications));
        Statement counts(db, "SELECT (SELECT count(*) FROM points), (SELECT count(*) FROM tasks)");
        counts.step();
        report.points = static_cast<std::size_t>(counts.integer(0));
        report.tasks = report.points * static_cast<std::size_t>(replications);
        report.tasks_done = static_cast<std::size_t>(counts.integer(1));
        report.points_complete = points.size();
        transaction.commit();
    }
    if (::rename(temporary.c_str(), target.c_str()) != 0)
        throw std::runtime_error("cannot write " + out + ": " + std::strerror(errno));
    unfinished.keep();
    return report;
}

void SweepStore::export_csv(const std::string& path, const std::string& dir) {
    // Read-only: a finished store (left in rollback-journal mode) can be exported from read-only storage.
    const Database db(path, SQLITE_OPEN_READONLY);
    check_is_store(db, path, false);
    try {
        report::create_output_directory(dir, "--csv");  // --csv /dev/null, or under a file: a bad option
    } catch (const report::OutputRefused& e) {
        throw StoreMismatch(e.what());
    }
    const std::set<std::string> present = table_names(db, path);
    for (const char* table : tables) {
        if (!present.count(table)) continue;  // a store of an earlier crsim, without the newer tables
        const std::string order = std::string(table) == "meta"                         ? "key"
                                  : std::string(table) == "points"                     ? "point"
                                  : std::string(table) == "replications"               ? "point, replication, rowid"
                                  : std::string(table) == "tasks"                      ? "point, replication"
                                  : std::string(table) == "target_period_replications" ? "point, replication, rowid"
                                                                                       : "point, rowid";
        Statement s(db, std::string("SELECT * FROM ") + table + " ORDER BY " + order);
        std::ostringstream text;
        const int n = sqlite3_column_count(s.get());
        // Verdicts are written true/false, as in `crsim run`'s targets.csv (0/1 in SQLite).
        std::vector<bool> boolean(static_cast<std::size_t>(n), false);
        for (int i = 0; i < n; ++i) {
            const std::string name = sqlite3_column_name(s.get(), i);
            boolean[static_cast<std::size_t>(i)] =
                (std::string(table) == "targets" || std::string(table) == "target_periods") &&
                (name == "met" || name == "confident");
        }
        for (int i = 0; i < n; ++i) text << (i ? "," : "") << report::csv_field(sqlite3_column_name(s.get(), i));
        text << '\n';
        while (s.step()) {
            for (int i = 0; i < n; ++i) {
                if (i) text << ',';
                switch (sqlite3_column_type(s.get(), i)) {
                    case SQLITE_NULL:
                        break;
                    case SQLITE_INTEGER:
                        if (boolean[static_cast<std::size_t>(i)])
                            text << (s.integer(i) != 0 ? "true" : "false");
                        else
                            text << s.integer(i);
                        break;
                    case SQLITE_FLOAT:
                        text << model::format_number(s.real(i));
                        break;
                    default:
                        text << report::csv_field(s.text(i));
                }
            }
            text << '\n';
        }
        report::write_file_atomically(std::filesystem::path(dir) / (std::string(table) + ".csv"), text.str());
    }
}

}  // namespace crsim::sweep
