// crsim: the command-line front end. Dispatches to one subcommand per file in this folder.
#include <csignal>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "crsim/report/atomic_file.hpp"
#include "crsim/scenario/diagnostic.hpp"
#include "crsim/scenario/suggest.hpp"
#include "crsim/study/sweep_study.hpp"
#include "stdout_buffer.hpp"

namespace {

struct Command {
    std::string_view name;
    std::string_view summary;
    int (*main)(int, const char* const*);
};

const std::vector<Command> commands = {
    {"run", "simulate a scenario's replications and report against its targets", crsim::cli::run_command::run},
    {"compare", "run scenarios with common random numbers and compare them with the first",
     crsim::cli::compare_command::run},
    {"validate", "check a scenario file without running it", crsim::cli::validate_command::run},
    {"check", "can the rostered staff carry the load? routing graph and capacity per interval",
     crsim::cli::check_command::run},
    {"erlang", "Erlang C / Erlang A calculator for one class and one pool", crsim::cli::erlang_command::run},
    {"sweep", "run every point x replication of a sweep file into a SQLite store", crsim::cli::sweep_command::run},
    {"export", "write the tables of a sweep store as CSV files", crsim::cli::store_commands::export_tables},
    {"merge", "combine the stores of one sweep's shards", crsim::cli::store_commands::merge_stores},
    {"staff", "the cheapest roster that meets every target with confidence (staffing: block)",
     crsim::cli::staff_command::run},
    {"fit", "fit a scenario to a call log: arrivals, handle times, patience, staffing", crsim::cli::fit_command::run},
    {"backtest", "simulate a scenario over a call log's dates and set it beside what happened",
     crsim::cli::backtest_command::run},
    {"scrutiny", "set reported weekly figures beside the model's one-week bands; test a change",
     crsim::cli::scrutiny_command::run},
    {"calibrate", "estimate scenario parameters from reported weekly figures", crsim::cli::calibrate_command::run},
};

void print_usage(std::ostream& out) {
    out << "Usage: crsim COMMAND [OPTIONS]\n\nCommands:\n";
    for (const Command& c : commands)
        out << "  " << c.name << std::string(10 - c.name.size(), ' ') << c.summary << '\n';
    out << "\nRun 'crsim COMMAND --help' for a command's options; 'crsim --version' for the version.\n";
}

/// std::cerr's buffer wrapped so that everything crsim says on stderr passes the terminal rule
/// (scenario::terminal_text): bytes from the input are never sent raw to the terminal.
class TerminalSafeBuffer : public std::streambuf {
public:
    explicit TerminalSafeBuffer(std::streambuf* target) : target_(target) {}

protected:
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        const char ch = traits_type::to_char_type(c);
        return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        const std::string safe = crsim::scenario::terminal_text(std::string_view(s, static_cast<std::size_t>(n)));
        const auto size = static_cast<std::streamsize>(safe.size());
        return target_->sputn(safe.data(), size) == size ? n : 0;
    }
    int sync() override { return target_->pubsync(); }

private:
    std::streambuf* target_;
};

}  // namespace

int main(int argc, char** argv) {
    std::streambuf* const stderr_buffer = std::cerr.rdbuf();
    TerminalSafeBuffer safe_stderr(stderr_buffer);
    std::cerr.rdbuf(&safe_stderr);
    // Restored before the buffer above is destroyed, for output at exit.
    struct Restore {
        std::streambuf* buffer;
        ~Restore() { std::cerr.rdbuf(buffer); }
    } restore{stderr_buffer};
    // A reader that closes stdout early (crsim run ... | head -1) must not kill crsim before it
    // has finished writing files; the rest of the report is dropped quietly (stdout_buffer.hpp).
    std::signal(SIGPIPE, SIG_IGN);
    crsim::cli::StdoutBuffer stdout_buffer;
    std::streambuf* const cout_buffer = std::cout.rdbuf(&stdout_buffer);
    struct RestoreCout {
        std::streambuf* buffer;
        ~RestoreCout() {
            std::cout.flush();
            std::cout.rdbuf(buffer);
        }
    } restore_cout{cout_buffer};
    if (argc < 2) {
        print_usage(std::cerr);
        return 2;
    }
    const std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        print_usage(std::cout);
        return 0;
    }
    if (name == "--version") {
        std::cout << "crsim " << CRSIM_VERSION << '\n'
                  << "mpi: " << (crsim::study::mpi_built_in() ? "yes" : "no") << '\n';
        return 0;
    }
    for (const Command& c : commands) {
        if (c.name != name) continue;
        try {
            return c.main(argc - 1, argv + 1);
        } catch (const std::bad_alloc&) {
            std::cerr << "crsim " << name << ": error: out of memory (try fewer --threads or --replications, or a "
                      << "smaller scenario)\n";
            return 1;
        } catch (const crsim::report::OutputRefused& e) {
            std::cerr << "crsim " << name << ": error: " << e.what() << '\n';
            return 2;
        } catch (const std::exception& e) {
            std::cerr << "crsim " << name << ": error: " << e.what() << '\n';
            return 1;
        }
    }
    std::vector<std::string> names;
    for (const Command& c : commands) names.emplace_back(c.name);
    const auto best = crsim::scenario::closest(name, names);
    std::cerr << "crsim: unknown command '" << name << "'" << (best ? " (did you mean '" + *best + "'?)" : "")
              << "\n\n";
    print_usage(std::cerr);
    return 2;
}
