#include "crsim/report/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

namespace crsim::report {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int error) {
    throw std::runtime_error("cannot write " + path.string() + ": " + what + ": " + std::strerror(error));
}

/// A temporary file name unique within this process and, through the pid, across processes.
std::filesystem::path temporary_name(const std::filesystem::path& path) {
    static std::atomic<unsigned> counter{0};
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict, bug 105329) on "literal" + string&&.
    std::string name = ".";
    name += path.filename().string();
    name += ".tmp.";
    name += std::to_string(::getpid());
    name += '.';
    name += std::to_string(counter.fetch_add(1));
    return path.parent_path() / name;
}

/// Creates a new temporary file beside `path`, sets `temp` to its name and returns its descriptor.
int open_temporary(const std::filesystem::path& path, std::filesystem::path& temp) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        temp = temporary_name(path);
        // 0666 lets the umask decide the permissions, as for any other file the user creates.
        const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) return fd;
        if (errno != EEXIST) fail(path, "cannot create a temporary file", errno);
    }
    fail(path, "cannot create a temporary file", EEXIST);
}

/// Refuses a `path` that exists and is not a regular file: renaming over it would replace a
/// device (/dev/null), a FIFO or a socket by a regular file.
void refuse_non_regular(const std::filesystem::path& path) {
    // stat, not lstat: a symbolic link is judged by what it points to (x -> /dev/null is refused).
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return;
    const char* what = S_ISDIR(st.st_mode)    ? "a directory"
                       : S_ISCHR(st.st_mode)  ? "a character device"
                       : S_ISBLK(st.st_mode)  ? "a block device"
                       : S_ISFIFO(st.st_mode) ? "a FIFO"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : "not a regular file";
    throw OutputRefused("cannot write " + path.string() + ": it is " + what +
                        ", and crsim writes result files only as regular files (give a new file name)");
}

}  // namespace

void create_output_directory(const std::filesystem::path& dir, const std::string& option) {
    // The nearest part of `dir` that exists decides: a device or a file there (--out /dev/null)
    // cannot hold directories, which create_directories would report only as "Not a directory".
    const std::filesystem::path whole = dir.lexically_normal();
    for (std::filesystem::path part = whole; !part.empty(); part = part.parent_path()) {
        struct stat st {};
        if (::stat(part.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode))
                throw OutputRefused(option + " " + dir.string() + (part == whole ? "" : ": " + part.string()) +
                                    " exists and is not a directory (give a new directory name)");
            break;
        }
        if (part == part.parent_path()) break;
    }
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) throw std::runtime_error("cannot create directory " + dir.string() + ": " + error.message());
}

void check_output_file(const std::filesystem::path& path) {
    refuse_non_regular(path);
    // The temporary file the write will need, tried now (an unwritable directory).
    std::filesystem::path temp;
    ::close(open_temporary(path, temp));
    ::unlink(temp.c_str());
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
    refuse_non_regular(path);
    // POSIX calls rather than std::ofstream: an ofstream cannot fsync, and without fsync a crash
    // after the rename may leave an empty file under the final name on some file systems.
    std::filesystem::path temp;
    int fd = open_temporary(path, temp);

    const auto abandon = [&](const std::string& what) {
        const int error = errno;
        if (fd >= 0) ::close(fd);
        ::unlink(temp.c_str());
        fail(path, what, error);
    };
    const char* data = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, left);
        if (written < 0) {
            if (errno == EINTR) continue;
            abandon("write failed");
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
    if (::fsync(fd) != 0) abandon("fsync failed");
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0) abandon("close failed");
    if (::rename(temp.c_str(), path.c_str()) != 0) abandon("cannot rename the temporary file");
}

}  // namespace crsim::report
