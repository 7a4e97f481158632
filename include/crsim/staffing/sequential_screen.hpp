#pragma once
/// \file
/// Sequential testing for `crsim staff`'s yes-or-no questions (does one person fewer still meet every
/// target?): the replications of a candidate run in stages, and one whose first stages already show
/// it failing a target beyond reasonable doubt is not run to the end. Most candidates a polish tries
/// fail, many of them clearly, so this is where the search's simulation time goes.

#include <cstddef>
#include <vector>

#include "crsim/model/summary.hpp"

namespace crsim::staffing {

/// The numbers of replications after which a question on n replications is looked at before its
/// end: a quarter and a half of n, each at least 3 (fewer tell nothing of the spread) and below n.
/// They depend on n only, so that the answer does not depend on the threads.
std::vector<std::size_t> screening_looks(std::size_t n);

/// Whether `check`, judged on the first k of n replications, clearly fails: even an optimistic
/// prediction of its figure over all n replications (its mean plus the spread of the n − k to come,
/// at `screen_confidence`) misses the bound the criterion at `confidence` asks of n replications.
bool clearly_fails(const model::TargetCheck& check, std::size_t k, std::size_t n, double confidence);

/// Some check of `checks` (on k of n replications) clearly fails.
bool some_clearly_fails(const std::vector<model::TargetCheck>& checks, std::size_t k, std::size_t n, double confidence);

/// How sure a screen must be before it drops a candidate: one-sided, per check.
constexpr double screen_confidence = 0.99;

}  // namespace crsim::staffing
