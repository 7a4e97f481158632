// Built without MPI: `crsim sweep` runs on threads only.
#include <iostream>

#include "sweep_mpi.hpp"

namespace crsim::cli {

bool mpi_built_in() { return false; }

bool mpi_launched() { return false; }

int sweep_mpi(const std::string&, const std::string&, bool) {
    std::cerr << "crsim sweep: error: this crsim was built without MPI support\n";
    return 2;
}

}  // namespace crsim::cli
