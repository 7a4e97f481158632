#pragma once
// `crsim sweep` under MPI (Boost.MPI over Open MPI), when built with MPI support.

#include <string>

namespace crsim::cli {

/// True when MPI support is built in (crsim --version: "mpi: yes").
bool mpi_built_in();

/// True when this process was started by an MPI launcher (mpirun, mpiexec, srun) and MPI support
/// is built in.
bool mpi_launched();

/// Runs the sweep across the ranks: rank 0 opens the store, hands out small batches of tasks on
/// request and alone writes; every rank (rank 0 too, on a thread of its own) simulates. Returns
/// the exit status (the same on every rank). Points beyond the work limits are refused (exit 2)
/// before anything runs unless `allow_large`.
int sweep_mpi(const std::string& sweep_file, const std::string& out, bool allow_large);

}  // namespace crsim::cli
