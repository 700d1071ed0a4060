# Runs the built okra and keeps its standard output as a file (build time
# only): the man page and the shell completion scripts come from the help
# text and option tables compiled into the binary, so they never disagree
# with it.
#   cmake -DOKRA=path/okra -DARGS="help|--man" -DOUT=okra.1 -P generate.cmake
string(REPLACE "|" ";" ARGS "${ARGS}")
execute_process(COMMAND "${OKRA}" ${ARGS}
                OUTPUT_FILE "${OUT}.tmp"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${OUT}.tmp")
  message(FATAL_ERROR "okra ${ARGS} failed (${rc})")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
