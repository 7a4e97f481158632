#include "crsim/report/result_set.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>

#include "crsim/report/atomic_file.hpp"

namespace crsim::report {

namespace fs = std::filesystem;

namespace {

constexpr const char* manifest_heading = "crsim result set";
constexpr const char* staging_marker = ".crsim-staging.";

[[noreturn]] void fail(const std::string& message, int error) {
    throw ResultSetError(message + ": " + std::strerror(error), false);
}

[[noreturn]] void refuse(const std::string& message) { throw ResultSetError(message, true); }

/// DIR without a trailing separator, and its parent ("." for a bare name).
struct Place {
    fs::path dir;
    fs::path parent;
    std::string name;
};

Place place_of(const fs::path& given) {
    fs::path dir = given.lexically_normal();
    if (!dir.has_filename()) {
        dir = dir.parent_path();
    }
    const std::string name = dir.filename().string();
    if (name.empty() || name == "." || name == "..") {
        refuse("--out " + given.string() +
               ": give the result directory by its own name (not /, . or ..): its whole "
               "content is replaced by each run");
    }
    Place p{dir, dir.parent_path(), name};
    if (p.parent.empty()) {
        p.parent = ".";
    }
    return p;
}

std::string staging_prefix(const Place& p) { return "." + p.name + staging_marker; }

fs::path staging_path(const Place& p) {
    static std::atomic<unsigned> counter{0};
    return p.parent / (staging_prefix(p) + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1)));
}

/// The file names a manifest lists, or nothing when `dir` has no manifest.
std::optional<std::set<std::string>> read_manifest(const fs::path& dir) {
    std::ifstream in(dir / result_manifest_name);
    if (!in) {
        return std::nullopt;
    }
    std::string line;
    if (!std::getline(in, line) || line != manifest_heading) {
        return std::nullopt;
    }
    std::set<std::string> names;
    while (std::getline(in, line)) {
        names.insert(line);
    }
    return names;
}

/// Refuses a `dir` that is not absent, empty, or a set this code wrote. Returns whether it exists.
bool check_existing(const Place& p) {
    struct stat st {};
    if (::lstat(p.dir.c_str(), &st) != 0) {
        if (errno == ENOENT) {
            return false;
        }
        fail("cannot examine " + p.dir.string(), errno);
    }
    if (S_ISLNK(st.st_mode)) {
        refuse("--out " + p.dir.string() +
               " is a symbolic link: give the directory itself (the whole directory is "
               "replaced by each run)");
    }
    if (!S_ISDIR(st.st_mode)) {
        refuse("--out " + p.dir.string() + " exists and is not a directory (give a new directory name)");
    }
    const auto listed = read_manifest(p.dir);
    std::error_code error;
    for (const fs::directory_entry& e : fs::directory_iterator(p.dir, error)) {
        const std::string name = e.path().filename().string();
        if (name == result_manifest_name) {
            continue;
        }
        std::error_code type_error;
        if (!listed || listed->count(name) == 0 || !e.is_regular_file(type_error) || e.is_symlink(type_error)) {
            refuse("--out " + p.dir.string() + " holds '" + name +
                   "', which no crsim run wrote there: each run replaces the whole directory, so give a new or empty "
                   "one, or one an earlier run wrote");
        }
    }
    if (error) {
        fail("cannot list " + p.dir.string(), error.value());
    }
    return true;
}

/// Removes staging directories beside DIR left by processes that no longer exist (killed runs).
void remove_stale_staging(const Place& p) {
    const std::string prefix = staging_prefix(p);
    std::error_code error;
    for (const fs::directory_entry& e : fs::directory_iterator(p.parent, error)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(prefix, 0) != 0) {
            continue;
        }
        const std::string rest = name.substr(prefix.size());
        const std::size_t dot = rest.find('.');
        long pid = 0;
        try {
            pid = std::stol(rest.substr(0, dot));
        } catch (const std::exception&) {
            continue;
        }
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
            std::error_code ignored;
            fs::remove_all(e.path(), ignored);
        }
    }
}

void write_whole(const fs::path& path, std::string_view content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        fail("cannot create " + path.string(), errno);
    }
    const char* data = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, left);
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int e = errno;
            ::close(fd);
            fail("cannot write " + path.string(), e);
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
    // Without fsync a crash soon after the swap could leave empty files under the final names.
    if (::fsync(fd) != 0) {
        const int e = errno;
        ::close(fd);
        fail("cannot write " + path.string(), e);
    }
    if (::close(fd) != 0) {
        fail("cannot write " + path.string(), errno);
    }
}

void sync_directory(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

/// The signals that end a run politely; held while a set is staged.
sigset_t held_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (const int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
        sigaddset(&set, s);
    }
    return set;
}

/// Holds the signals for its lifetime; says whether one arrived meanwhile.
class SignalHold {
public:
    SignalHold() {
        const sigset_t set = held_signals();
        ::pthread_sigmask(SIG_BLOCK, &set, &before_);
    }
    ~SignalHold() { ::pthread_sigmask(SIG_SETMASK, &before_, nullptr); }
    SignalHold(const SignalHold&) = delete;
    SignalHold& operator=(const SignalHold&) = delete;

    bool signalled() const {
        sigset_t pending;
        sigemptyset(&pending);
        ::sigpending(&pending);
        for (const int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
            if (sigismember(&pending, s) == 1 && sigismember(&before_, s) != 1) {
                return true;
            }
        }
        return false;
    }

private:
    sigset_t before_{};
};

}  // namespace

void prepare_result_dir(const fs::path& dir) {
    const Place p = place_of(dir);
    try {
        create_output_directory(p.parent, "--out");
    } catch (const OutputRefused& e) {
        refuse(e.what());
    } catch (const std::runtime_error& e) {
        throw ResultSetError(e.what(), false);
    }
    remove_stale_staging(p);
    const bool exists = check_existing(p);
    // The old set is removed after the swap: that needs write access to DIR itself.
    if (exists && ::access(p.dir.c_str(), W_OK | X_OK) != 0) {
        fail("cannot write in " + p.dir.string(), errno);
    }
    // The staging directory goes beside DIR: try it now rather than after the run.
    const fs::path probe = staging_path(p);
    if (::mkdir(probe.c_str(), 0777) != 0) {
        fail("cannot create a directory in " + p.parent.string(), errno);
    }
    ::rmdir(probe.c_str());
}

void write_result_set(const fs::path& dir, const std::vector<ResultFile>& files) {
    const Place p = place_of(dir);
    for (const ResultFile& f : files) {
        if (f.name.empty() || f.name.find('/') != std::string::npos || f.name == result_manifest_name ||
            f.name == "." || f.name == "..") {
            throw std::invalid_argument("write_result_set: bad file name '" + f.name + "'");
        }
    }
    prepare_result_dir(dir);

    SignalHold hold;
    const fs::path staging = staging_path(p);
    if (::mkdir(staging.c_str(), 0777) != 0) {
        fail("cannot create a directory in " + p.parent.string(), errno);
    }
    bool swapped = false;
    struct Cleanup {
        const fs::path& path;
        const bool& keep;
        ~Cleanup() {
            if (!keep) {
                std::error_code ignored;
                fs::remove_all(path, ignored);
            }
        }
    } cleanup{staging, swapped};

    std::string manifest = std::string(manifest_heading) + "\n";
    for (const ResultFile& f : files) {
        if (hold.signalled()) {
            throw ResultSetError("interrupted: " + p.dir.string() + " left as it was", false);
        }
        write_whole(staging / f.name, f.content);
        manifest += f.name + "\n";
    }
    write_whole(staging / result_manifest_name, manifest);
    sync_directory(staging);
    if (hold.signalled()) {
        throw ResultSetError("interrupted: " + p.dir.string() + " left as it was", false);
    }

    // The one step that changes what DIR holds.
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, p.dir.c_str(), RENAME_EXCHANGE) == 0) {
        swapped = true;  // the old set is now at `staging`: removed below
    } else if (errno == ENOENT) {
        if (::rename(staging.c_str(), p.dir.c_str()) != 0) {
            fail("cannot move the results into " + p.dir.string(), errno);
        }
        swapped = true;
        sync_directory(p.parent);
        return;
    } else if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) {
        // A file system without the exchange: two renames, with a moment when DIR is absent (a
        // reader then finds no set rather than a mixed one).
        const fs::path old = staging_path(p);
        if (::rename(p.dir.c_str(), old.c_str()) != 0) {
            fail("cannot move the old results out of " + p.dir.string(), errno);
        }
        if (::rename(staging.c_str(), p.dir.c_str()) != 0) {
            const int e = errno;
            ::rename(old.c_str(), p.dir.c_str());
            fail("cannot move the results into " + p.dir.string(), e);
        }
        swapped = true;
        sync_directory(p.parent);
        std::error_code ignored;
        fs::remove_all(old, ignored);
        return;
    } else {
        fail("cannot move the results into " + p.dir.string(), errno);
    }
    sync_directory(p.parent);
    std::error_code ignored;
    fs::remove_all(staging, ignored);
}

}  // namespace crsim::report
