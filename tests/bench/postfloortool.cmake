# ctest's bench_post_floor_tool: seeds a small store with switchboard-bench-seed, then runs
# switchboard-post-floor on it and checks its one line. Arguments: SEED, FLOOR, WORK.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/data" "${WORK}/ids")
execute_process(
    COMMAND "${SEED}" --data-dir "${WORK}/data" --out "${WORK}/ids" --tickets 200 --messages 2
        --agents 2 --customers 20
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "switchboard-bench-seed failed (${status}): ${out}${err}")
endif()
execute_process(
    COMMAND "${FLOOR}" --data-dir "${WORK}/data" --tickets "${WORK}/ids/writable.txt" --posts 100
        --group 9
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "switchboard-post-floor failed (${status}): ${out}${err}")
endif()
if(NOT out MATCHES "POSTFLOOR posts=100 group=9 cpu_us=[0-9]+ thread_us=[0-9]+ wall_us=[0-9]+")
    message(FATAL_ERROR "switchboard-post-floor printed no POSTFLOOR line: ${out}")
endif()
file(REMOVE_RECURSE "${WORK}")
