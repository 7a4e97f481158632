#pragma once
/// \file
/// std::cout's buffer for crsim: a reader that stops early (crsim run ... | head -c 10) ends the
/// output quietly, the same way on every try.

#include <streambuf>
#include <vector>

namespace crsim::cli {

/// Writes to file descriptor 1. When the reader has closed the pipe (EPIPE; SIGPIPE is ignored),
/// the rest of the output is dropped and the stream stays good: whether a write came before or
/// after the reader left is a matter of timing, so it must not change what crsim reports or its
/// exit status. Any other write error (a full disk) makes the stream fail, for the command to report.
class StdoutBuffer : public std::streambuf {
public:
    StdoutBuffer();
    ~StdoutBuffer() override;
    StdoutBuffer(const StdoutBuffer&) = delete;
    StdoutBuffer& operator=(const StdoutBuffer&) = delete;

protected:
    int_type overflow(int_type c) override;
    int sync() override;

private:
    bool write_out();
    std::vector<char> buffer_;
    bool reader_gone_ = false;
};

}  // namespace crsim::cli
