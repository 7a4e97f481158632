# The long test cases of the doctest suites and their cost, so that `ctest -j` starts them first on
# a clean clone (whose build directory has no Testing/Temporary/CTestCostData.txt yet, the measured
# times ctest uses once it has run): a long test started last keeps one core busy alone at the end
# of the stage. The command-line tests' costs are set in tests/CMakeLists.txt. Seconds under
# ASan+UBSan (the slower build, where the order matters most) from a clean clone's
# CTestCostData.txt, scaled by the simulated days where a case was shortened since; only their
# order matters. ctest includes this file after the suites' discovered
# cases (TEST_INCLUDE_FILES), and ignores a name that no longer exists.
set(crsim_test_costs
  "Erlang C: 300 calls an hour, 2 min handle time, 13 agents, no abandonment" 46
  "each recovery measure lifts the 101 service level of weeks 14-26 beyond the CIs, all together most" 44
  "a call-back offered to the second of two priority classes agrees with the Markov chain" 24
  "two rooms pooled by immediate overflow, two classes, agree with the Markov chain" 21
  "Erlang A: 120 calls an hour, 6 min handle time, 5 min patience, 13 agents" 15
  "Erlang A overloaded: 150 calls an hour, 6 min handle, 3 min patience, 12 agents" 7)
list(LENGTH crsim_test_costs length)
math(EXPR last "${length} - 1")
foreach(i RANGE 0 ${last} 2)
  math(EXPR j "${i} + 1")
  list(GET crsim_test_costs ${i} name)
  list(GET crsim_test_costs ${j} cost)
  set_tests_properties("${name}" PROPERTIES COST ${cost})
endforeach()
