// Built without MPI: `crsim sweep` runs on threads only.
#include "crsim/study/sweep_study.hpp"

namespace crsim::study {

bool mpi_built_in() { return false; }

bool mpi_launched() { return false; }

int run_sweep_mpi(const MpiSweepRequest&, SweepObserver& observer) {
    observer.error("this crsim was built without MPI support");
    return 2;
}

}  // namespace crsim::study
