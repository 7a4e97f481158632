#include "crsim/model/version.hpp"

namespace crsim::model {

const char* version() { return CRSIM_VERSION; }

}  // namespace crsim::model
