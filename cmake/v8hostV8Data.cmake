# v8hostV8Data.cmake — the data files a V8 monolith build loads at run time (FindV8.cmake sets
# V8_STARTUP_DATA / V8_ICU_DATA from the build's args.gn; both are empty for Debian's libnode,
# which embeds the snapshot and ICU's data, and then this file does nothing).
#
# src/core/platform.cc hands them to V8 before it starts, looking in this order (first file that
# exists): the environment (VH_V8_STARTUP_DATA, VH_V8_ICU_DATA: file paths), <dir>/v8host/<name>
# and <dir>/<name> where <dir> is the folder of the binary holding the library (libv8host.so, or
# the program a static libv8host.a is linked into), then the path found at configure time.
# `cmake --install` copies them into <libdir>/v8host/, beside libv8host.so.

set(_vh_platform_src "${CMAKE_CURRENT_SOURCE_DIR}/src/core/platform.cc")
foreach(_vh_data "VH_V8_EXTERNAL_STARTUP_DATA:${V8_STARTUP_DATA}" "VH_V8_ICU_DATA:${V8_ICU_DATA}")
  string(FIND "${_vh_data}" ":" _vh_colon)
  string(SUBSTRING "${_vh_data}" 0 ${_vh_colon} _vh_macro)
  math(EXPR _vh_colon "${_vh_colon} + 1")
  string(SUBSTRING "${_vh_data}" ${_vh_colon} -1 _vh_path)
  if(_vh_path)
    set_property(SOURCE "${_vh_platform_src}" APPEND PROPERTY COMPILE_DEFINITIONS
                 "${_vh_macro}=\"${_vh_path}\"")
    install(FILES "${_vh_path}" DESTINATION "${CMAKE_INSTALL_LIBDIR}/v8host" COMPONENT runtime
            OPTIONAL)
  endif()
endforeach()
