# The long test cases of the doctest suites and their cost, so that `ctest -j` starts them first on
# a clean clone (whose build directory has no Testing/Temporary/CTestCostData.txt yet, the measured
# times ctest uses once it has run): a long test started last keeps one core busy alone at the end
# of the stage. The command-line tests' costs are set in tests/CMakeLists.txt. Seconds under
# ASan+UBSan (the slower build, where the order matters most) from a clean clone's (4c4dafa's)
# LastTest.log, at ctest -j3 beside the ThreadSanitizer build; only their order matters. ctest
# includes this file after the suites' discovered cases (TEST_INCLUDE_FILES), and ignores a name
# that no longer exists.
set(crsim_test_costs
  "each recovery measure lifts the 101 service level of weeks 14-26 beyond the CIs, all together most" 62
  "Erlang C: 300 calls an hour, 2 min handle time, 13 agents, no abandonment" 39
  "two classes with priority and abandonment in one room agree with the Markov chain" 38
  "a call-back offered to the second of two priority classes agrees with the Markov chain" 31
  "two rooms pooled by immediate overflow, two classes, agree with the Markov chain" 30
  "two independent rooms with uneven shares agree with the Markov chain" 28
  "Erlang A: 120 calls an hour, 6 min handle time, 5 min patience, 13 agents" 18
  "4 agents, 3.3 Erlangs, 6 lines: the blocked and waiting shares are M/M/4/6's" 15
  "deferrable work done when no call waits agrees with the Markov chain" 13
  "two rooms with two classes and immediate overflow solve within the state budget" 12
  "Erlang A overloaded: 150 calls an hour, 6 min handle, 3 min patience, 12 agents" 7)
list(LENGTH crsim_test_costs length)
math(EXPR last "${length} - 1")
foreach(i RANGE 0 ${last} 2)
  math(EXPR j "${i} + 1")
  list(GET crsim_test_costs ${i} name)
  list(GET crsim_test_costs ${j} cost)
  set_tests_properties("${name}" PROPERTIES COST ${cost})
endforeach()
