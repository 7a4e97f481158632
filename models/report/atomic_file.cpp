#include "crsim/report/atomic_file.hpp"

#include <fcntl.h>
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

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
    // POSIX calls rather than std::ofstream: an ofstream cannot fsync, and without fsync a crash
    // after the rename may leave an empty file under the final name on some file systems.
    std::filesystem::path temp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temp = temporary_name(path);
        // 0666 lets the umask decide the permissions, as for any other file the user creates.
        fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) fail(path, "cannot create a temporary file", errno);
    }
    if (fd < 0) fail(path, "cannot create a temporary file", EEXIST);

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
