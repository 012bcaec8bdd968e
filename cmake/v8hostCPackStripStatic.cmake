# CPACK_PRE_BUILD_SCRIPTS (cmake/v8hostPackage.cmake): runs after the components are installed
# into CPack's staging folder, before the packages are made. Removes the debug information from
# the static archives there (objcopy --strip-debug keeps the symbols a linker needs).
find_program(_vh_objcopy objcopy REQUIRED)
file(GLOB_RECURSE _vh_archives "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*.a")
foreach(_a IN LISTS _vh_archives)
  message(STATUS "v8host: objcopy --strip-debug ${_a}")
  execute_process(COMMAND ${_vh_objcopy} --strip-debug "${_a}" RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "objcopy --strip-debug ${_a} failed")
  endif()
endforeach()
