# Test registration.  Every test is a CTest test, so CI counts each one.
#
# unit/test_*.c       one cmocka executable each
# errors/*/           broken workspaces with the exact expected diagnostics
# cases/*/            golden workspaces: cmd + expected output
# e2e/*.sh            command line end-to-end scripts
# fuzz/fuzz_*.c       fuzz targets, replaying their seed corpora
# faults/*.sh         fault injection: floods, kills, full disks, locks

set(OKRA_TEST_ENV "OKRA=$<TARGET_FILE:okra>" "SRCDIR=${CMAKE_SOURCE_DIR}")

file(GLOB OKRA_UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/test_*.c)
foreach(src ${OKRA_UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/src)
  target_compile_options(${name} PRIVATE ${OKRA_WARNINGS} -Wno-missing-prototypes)
  target_link_libraries(${name} PRIVATE okralib PkgConfig::CMOCKA)
  add_test(NAME unit/${name} COMMAND ${name})
  set_tests_properties(unit/${name} PROPERTIES
    ENVIRONMENT "SRCDIR=${CMAKE_SOURCE_DIR}")
endforeach()

# Data-driven cases: a folder holding a workspace, `cmd` (the arguments,
# default "lint"), `expected` (stdout and stderr, exactly) and `status`
# (the exit status, default 0).  errors/ holds broken inputs, cases/ the rest.
foreach(kind errors cases)
  file(GLOB dirs CONFIGURE_DEPENDS LIST_DIRECTORIES true
       ${CMAKE_SOURCE_DIR}/tests/${kind}/*)
  foreach(dir ${dirs})
    if(IS_DIRECTORY ${dir})
      get_filename_component(name ${dir} NAME)
      add_test(NAME ${kind}/${name}
        COMMAND sh ${CMAKE_SOURCE_DIR}/tests/run-case.sh $<TARGET_FILE:okra> ${dir})
    endif()
  endforeach()
endforeach()

file(GLOB OKRA_E2E_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/e2e/*.sh)
foreach(script ${OKRA_E2E_TESTS})
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME e2e/${name} COMMAND sh ${script})
  set_tests_properties(e2e/${name} PROPERTIES ENVIRONMENT "${OKRA_TEST_ENV}")
endforeach()

# The browser test keeps its screenshots in the build tree (build/review*.png).
if(TEST e2e/browser_review)
  set_tests_properties(e2e/browser_review PROPERTIES
    ENVIRONMENT "${OKRA_TEST_ENV};BUILD_DIR=${CMAKE_BINARY_DIR}")
endif()
# Tests that need node, npm, Chromium or python3 exit 77 without them:
# skipped, not passed with no check (under CI=true a missing tool fails
# instead).
foreach(t e2e/browser_review e2e/serve_browser e2e/duckdb_crosscheck e2e/readme_tour)
  if(TEST ${t})
    set_tests_properties(${t} PROPERTIES SKIP_RETURN_CODE 77)
  endif()
endforeach()

# Style: every C file is as clang-format writes it (.clang-format).
add_test(NAME style/clang_format COMMAND sh ${CMAKE_SOURCE_DIR}/tests/style/clang_format.sh)
set_tests_properties(style/clang_format PROPERTIES
  ENVIRONMENT "SRCDIR=${CMAKE_SOURCE_DIR}" SKIP_RETURN_CODE 77)

# Fuzz corpus replay: every fuzz target runs its seed corpus
# (tests/fuzz/corpus-<name>/) as a plain program, under the sanitizers in
# the ASan build.  `make fuzz` builds the libFuzzer versions.
file(GLOB OKRA_FUZZ_TARGETS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_*.c)
foreach(src ${OKRA_FUZZ_TARGETS})
  get_filename_component(name ${src} NAME_WE)
  string(REPLACE "fuzz_" "" corpus ${name})
  file(GLOB seeds CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus-${corpus}/*)
  if(seeds AND NOT OKRA_FUZZ)
    add_test(NAME fuzz/${name} COMMAND ${name} ${seeds})
  endif()
endforeach()
# The HTTP query parser also runs a seeded random driver over its corpus
# (without libFuzzer; bench/fuzz_hour.sh runs the libFuzzer builds).
file(GLOB OKRA_QUERY_SEEDS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus-http_query/*)
if(NOT OKRA_FUZZ)
  add_test(NAME fuzz/fuzz_http_query_random
    COMMAND fuzz_http_query --random 1000000 1 ${OKRA_QUERY_SEEDS})
endif()

# Fault injection (tests/faults/*.sh): the server under floods of slow
# clients, hostile requests and a locked database; the state database on
# a full disk, killed at each write, and given hostile files.  Their
# helpers: okra_flood (slow clients from many loopback addresses) and
# okra_dblock (another process holding the database's write lock).
add_executable(okra_flood ${CMAKE_SOURCE_DIR}/tests/faults/flood.c)
add_executable(okra_dblock ${CMAKE_SOURCE_DIR}/tests/faults/dblock.c)
target_link_libraries(okra_dblock PRIVATE PkgConfig::SQLITE3)

# Fault injection (tests/faults/): hostile and changing input files, and
# kills at each step of a cache write.  The C helpers are built here; the
# scripts get their paths.
add_executable(fault_ingest_append ${CMAKE_SOURCE_DIR}/tests/faults/ingest_append.c)
target_link_libraries(fault_ingest_append PRIVATE Threads::Threads)
add_library(fault_kill_at SHARED ${CMAKE_SOURCE_DIR}/tests/faults/cache_kill_at.c)
target_link_libraries(fault_kill_at PRIVATE ${CMAKE_DL_LIBS})
file(GLOB OKRA_FAULT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/faults/*.sh)
foreach(script ${OKRA_FAULT_TESTS})
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME faults/${name} COMMAND sh ${script})
  set_tests_properties(faults/${name} PROPERTIES
    ENVIRONMENT "${OKRA_TEST_ENV};FAULT_INGEST_APPEND=$<TARGET_FILE:fault_ingest_append>;FAULT_KILL_AT=$<TARGET_FILE:fault_kill_at>;FLOOD=$<TARGET_FILE:okra_flood>;DBLOCK=$<TARGET_FILE:okra_dblock>"
    SKIP_RETURN_CODE 77)
endforeach()

# Out of memory (tests/oom/): every allocation of a lint, metrics and
# review run fails in turn; each run must end in an error with a message,
# never a crash, and leak nothing (LeakSanitizer in the ASan build).
add_executable(oom_run ${CMAKE_SOURCE_DIR}/tests/oom/oom_run.c)
target_link_libraries(oom_run PRIVATE okralib)
target_link_options(oom_run PRIVATE
  -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup)
add_test(NAME oom/lint_metrics_review COMMAND oom_run)

# ClickHouse: real clickhouse-server processes on loopback ports (their
# config in a temporary folder), the two engines compared on every golden
# case and on the demo, plain and over a 2-shard Distributed cluster, and
# the failure cases.  Without the package they exit 77 (skipped), except
# under CI=true.  The heavy comparisons skip themselves under ASan.
add_executable(json_close ${CMAKE_SOURCE_DIR}/tests/clickhouse/json_close.c)
target_compile_options(json_close PRIVATE ${OKRA_WARNINGS} -Wno-missing-prototypes)
target_link_libraries(json_close PRIVATE PkgConfig::JANSSON m)
file(GLOB OKRA_CH_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/clickhouse/*.sh)
foreach(script ${OKRA_CH_TESTS})
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME clickhouse/${name} COMMAND sh ${script})
  set_tests_properties(clickhouse/${name} PROPERTIES
    ENVIRONMENT "${OKRA_TEST_ENV};JSON_CLOSE=$<TARGET_FILE:json_close>;OKRA_SANITIZE=${OKRA_SANITIZE}"
    SKIP_RETURN_CODE 77 RUN_SERIAL TRUE)
endforeach()
