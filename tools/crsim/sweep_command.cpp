// `crsim sweep`: runs every point x replication of a sweep file into a resumable SQLite store.
#include <boost/program_options.hpp>
#include <charconv>
#include <cstdlib>
#include <iostream>

#include "commands.hpp"
#include "crsim/scenario/sweep_file.hpp"
#include "crsim/sim/replication_runner.hpp"
#include "crsim/sweep/sweep_store.hpp"
#include "crsim/sweep/sweep_task.hpp"
#include "scenario_command_line.hpp"
#include "sweep_progress.hpp"

namespace crsim::cli::sweep_command {

namespace {

namespace po = boost::program_options;

constexpr const char* usage_line =
    "Usage: crsim sweep SWEEP.yaml --out RESULTS.sqlite [--threads T] [--shard I/N] [--allow-large] [--quiet]\n"
    "       mpirun -np K crsim sweep SWEEP.yaml --out RESULTS.sqlite\n";

constexpr const char* description =
    "Runs every point x replication of a sweep file (scenarios/sweeps/README.md) and stores every figure\n"
    "in one SQLite database (tables meta, points, replications, summary, targets, target_periods,\n"
    "target_period_replications, tasks and the view results; README.md, section Sweeps). Each finished\n"
    "task is committed with its figures in one transaction, so a killed sweep loses only the tasks in\n"
    "flight: the same command again resumes where it stopped. It refuses (exit 2) a store made from\n"
    "another version of the sweep file or of the base scenario.\n"
    "\n"
    "Replication r of every point uses the random streams of (seed, r) (common random numbers), so the\n"
    "stored values are the same whatever the number of threads, shards or MPI ranks.\n"
    "\n"
    "--shard I/N runs the fixed slice I (from 1) of N of the tasks into its own store, for job arrays;\n"
    "`crsim merge` combines the stores. Under mpirun (or srun) with MPI support built in (crsim\n"
    "--version says 'mpi: yes'), rank 0 hands out small batches of tasks and alone writes the store;\n"
    "every rank simulates. Progress (tasks done, tasks/s, ETA) goes to stderr when it is a terminal;\n"
    "the closing line always gives tasks/s.\n"
    "\n"
    "Before anything runs, every point is checked against the limits of `crsim run` (its replications\n"
    "on the threads used; see below), and refused with the point named. One sweep at a time writes a\n"
    "store: a second on the same --out exits with status 2 while the first runs.\n"
    "Exit status: 0 done, 1 failure while running or writing, 2 bad options, a bad sweep file or a point\n"
    "beyond the limits, a store of another sweep or in use.\n";

/// `I/N` with 1 <= I <= N.
std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
    const std::size_t slash = text.find('/');
    std::size_t i = 0, n = 0;
    const auto whole = [](std::string_view s, std::size_t& out) {
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return !s.empty() && ec == std::errc() && end == s.data() + s.size();
    };
    if (slash == std::string::npos || !whole(std::string_view(text).substr(0, slash), i) ||
        !whole(std::string_view(text).substr(slash + 1), n) || i < 1 || n < 1 || i > n || n > 1'000'000)
        throw UsageError("--shard: expected I/N with 1 <= I <= N (e.g. 1/4), got '" + text + "'");
    return {i, n};
}

}  // namespace

int run(int argc, const char* const* argv) {
    po::options_description options("Options", 100);
    options.add_options()("help,h", "print this help")("out,o", po::value<std::string>(),
                                                       "the SQLite store to create or resume (required)")(
        "threads,t", po::value<std::string>(), "worker threads; 0 = all cores (default 0)")(
        "shard", po::value<std::string>(), "run only the slice I of N of the tasks (I from 1), e.g. 2/4")(
        "quiet,q", "nothing on stderr unless something fails (no progress, notes or timing)");
    add_allow_large_option(options);
    po::options_description hidden;
    hidden.add_options()("sweep", po::value<std::string>(), "sweep file");
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positional;
    positional.add("sweep", 1);
    const CommandHelp help{"sweep", usage_line, description};
    po::variables_map vm;
    std::size_t shard = 1, shards = 1;
    unsigned threads = 0;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << usage_line << '\n' << description << '\n' << allow_large_help << '\n' << options;
            return 0;
        }
        if (!vm.count("sweep")) throw UsageError("missing the sweep file");
        if (!vm.count("out") || vm["out"].as<std::string>().empty())
            throw UsageError("--out RESULTS.sqlite is required");
        if (vm.count("shard")) std::tie(shard, shards) = parse_shard(vm["shard"].as<std::string>());
        if (vm.count("threads")) {
            const std::string& t = vm["threads"].as<std::string>();
            const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), threads);
            if (t.empty() || ec != std::errc() || end != t.data() + t.size() || threads > 100'000)
                throw UsageError("--threads: '" + t + "' is not a whole number from 0 to 100000");
        }
    } catch (const po::error& e) {
        return usage_error(help, option_error_text(e, options));
    } catch (const UsageError& e) {
        return usage_error(help, e.what());
    }
    const std::string out = vm["out"].as<std::string>();

    const bool allow_large = vm.count("allow-large") > 0;
    const bool quiet = vm.count("quiet") > 0;
    StderrSweepObserver observer(quiet);
    if (study::mpi_launched()) {
        if (vm.count("shard")) return usage_error(help, "--shard and MPI do not mix: MPI hands out the tasks itself");
        study::MpiSweepRequest request{vm["sweep"].as<std::string>(), out, {}, allow_large};
        request.approve = [&](const scenario::SweepLoadResult& loaded) {
            for (const scenario::Diagnostic& d : loaded.diagnostics) std::cerr << d.format() << '\n';
            return loaded.sweep && check_sweep_size(*loaded.sweep, 1, allow_large);
        };
        return study::run_sweep_mpi(request, observer);
    }

    const scenario::SweepLoadResult loaded = scenario::load_sweep(
        vm["sweep"].as<std::string>(), allow_large ? 0 : model::WorkLimits::for_this_machine().max_memory_bytes);
    for (const scenario::Diagnostic& d : loaded.diagnostics) std::cerr << d.format() << '\n';
    if (!loaded.sweep) return 2;
    const scenario::SweepSpec& sweep = *loaded.sweep;
    if (!check_sweep_size(sweep, threads == 0 ? sim::default_thread_count() : threads, allow_large)) return 2;

    std::optional<sweep::SweepStore> store;
    try {
        store.emplace(out, sweep, shard, shards);
    } catch (const sweep::StoreMismatch& e) {
        std::cerr << "crsim sweep: error: " << e.what() << '\n';
        return 2;
    }
    const std::size_t tasks = sweep::sweep_tasks(sweep, shard, shards).size();
    const std::vector<sweep::Task> pending = study::pending_tasks(sweep, *store, shard, shards);
    const unsigned workers = static_cast<unsigned>(std::max<std::size_t>(
        1, std::min<std::size_t>(threads == 0 ? sim::default_thread_count() : threads, pending.size())));
    if (!quiet) {
        std::cerr << "crsim sweep: " << sweep.points.size() << " points x " << sweep.replications << " replications";
        if (shards > 1) std::cerr << ", shard " << shard << "/" << shards << ": " << tasks << " tasks";
        std::cerr << "; " << tasks - pending.size() << " already done, " << pending.size() << " to run on " << workers
                  << " thread" << (workers == 1 ? "" : "s") << " into " << out << std::endl;
    }
    observer.started(pending.size(), workers, "thread");
    observer.finished(study::run_sweep_threads(sweep, pending, workers, *store, observer));
    return 0;
}

}  // namespace crsim::cli::sweep_command
