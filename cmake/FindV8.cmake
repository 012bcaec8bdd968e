# FindV8.cmake — locate V8 for v8host.
#
# Three sources, tried in this order:
#   1. A V8 monolith build (gn, v8_monolithic=true): -DV8_ROOT=<v8 checkout> with
#      <root>/include/v8.h and <root>/out/<config>/obj/libv8_monolith.a (or out.gn/<config>;
#      -DV8_OUT=<out dir> picks one when there are several), or the flat layouts
#      <root>/{.,lib,obj}/libv8_monolith.a. The compile definitions V8's headers need are
#      derived from the build (cmake/V8Monolith.cmake: v8-gn.h, v8_build_config.json, args.gn);
#      V8_MONOLITH_DEFINITIONS (cache, empty by default) replaces them. The data files the
#      build loads at run time (snapshot_blob.bin, icudtl.dat) are found in the out dir.
#   2. Debian's libnode108 + libnode-dev (V8 10.2) unpacked into a private folder, by default
#      <source>/.deps/libnode (what scripts/setup.sh makes when the system package cannot be
#      installed), or wherever -DV8_DEB_ROOT=<dir> points (<dir>/usr/include/node, ...).
#   3. The same packages installed system-wide (/usr/include/node + libnode.so.108).
#
# A /usr/include/node that belongs to another Node.js (its v8-version.h is not 10.2 or no
# libnode.so.108 sits beside it) is rejected: headers and library must be the same V8.
#
# Result: the imported target V8::V8, and V8_FOUND, V8_VERSION, V8_SOURCE, V8_LIBRARY,
# V8_INCLUDE_DIR, V8_LIBRARY_DIR; for a monolith also V8_OUT_DIR, V8_COMPILE_DEFINITIONS,
# V8_STARTUP_DATA and V8_ICU_DATA (the files' paths, empty when the build embeds them), and
# <build>/v8host-v8.txt recording what was found and derived. (Debian's libnode embeds the
# snapshot and ICU's data: no definitions, no data files.)

set(V8_MONOLITH_DEFINITIONS "" CACHE STRING
    "Compile definitions of a V8 monolith build (V8_ROOT), replacing the ones derived from its out dir")
# STRING, not PATH: CMake would make a relative PATH absolute against the working directory.
set(V8_OUT "" CACHE STRING "The gn out dir of V8_ROOT to use (absolute or relative to V8_ROOT)")
# Relative to this file, not CMAKE_SOURCE_DIR: v8host may be a subproject of another build.
get_filename_component(_v8_default_deb_root "${CMAKE_CURRENT_LIST_DIR}/../.deps/libnode" ABSOLUTE)
set(V8_DEB_ROOT "${_v8_default_deb_root}" CACHE PATH
    "Folder where Debian's libnode108 and libnode-dev are unpacked")

function(_v8_read_version include_dir out_var)
  set(_ver "")
  if(EXISTS "${include_dir}/v8-version.h")
    file(STRINGS "${include_dir}/v8-version.h" _lines REGEX "^#define V8_(MAJOR|MINOR|BUILD|PATCH)_")
    foreach(_part MAJOR MINOR BUILD_NUMBER PATCH_LEVEL)
      string(REGEX MATCH "#define V8_${_part}(_VERSION)? +([0-9]+)" _m "${_lines}")
      set(_n "${CMAKE_MATCH_2}")
      if(_ver STREQUAL "")
        set(_ver "${_n}")
      else()
        set(_ver "${_ver}.${_n}")
      endif()
    endforeach()
  endif()
  set(${out_var} "${_ver}" PARENT_SCOPE)
endfunction()

set(V8_FOUND FALSE)
set(_v8_defs "")

set(V8_STARTUP_DATA "")
set(V8_ICU_DATA "")
if(V8_ROOT)
  include(${CMAKE_CURRENT_LIST_DIR}/V8Monolith.cmake)
  _v8_find_monolith()
  if(V8_INCLUDE_DIR AND V8_LIBRARY)
    set(V8_SOURCE "monolith (${V8_ROOT})")
    set(_v8_defs ${V8_COMPILE_DEFINITIONS})
    set(_v8_extra_libs Threads::Threads ${CMAKE_DL_LIBS})
  endif()
else()
  foreach(_root "${V8_DEB_ROOT}" "")
    set(_inc "${_root}/usr/include/node")
    set(_libdir "${_root}/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}")
    if(NOT CMAKE_LIBRARY_ARCHITECTURE)
      set(_libdir "${_root}/usr/lib/x86_64-linux-gnu")
    endif()
    _v8_read_version("${_inc}" _ver)
    if(_ver MATCHES "^10\\.2\\." AND EXISTS "${_libdir}/libnode.so.108")
      set(V8_INCLUDE_DIR "${_inc}")
      set(V8_LIBRARY "${_libdir}/libnode.so.108")
      if(_root STREQUAL "")
        set(V8_SOURCE "Debian libnode108 (system)")
      else()
        set(V8_SOURCE "Debian libnode108 (unpacked in ${_root})")
      endif()
      break()
    elseif(EXISTS "${_inc}/v8.h" AND _root STREQUAL "")
      message(STATUS "FindV8: ignoring ${_inc}: V8 ${_ver} headers without libnode.so.108 "
                     "(another Node.js package owns it)")
    endif()
  endforeach()
endif()

if(V8_INCLUDE_DIR AND V8_LIBRARY)
  find_package(Threads REQUIRED)
  _v8_read_version("${V8_INCLUDE_DIR}" V8_VERSION)
  get_filename_component(V8_LIBRARY_DIR "${V8_LIBRARY}" DIRECTORY)
  if(NOT TARGET V8::V8)
    add_library(V8::V8 UNKNOWN IMPORTED)
    set_target_properties(V8::V8 PROPERTIES
      IMPORTED_LOCATION "${V8_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${V8_INCLUDE_DIR}"
      INTERFACE_COMPILE_DEFINITIONS "${_v8_defs}"
      INTERFACE_LINK_LIBRARIES "Threads::Threads;${_v8_extra_libs}")
  endif()
  set(V8_FOUND TRUE)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(V8
  REQUIRED_VARS V8_LIBRARY V8_INCLUDE_DIR
  VERSION_VAR V8_VERSION
  REASON_FAILURE_MESSAGE
    "Run scripts/setup.sh (unpacks Debian's libnode108/libnode-dev into .deps/libnode), or pass -DV8_ROOT=<monolith build>")
if(V8_FOUND)
  message(STATUS "V8 ${V8_VERSION} from ${V8_SOURCE}: ${V8_LIBRARY}")
  set(_v8_report "version=${V8_VERSION}\nlibrary=${V8_LIBRARY}\ninclude=${V8_INCLUDE_DIR}\n")
  if(V8_ROOT)
    string(REPLACE ";" " " _v8_shown "${_v8_defs}")
    if(_v8_shown STREQUAL "")
      set(_v8_shown "(none)")
    endif()
    message(STATUS "V8 definitions: ${_v8_shown}  [from ${V8_DEFINITIONS_FROM}]")
    foreach(_v8_what "startup data" "ICU data")
      if(_v8_what STREQUAL "startup data")
        set(_v8_path "${V8_STARTUP_DATA}")
      else()
        set(_v8_path "${V8_ICU_DATA}")
      endif()
      if(_v8_path)
        message(STATUS "V8 ${_v8_what}: ${_v8_path} (loaded at start-up, installed beside the library)")
      else()
        message(STATUS "V8 ${_v8_what}: built in")
      endif()
    endforeach()
    string(APPEND _v8_report "out=${V8_OUT_DIR}\ndefinitions=${_v8_defs}\n"
           "definitions_from=${V8_DEFINITIONS_FROM}\nstartup_data=${V8_STARTUP_DATA}\n"
           "icu_data=${V8_ICU_DATA}\n")
  endif()
  file(WRITE "${PROJECT_BINARY_DIR}/v8host-v8.txt" "${_v8_report}")
endif()
