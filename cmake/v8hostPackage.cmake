# v8hostPackage.cmake — Debian packages through CPack, included last by the top CMakeLists.txt.
#
#   cmake -S . -B build-deb -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DVH_BUNDLE_V8=OFF
#   cmake --build build-deb -j2 && (cd build-deb && cpack -G DEB)
#
# makes three packages from the install components (cmake/v8hostInstall.cmake):
#   libv8host1     runtime: libv8host.so.1, LICENSE, CHANGELOG   Depends: libnode108, libuv1
#   libv8host-dev  dev: headers, libv8host.so, libv8host.a, CMake package, v8host.pc,
#                  v8host-static.pc                              Depends: libv8host1 (= version),
#                                                                libuv1-dev, libstdc++-dev
#   v8host-shell   shell: bin/v8host-shell                       Depends: libv8host1 (= version)
# plus libv8host1-dbgsym and v8host-shell-dbgsym (.ddeb) with the debug information split out of
# the stripped binaries. The packages use Debian's libnode108, so they are made from a build configured with
# VH_BUNDLE_V8=OFF (refused otherwise: a bundled libnode is never packaged) and a /usr prefix
# (Debian's multiarch libdir). scripts/ci-package.sh builds them and installs them into a fresh
# Debian 12.

# In a system library folder (the /usr prefix of the packages) the shell needs no RUNPATH to find
# libv8host.so; elsewhere it keeps $ORIGIN/../<libdir> (examples/CMakeLists.txt).
if(TARGET v8host-shell AND "${CMAKE_INSTALL_FULL_LIBDIR}" IN_LIST CMAKE_C_IMPLICIT_LINK_DIRECTORIES)
  set_target_properties(v8host-shell PROPERTIES INSTALL_RPATH "")
endif()

set(CPACK_PACKAGE_NAME v8host)
set(CPACK_PACKAGE_VENDOR "The v8host authors")
set(CPACK_PACKAGE_CONTACT "The v8host authors <maintainers@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Embeddable C library hosting JavaScript on V8")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE "${CMAKE_CURRENT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_COMPONENTS_ALL runtime dev shell)
# Release artifacts carry no debug information: CPack's DEB generator splits it out of the
# shared library and the shell into -dbgsym .ddeb packages (objcopy --only-keep-debug, then
# --strip-unneeded + a debug link); v8hostCPackStripStatic.cmake strips the debug information
# of libv8host.a (its symbols stay: a static user links them).
set(CPACK_STRIP_FILES OFF)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/v8hostCPackStripStatic.cmake)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/v8host/v8host")
set(_vh_debver "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "libv8host${VH_SOVERSION}")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# V8 10.2 is libnode108 (Node.js 18), Debian 12's; libuv1 >= 1.44 is what it was built with.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS
    "libnode108, libuv1 (>= 1.44), libc6 (>= 2.34), libstdc++6 (>= 12), libgcc-s1")
# The inspector's DevTools endpoint links libwebsockets (the shared library needs its runtime,
# the static one its development package, as v8host-static.pc names -lwebsockets).
if(VH_INSPECTOR_SERVER)
  string(APPEND CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS ", libwebsockets17")
endif()
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "Embeddable C library hosting JavaScript on V8 - runtime
 v8host runs JavaScript from C through a C99 API on Debian's V8 (libnode108).")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libv8host-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# libuv1-dev and the C++ runtime's link files: a static user links them (v8host-static.pc).
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libv8host${VH_SOVERSION} (= ${_vh_debver}), libuv1-dev, libstdc++-12-dev | libstdc++-dev,
    pkg-config | pkgconf")
if(VH_INSPECTOR_SERVER)
  string(APPEND CPACK_DEBIAN_DEV_PACKAGE_DEPENDS ", libwebsockets-dev")
endif()
set(CPACK_COMPONENT_DEV_DESCRIPTION "Embeddable C library hosting JavaScript on V8 - development files
 Headers, the static library, the CMake package (find_package(v8host)) and the pkg-config files
 v8host.pc and v8host-static.pc.")

set(CPACK_DEBIAN_SHELL_PACKAGE_NAME v8host-shell)
set(CPACK_DEBIAN_SHELL_PACKAGE_SECTION interpreters)
set(CPACK_DEBIAN_SHELL_PACKAGE_DEPENDS "libv8host${VH_SOVERSION} (= ${_vh_debver}), libuv1 (>= 1.44)")
# The shell links libedit when the build found it (examples/CMakeLists.txt).
pkg_check_modules(VH_SHELL_LIBEDIT QUIET libedit)
if(VH_BUILD_EXAMPLES AND VH_SHELL_LIBEDIT_FOUND)
  string(APPEND CPACK_DEBIAN_SHELL_PACKAGE_DEPENDS ", libedit2 (>= 3.1)")
endif()
set(CPACK_COMPONENT_SHELL_DESCRIPTION "JavaScript shell built on v8host
 v8host-shell runs scripts and modules and offers a prompt.")

# Checked when cpack runs: a package must never carry the bundled libnode or an RPATH into it.
configure_file(${CMAKE_CURRENT_LIST_DIR}/v8hostCPackOptions.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/v8hostCPackOptions.cmake @ONLY)
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_BINARY_DIR}/v8hostCPackOptions.cmake)
include(CPack)
