# Decides whether the V8 inspector (src/debug/inspector/, include/v8host/inspector.h) can be built,
# and whether its DevTools endpoint can. Sets:
#   VH_INSPECTOR_BUILD    ON when the inspector is compiled in (else its functions return VH_ENOTSUP)
#   VH_INSPECTOR_HEADER   "v8" (the V8 in use ships v8-inspector.h) or "abi" (src/debug/inspector's own
#                         declarations, V8 10.2 only, checked against the library's vtables)
#   VH_INSPECTOR_SERVER   ON when libwebsockets was found (the endpoint is compiled in)
# Never guesses: without v8-inspector.h, any V8 other than 10.2.x, or a library whose vtables
# differ from the declarations, leaves the inspector out with a message saying why.
set(VH_INSPECTOR "AUTO" CACHE STRING "The V8 inspector: AUTO (when it can be built), ON (required), OFF")
set(VH_INSPECTOR_BUILD OFF)
set(VH_INSPECTOR_SERVER OFF)
set(VH_INSPECTOR_HEADER "")

function(_vh_inspector_unavailable why)
  if(VH_INSPECTOR STREQUAL "ON")
    message(FATAL_ERROR "VH_INSPECTOR=ON but the inspector cannot be built: ${why}")
  endif()
  message(STATUS "Inspector: not built (its functions return VH_ENOTSUP): ${why}")
endfunction()

if(VH_INSPECTOR STREQUAL "OFF")
  message(STATUS "Inspector: not built (VH_INSPECTOR=OFF)")
  return()
endif()

if(EXISTS "${V8_INCLUDE_DIR}/v8-inspector.h")
  set(VH_INSPECTOR_HEADER "v8")
  set(VH_INSPECTOR_BUILD ON)
elseif(NOT V8_VERSION MATCHES "^10\\.2\\.")
  _vh_inspector_unavailable("V8 ${V8_VERSION} ships no v8-inspector.h, and src/debug/inspector/v8_inspector_abi.h declares V8 10.2's interface only")
  return()
else()
  # Compile, link and run a program that compares each declared vtable slot with the library's.
  get_filename_component(_vh_v8_real "${V8_LIBRARY}" REALPATH)
  get_filename_component(_vh_v8_soname "${V8_LIBRARY}" NAME)
  try_run(_vh_abi_run _vh_abi_compiled
    ${CMAKE_CURRENT_BINARY_DIR}/inspector_abi_check
    ${CMAKE_CURRENT_SOURCE_DIR}/cmake/inspector_abi_check.cc
    CMAKE_FLAGS "-DINCLUDE_DIRECTORIES=${CMAKE_CURRENT_SOURCE_DIR}/src"
    COMPILE_DEFINITIONS "-DV8_LIBRARY_SONAME=\"${_vh_v8_soname}\""
    LINK_OPTIONS "LINKER:--no-as-needed" "LINKER:-rpath,${V8_LIBRARY_DIR}"
    LINK_LIBRARIES V8::V8 ${CMAKE_DL_LIBS}
    CXX_STANDARD 17
    COMPILE_OUTPUT_VARIABLE _vh_abi_compile_out
    RUN_OUTPUT_VARIABLE _vh_abi_run_out)
  if(NOT _vh_abi_compiled)
    _vh_inspector_unavailable("the declarations in src/debug/inspector/v8_inspector_abi.h do not compile or link against ${V8_LIBRARY} (see CMakeFiles/CMakeError.log)")
    file(APPEND ${CMAKE_BINARY_DIR}/CMakeFiles/CMakeError.log "${_vh_abi_compile_out}\n")
    return()
  elseif(NOT _vh_abi_run EQUAL 0)
    string(STRIP "${_vh_abi_run_out}" _vh_abi_run_out)
    _vh_inspector_unavailable("the library's vtables differ from src/debug/inspector/v8_inspector_abi.h: ${_vh_abi_run_out}")
    return()
  endif()
  set(VH_INSPECTOR_HEADER "abi")
  set(VH_INSPECTOR_BUILD ON)
endif()

pkg_check_modules(LWS IMPORTED_TARGET libwebsockets)
if(LWS_FOUND)
  set(VH_INSPECTOR_SERVER ON)
  message(STATUS "Inspector: built (${VH_INSPECTOR_HEADER} declarations, checked), DevTools endpoint with libwebsockets ${LWS_VERSION}")
else()
  message(STATUS "Inspector: built (${VH_INSPECTOR_HEADER} declarations, checked); no DevTools endpoint: libwebsockets not found (Debian: libwebsockets-dev)")
endif()
