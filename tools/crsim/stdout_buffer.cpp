#include "stdout_buffer.hpp"

#include <unistd.h>

#include <cerrno>

namespace crsim::cli {

StdoutBuffer::StdoutBuffer() : buffer_(1 << 16) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }

StdoutBuffer::~StdoutBuffer() { sync(); }

std::streambuf::int_type StdoutBuffer::overflow(int_type c) {
    if (!write_out()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
        *pptr() = traits_type::to_char_type(c);
        pbump(1);
    }
    return traits_type::not_eof(c);
}

int StdoutBuffer::sync() { return write_out() ? 0 : -1; }

bool StdoutBuffer::write_out() {
    const char* data = pbase();
    std::size_t left = static_cast<std::size_t>(pptr() - pbase());
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    while (left > 0 && !reader_gone_) {
        const ssize_t written = ::write(STDOUT_FILENO, data, left);
        if (written < 0) {
            if (errno == EINTR) continue;
            if (errno != EPIPE) return false;
            reader_gone_ = true;
            break;
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
    return true;
}

}  // namespace crsim::cli
