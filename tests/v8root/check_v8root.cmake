# check_v8root.cmake — configures v8host (configure only: nothing is compiled or linked) against
# synthetic V8 gn checkouts and checks what cmake/FindV8.cmake derives from each. Fails on the
# first case whose definitions, data files or diagnostics differ from what the build implies.
#
#   cmake -DSOURCE_DIR=<v8host> -DV8_HEADERS=<dir with v8.h> -DWORK=<scratch dir> \
#         -P tests/v8root/check_v8root.cmake
#
# (ctest runs it as v8root_configure.) A fake checkout is <root>/include (a copy of real V8
# headers: the macro names FindV8 maps to are read from them), an empty libv8_monolith.a made
# with `ar` in <root>/out/<config>/obj/ and that out dir's args.gn / gen/include/v8-gn.h.

foreach(_v SOURCE_DIR V8_HEADERS WORK)
  if(NOT ${_v})
    message(FATAL_ERROR "check_v8root: -D${_v}=... is required")
  endif()
endforeach()
find_program(AR NAMES ar llvm-ar REQUIRED)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(_failures 0)

# make_checkout(<root> [<header sed>]): include/ from V8_HEADERS; with a second argument, a
# line appended to v8-internal.h (to pose as a V8 whose headers test other macro names).
function(make_checkout root)
  file(COPY "${V8_HEADERS}/" DESTINATION "${root}/include" FILES_MATCHING
       PATTERN "v8*.h" PATTERN "cppgc/*" PATTERN "libplatform/*")
  if(ARGC GREATER 1)
    file(APPEND "${root}/include/v8-internal.h" "\n${ARGV1}\n")
  endif()
endfunction()

# make_out(<out dir> <args.gn text>): an out dir with an empty monolith and its args.gn.
function(make_out out args)
  file(MAKE_DIRECTORY "${out}/obj")
  execute_process(COMMAND "${AR}" rc "${out}/obj/libv8_monolith.a" RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "ar failed: ${_rc}")
  endif()
  file(WRITE "${out}/args.gn" "${args}")
endfunction()

# expect(<case> <cmake args> <want definitions> <want startup> <want icu> [<want in output>]):
# configures SOURCE_DIR with the cmake args and compares <build>/v8host-v8.txt; "FAIL" as the
# wanted definitions expects the configure to fail (and its output to contain the last arg).
function(expect name cmake_args want_defs want_startup want_icu)
  set(_build "${WORK}/build-${name}")
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -G "Unix Makefiles" -S "${SOURCE_DIR}" -B "${_build}" -DVH_BUILD_TESTS=OFF
            -DVH_BUILD_EXAMPLES=OFF ${cmake_args}
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  set(_all "${_out}${_err}")
  set(_bad "")
  if(want_defs STREQUAL "FAIL")
    if(_rc EQUAL 0)
      set(_bad "configure succeeded, expected it to fail")
    elseif(NOT _all MATCHES "${ARGV5}")
      set(_bad "the failure does not say '${ARGV5}'")
    endif()
  elseif(NOT _rc EQUAL 0)
    set(_bad "configure failed")
  else()
    file(STRINGS "${_build}/v8host-v8.txt" _report)
    set(_defs "<missing>")
    set(_startup "<missing>")
    set(_icu "<missing>")
    foreach(_line ${_report})
      if(_line MATCHES "^definitions=(.*)$")
        set(_defs "${CMAKE_MATCH_1}")
      elseif(_line MATCHES "^startup_data=(.*)$")
        set(_startup "${CMAKE_MATCH_1}")
      elseif(_line MATCHES "^icu_data=(.*)$")
        set(_icu "${CMAKE_MATCH_1}")
      endif()
    endforeach()
    # file(STRINGS) splits the report's list at ';': compare as space-separated words.
    string(REPLACE ";" " " _defs "${_defs}")
    if(NOT _defs STREQUAL "${want_defs}")
      string(APPEND _bad "definitions '${_defs}', want '${want_defs}'; ")
    endif()
    if(NOT _startup STREQUAL "${want_startup}")
      string(APPEND _bad "startup data '${_startup}', want '${want_startup}'; ")
    endif()
    if(NOT _icu STREQUAL "${want_icu}")
      string(APPEND _bad "ICU data '${_icu}', want '${want_icu}'; ")
    endif()
    # What reaches the compiler: the library's objects get exactly those definitions (plus its
    # own VH_BUILDING_LIBRARY), and platform.cc the data files' paths.
    file(STRINGS "${_build}/CMakeFiles/v8host_objects.dir/flags.make" _flags
         REGEX "^CXX_DEFINES|Custom defines")
    string(REGEX MATCH "CXX_DEFINES = [^;]*" _cxx "${_flags}")
    string(REGEX MATCHALL "-D[^ ]+" _got "${_cxx}")
    string(REPLACE "-D" "" _got "${_got}")
    list(REMOVE_ITEM _got VH_BUILDING_LIBRARY)
    string(REPLACE " " ";" _want "${want_defs}")
    list(SORT _got)
    list(SORT _want)
    if(NOT _got STREQUAL _want)
      string(APPEND _bad "compiler gets '${_got}', want '${_want}'; ")
    endif()
    foreach(_pair "VH_V8_EXTERNAL_STARTUP_DATA:${want_startup}" "VH_V8_ICU_DATA:${want_icu}")
      string(REGEX MATCH "^[^:]*" _macro "${_pair}")
      string(REGEX REPLACE "^[^:]*:" "" _path "${_pair}")
      if(_path AND NOT _flags MATCHES "${_macro}=\"${_path}\"")
        string(APPEND _bad "platform.cc lacks ${_macro}=\"${_path}\"; ")
      elseif(NOT _path AND _flags MATCHES "${_macro}")
        string(APPEND _bad "platform.cc gets ${_macro}, want none; ")
      endif()
    endforeach()
    # ... and `cmake --install` copies the data files into <libdir>/v8host.
    file(READ "${_build}/cmake_install.cmake" _install)
    foreach(_path ${want_startup} ${want_icu})
      if(NOT _install MATCHES "/v8host\" TYPE FILE [^)]*FILES \"${_path}\"")
        string(APPEND _bad "no install rule for ${_path} into <libdir>/v8host; ")
      endif()
    endforeach()
    if(ARGC GREATER 5 AND NOT _all MATCHES "${ARGV5}")
      string(APPEND _bad "output lacks '${ARGV5}'")
    endif()
  endif()
  if(_bad)
    message(STATUS "FAIL ${name}: ${_bad}\n--- configure output:\n${_all}")
    math(EXPR _n "${_failures} + 1")
    set(_failures ${_n} PARENT_SCOPE)
  else()
    message(STATUS "ok   ${name}: ${want_defs}")
  endif()
endfunction()

# 1. V8 10.2 naming (the headers test V8_SANDBOX, not V8_ENABLE_SANDBOX): a release build with
#    pointer compression and the sandbox, external startup data and ICU's data file.
set(A "${WORK}/v8-a")
make_checkout("${A}")
make_out("${A}/out/x64.release" "# a release monolith\nis_debug = false\ntarget_cpu = \"x64\"\nv8_monolithic = true\nv8_enable_pointer_compression = true\nv8_enable_sandbox = true\nv8_enable_sandboxed_pointers = true\n")
expect(release_sandbox "-DV8_ROOT=${A}" "V8_COMPRESS_POINTERS V8_SANDBOXED_POINTERS V8_SANDBOX"
       "${A}/out/x64.release/snapshot_blob.bin" "${A}/out/x64.release/icudtl.dat"
       "V8 definitions: V8_COMPRESS_POINTERS V8_SANDBOXED_POINTERS V8_SANDBOX")

# 2. Both off, a debug build (V8_ENABLE_CHECKS), 31-bit Smis, snapshot and ICU built in.
make_out("${A}/out/x64.debug" "is_debug = true\nv8_enable_pointer_compression = false\nv8_enable_sandbox = false\nv8_enable_31bit_smis_on_64bit_arch = true\nv8_use_external_startup_data = false\nv8_enable_i18n_support = false\n")
# Two out dirs now: V8_OUT is required, and picks.
expect(two_outs "-DV8_ROOT=${A}" FAIL "" "" "pick[ \n]+one[ \n]+with[ \n]+-DV8_OUT")
expect(debug_plain "-DV8_ROOT=${A};-DV8_OUT=out/x64.debug"
       "V8_ENABLE_CHECKS V8_31BIT_SMIS_ON_64BIT_ARCH" "" "")
expect(v8_out_absolute "-DV8_ROOT=${A};-DV8_OUT=${A}/out/x64.release"
       "V8_COMPRESS_POINTERS V8_SANDBOXED_POINTERS V8_SANDBOX"
       "${A}/out/x64.release/snapshot_blob.bin" "${A}/out/x64.release/icudtl.dat")
expect(override "-DV8_ROOT=${A};-DV8_OUT=out/x64.debug;-DV8_MONOLITH_DEFINITIONS=V8_COMPRESS_POINTERS\\;MY_DEF=1"
       "V8_COMPRESS_POINTERS MY_DEF=1" "" "" "V8_MONOLITH_DEFINITIONS \\(override\\)")

# 3. Newer naming (headers that test V8_ENABLE_SANDBOX): the sandbox maps to it; args.gn leaves
#    is_debug out (gn's default: a debug build, so V8 checks; "" also means the default) and
#    ICU embeds its data.
set(B "${WORK}/v8-b")
make_checkout("${B}" "#ifdef V8_ENABLE_SANDBOX\n#endif")
make_out("${B}/out/x64.release" "target_cpu = \"x64\"\nv8_enable_v8_checks = \"\"  # gn: use the default\nv8_enable_sandbox = true\nicu_use_data_file = false\nv8_use_external_startup_data = false\n")
expect(enable_sandbox_name "-DV8_ROOT=${B}" "V8_ENABLE_CHECKS V8_COMPRESS_POINTERS V8_ENABLE_SANDBOX" "" "")

# 4. v8-gn.h present: its definitions win over args.gn (which says otherwise here).
set(C "${WORK}/v8-c")
make_checkout("${C}")
make_out("${C}/out/x64.release" "is_debug = true\nv8_enable_pointer_compression = false\nv8_use_external_startup_data = false\n")
file(WRITE "${C}/out/x64.release/gen/include/v8-gn.h" "#ifndef V8_GN_H_\n#define V8_GN_H_\n#define V8_COMPRESS_POINTERS 1\n#define V8_31BIT_SMIS_ON_64BIT_ARCH 1\n#define V8_ENABLE_SANDBOX 1\n#undef V8_ENABLE_CHECKS\n#define V8_SOME_LEVEL 2\n#endif  // V8_GN_H_\n")
expect(gn_header "-DV8_ROOT=${C}"
       "V8_COMPRESS_POINTERS V8_31BIT_SMIS_ON_64BIT_ARCH V8_ENABLE_SANDBOX V8_SOME_LEVEL=2" ""
       "${C}/out/x64.release/icudtl.dat" "gen/include/v8-gn.h")

# 5. v8_build_config.json (gn's resolved values) over args.gn.
set(D "${WORK}/v8-d")
make_checkout("${D}")
make_out("${D}/out/x64.release" "v8_enable_sandbox = true\n")
file(WRITE "${D}/out/x64.release/v8_build_config.json" "{\n  \"is_debug\": false,\n  \"v8_enable_pointer_compression\": true,\n  \"v8_enable_sandbox\": false,\n  \"v8_enable_i18n_support\": false,\n  \"v8_use_external_startup_data\": true\n}\n")
expect(build_config_json "-DV8_ROOT=${D}" "V8_COMPRESS_POINTERS" "${D}/out/x64.release/snapshot_blob.bin" "")

# 6. The older flat layout (<root>/lib/libv8_monolith.a, no args.gn) is still accepted.
set(E "${WORK}/v8-e")
make_checkout("${E}")
make_out("${E}/lib" "")
file(REMOVE "${E}/lib/args.gn")
file(RENAME "${E}/lib/obj/libv8_monolith.a" "${E}/lib/libv8_monolith.a")
expect(flat_layout "-DV8_ROOT=${E}" "V8_COMPRESS_POINTERS V8_ENABLE_SANDBOX" "" "" "no args.gn beside")

if(_failures GREATER 0)
  message(FATAL_ERROR "check_v8root: ${_failures} case(s) failed")
endif()
message(STATUS "check_v8root: every case passed")
