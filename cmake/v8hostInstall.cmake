# v8hostInstall.cmake — what `cmake --install` puts where, included by the top CMakeLists.txt.
#
# The installed tree stands on its own: it names no path of the source checkout or build tree.
# Where V8 came from a private folder (scripts/setup.sh's .deps/libnode, because the machine
# cannot install Debian's libnode108), VH_BUNDLE_V8 (default ON then) copies libnode.so.108 into
# <libdir>/v8host/ and every installed binary finds it through an $ORIGIN-relative RUNPATH, so
# the prefix can be moved. With VH_BUNDLE_V8=OFF (the Debian packages) the installed tree uses
# the system's libnode.so.108 from Debian's libnode108.
#
# Components: runtime (libv8host.so.N, LICENSE, CHANGELOG), dev (headers, libv8host.so,
# libv8host.a, CMake package, .pc files), shell (v8host-shell, examples/CMakeLists.txt) and
# v8bundle (the bundled libnode; never part of a package).

set(_vh_private_v8 OFF)
if(V8_LIBRARY MATCHES "libnode\\.so\\.[0-9]+$" AND NOT V8_LIBRARY_DIR MATCHES "^/usr/lib")
  set(_vh_private_v8 ON)
endif()
option(VH_BUNDLE_V8 "Install the private libnode.so.108 into <libdir>/v8host (default: ON when V8 \
comes from a private folder such as .deps/libnode)" ${_vh_private_v8})

get_filename_component(_vh_v8_name "${V8_LIBRARY}" NAME)
set(VH_V8_BUNDLE_DIR "${CMAKE_INSTALL_LIBDIR}/v8host")
# The build tree runs against V8 where it was found.
if(_vh_private_v8)
  set_target_properties(v8host PROPERTIES BUILD_RPATH "${V8_LIBRARY_DIR}")
  target_link_options(v8host_static INTERFACE "$<BUILD_INTERFACE:LINKER:-rpath,${V8_LIBRARY_DIR}>")
endif()
# VH_INSTALLED_V8: the V8 library an installed static user links, relative to the prefix when
# bundled (the exported targets and the .pc files resolve it against their own location).
set(VH_V8_BUNDLED OFF)
if(VH_BUNDLE_V8 AND _vh_private_v8)
  set(VH_V8_BUNDLED ON)
  install(FILES "${V8_LIBRARY}" DESTINATION "${VH_V8_BUNDLE_DIR}" COMPONENT v8bundle)
  set_target_properties(v8host PROPERTIES INSTALL_RPATH "$ORIGIN/v8host")
  set(_vh_v8_dir_in_prefix "${VH_V8_BUNDLE_DIR}")
  target_link_libraries(v8host_static INTERFACE
    "$<INSTALL_INTERFACE:$<INSTALL_PREFIX>/${VH_V8_BUNDLE_DIR}/${_vh_v8_name}>")
  target_link_options(v8host_static INTERFACE
    "$<INSTALL_INTERFACE:LINKER:-rpath,$<INSTALL_PREFIX>/${VH_V8_BUNDLE_DIR}>")
  set(VH_PC_V8_LIBRARY "\${prefix}/${VH_V8_BUNDLE_DIR}/${_vh_v8_name}")
  set(VH_PC_V8_RPATH "-Wl,-rpath,\${prefix}/${VH_V8_BUNDLE_DIR}")
elseif(_vh_private_v8)
  # Not bundled: the installed tree uses the system's copy (Debian's libnode108), never the
  # private folder, which belongs to this checkout.
  set(_vh_sys_v8 "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/${_vh_v8_name}")
  target_link_libraries(v8host_static INTERFACE "$<INSTALL_INTERFACE:${_vh_sys_v8}>")
  set(VH_PC_V8_LIBRARY "${_vh_sys_v8}")
  set(VH_PC_V8_RPATH "")
else()
  # A system libnode or a V8 monolith build, used where it is.
  target_link_libraries(v8host_static INTERFACE "$<INSTALL_INTERFACE:${V8_LIBRARY}>")
  set(VH_PC_V8_LIBRARY "${V8_LIBRARY}")
  set(VH_PC_V8_RPATH "")
endif()

install(TARGETS v8host EXPORT v8hostTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(TARGETS v8host_static EXPORT v8hostTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)
install(EXPORT v8hostTargets NAMESPACE v8host:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/v8host
  COMPONENT dev)
include(CMakePackageConfigHelpers)
configure_package_config_file(cmake/v8hostConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/v8hostConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/v8host)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/v8hostConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/v8hostConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/v8hostConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/v8host COMPONENT dev)
# The .pc files locate their prefix from their own folder, so a moved prefix still works.
file(RELATIVE_PATH VH_PC_PREFIX "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig" "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" VH_PC_PREFIX "\${pcfiledir}/${VH_PC_PREFIX}")
foreach(_pc v8host v8host-static)
  configure_file(cmake/${_pc}.pc.in ${CMAKE_CURRENT_BINARY_DIR}/${_pc}.pc @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${_pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
    COMPONENT dev)
endforeach()
install(FILES LICENSE CHANGELOG.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)

# `cmake --build <dir> --target uninstall` removes what the last `cmake --install` of this build
# tree installed (its install_manifest.txt), and the folders it made that are left empty.
configure_file(cmake/v8hostUninstall.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/v8hostUninstall.cmake @ONLY)
add_custom_target(uninstall COMMAND ${CMAKE_COMMAND} -P ${CMAKE_CURRENT_BINARY_DIR}/v8hostUninstall.cmake
  COMMENT "Removing the files listed in install_manifest.txt")

# `cmake --build <dir> --target docs`: the API reference (Doxygen, HTML) of the public headers into
# <dir>/docs/api/html/index.html. Warnings are errors (Doxyfile: WARN_AS_ERROR).
find_package(Doxygen QUIET)
if(DOXYGEN_FOUND)
  add_custom_target(docs
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/docs/api
    COMMAND ${CMAKE_COMMAND} -E env VH_DOXYGEN_OUTPUT=${CMAKE_CURRENT_BINARY_DIR}/docs/api
            VH_VERSION=${PROJECT_VERSION} ${DOXYGEN_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/Doxyfile
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    COMMENT "Doxygen: API reference in ${CMAKE_CURRENT_BINARY_DIR}/docs/api/html/index.html"
    VERBATIM)
else()
  add_custom_target(docs COMMAND ${CMAKE_COMMAND} -E echo
    "docs: doxygen not found (apt-get install --no-install-recommends doxygen)"
    COMMAND ${CMAKE_COMMAND} -E false)
endif()
