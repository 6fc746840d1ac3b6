# Common compile settings for every Wetlink target: warnings are errors,
# and the sanitizer build instruments everything the project compiles.
set(WETLINK_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual -Wimplicit-fallthrough
    # GCC 12 reports these from inlined Boost.Geometry and libstdc++ code at
    # -O2 (false positives outside our sources), so they cannot be errors.
    $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
if(WETLINK_WERROR)
  list(APPEND WETLINK_WARNINGS -Werror)
endif()

if(WETLINK_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  # For the tests that bound time or memory: GCC defines
  # __SANITIZE_ADDRESS__, clang 14 does not.
  add_compile_definitions(WETLINK_ASAN_BUILD)
endif()
# ThreadSanitizer instruments the project's code only: Debian's gRPC,
# protobuf, RocksDB, GDAL and GoogleTest libraries are not instrumented, so
# races inside them go unseen (tests/tsan.supp, scripts/test.sh).
if(WETLINK_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

# wetlink_tsan_allow_fences(<target>): for targets that compile Boost.Asio.
# GCC warns (-Wtsan) that TSan does not model std::atomic_thread_fence,
# which Asio's completion handlers use (std_fenced_block); Asio also hands
# operations between threads through its mutex-guarded scheduler, which
# TSan does see, so in the tsan build that warning is not an error.
function(wetlink_tsan_allow_fences target)
  if(WETLINK_TSAN AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-tsan)
  endif()
endfunction()

if(WETLINK_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "WETLINK_BUILD_FUZZERS needs clang (libFuzzer); use the fuzz preset, "
                        "which names clang++-14")
  endif()
  if(WETLINK_SANITIZE)
    message(FATAL_ERROR "WETLINK_BUILD_FUZZERS already builds with ASan + UBSan; "
                        "leave WETLINK_SANITIZE off")
  endif()
  # Every library the fuzzers link is instrumented for coverage and checked
  # by ASan + UBSan; fuzz/CMakeLists.txt links libFuzzer's main into the
  # targets themselves. UBSan findings abort, so libFuzzer keeps the input.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

# wetlink_target_options(<target>): apply the project's warning set.
function(wetlink_target_options target)
  target_compile_options(${target} PRIVATE ${WETLINK_WARNINGS})
  # Boost 1.74's R-tree includes a header Boost itself marks deprecated; the
  # notice is Boost's internal business and only clutters build logs.
  target_compile_definitions(${target} PRIVATE BOOST_ALLOW_DEPRECATED_HEADERS)
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>)
endfunction()
