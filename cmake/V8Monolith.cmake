# V8Monolith.cmake — a V8 monolith build (gn's v8_monolithic=true) for FindV8.cmake: where its
# library is, which compile definitions its headers need, and which data files it loads at run
# time. Included by FindV8.cmake when V8_ROOT is set; defines _v8_find_monolith().
#
# The definitions must be the ones V8 itself was compiled with: the inline code of its headers
# (pointer compression, the sandbox, Smi size, V8_ENABLE_CHECKS) reads object layouts, and a
# mismatch does not fail to link, it reads the wrong bits at run time. They are derived, in this
# order of trust:
#   1. <out>/gen/include/v8-gn.h (written by the build): its #define lines, as they are;
#   2. <out>/v8_build_config.json (written by the build, every argument resolved by gn);
#   3. <out>/args.gn (what the user set), with V8's defaults for what it leaves out;
# and each gn argument maps to the macro name the found headers use (the sandbox is V8_SANDBOX
# plus V8_SANDBOXED_POINTERS / V8_SANDBOXED_EXTERNAL_POINTERS on V8 10.x, V8_ENABLE_SANDBOX from
# V8 11, V8_HEAP_SANDBOX before 10): a macro the headers never test is left out.
# V8_MONOLITH_DEFINITIONS, when set, replaces the derived list.

# _v8_gn_value(<name> <default> <out_var>): the value of gn argument <name> from the build's
# v8_build_config.json (_v8_json) or args.gn (_v8_args), else <default>; <out_var>_FROM says
# which ("json", "args.gn" or "default").
macro(_v8_gn_value name default out_var)
  set(${out_var} "${default}")
  set(${out_var}_FROM "default")
  if(_v8_json MATCHES "\"${name}\"[ \t\r\n]*:[ \t\r\n]*(true|false|\"[^\"]*\")")
    string(REPLACE "\"" "" ${out_var} "${CMAKE_MATCH_1}")
    set(${out_var}_FROM "json")
  elseif(_v8_args MATCHES "(^|\n)[ \t]*${name}[ \t]*=[ \t]*(true|false|\"[^\"\n]*\")")
    string(REPLACE "\"" "" ${out_var} "${CMAKE_MATCH_2}")
    set(${out_var}_FROM "args.gn")
  endif()
  if(${out_var} STREQUAL "")  # gn's "" means "the default": V8's BUILD.gn resolves it
    set(${out_var} "${default}")
    set(${out_var}_FROM "default")
  endif()
endmacro()

# _v8_header_uses(<macro> <out_var>): whether the found headers test <macro> (_v8_header_ids).
macro(_v8_header_uses macro out_var)
  list(FIND _v8_header_ids "${macro}" _v8_idx)
  if(_v8_idx GREATER -1)
    set(${out_var} TRUE)
  else()
    set(${out_var} FALSE)
  endif()
endmacro()

# _v8_find_monolith(): reads V8_ROOT, V8_OUT, V8_MONOLITH_DEFINITIONS; sets in the caller
# V8_INCLUDE_DIR, V8_LIBRARY, V8_OUT_DIR, V8_COMPILE_DEFINITIONS, V8_DEFINITIONS_FROM,
# V8_STARTUP_DATA, V8_ICU_DATA (empty when the build embeds them).
function(_v8_find_monolith)
  get_filename_component(_root "${V8_ROOT}" ABSOLUTE)
  find_path(V8_INCLUDE_DIR v8.h PATHS "${_root}/include" NO_DEFAULT_PATH)
  # The library: the chosen out dir, else the one gn out dir that has it (out/<config>, or
  # out.gn/<config> of the older tools/dev/v8gen.py), else the flat layouts (<root>, lib, obj).
  set(_out "")
  if(V8_OUT)
    if(IS_ABSOLUTE "${V8_OUT}")
      set(_out "${V8_OUT}")
    else()
      set(_out "${_root}/${V8_OUT}")
    endif()
    if(NOT EXISTS "${_out}/obj/libv8_monolith.a")
      message(FATAL_ERROR "FindV8: V8_OUT=${V8_OUT}: no ${_out}/obj/libv8_monolith.a "
                          "(build it with: ninja -C ${_out} v8_monolith)")
    endif()
  else()
    file(GLOB _libs "${_root}/out/*/obj/libv8_monolith.a" "${_root}/out.gn/*/obj/libv8_monolith.a")
    list(LENGTH _libs _n)
    if(_n GREATER 1)
      string(REPLACE "/obj/libv8_monolith.a" "" _dirs "${_libs}")
      string(REPLACE ";" "\n  " _dirs "${_dirs}")
      message(FATAL_ERROR "FindV8: ${_root} has ${_n} monolith builds; pick one with "
                          "-DV8_OUT=<out dir>:\n  ${_dirs}")
    elseif(_n EQUAL 1)
      string(REPLACE "/obj/libv8_monolith.a" "" _out "${_libs}")
    endif()
  endif()
  if(_out)
    set(V8_LIBRARY "${_out}/obj/libv8_monolith.a" CACHE FILEPATH "V8 library" FORCE)
  else()
    find_library(V8_LIBRARY NAMES v8_monolith
                 PATHS "${_root}" "${_root}/lib" "${_root}/obj" NO_DEFAULT_PATH)
    # <dir>/obj/libv8_monolith.a where <dir> is itself an out dir (it has args.gn).
    if(V8_LIBRARY MATCHES "^(.*)/obj/libv8_monolith\\.a$" AND EXISTS "${CMAKE_MATCH_1}/args.gn")
      set(_out "${CMAKE_MATCH_1}")
    endif()
  endif()
  if(NOT V8_INCLUDE_DIR OR NOT V8_LIBRARY)
    return()
  endif()

  set(_defs "")
  set(_from "")
  set(_startup "")
  set(_icu "")
  set(_v8_args "")
  set(_v8_json "")
  if(_out)
    if(EXISTS "${_out}/args.gn")
      file(READ "${_out}/args.gn" _v8_args)
      string(REGEX REPLACE "#[^\n]*" "" _v8_args "${_v8_args}")  # gn comments
    endif()
    if(EXISTS "${_out}/v8_build_config.json")
      file(READ "${_out}/v8_build_config.json" _v8_json)
    endif()
  endif()

  if(V8_MONOLITH_DEFINITIONS)
    set(_defs ${V8_MONOLITH_DEFINITIONS})
    set(_from "V8_MONOLITH_DEFINITIONS (override)")
  elseif(_out AND EXISTS "${_out}/gen/include/v8-gn.h")
    # Written by V8's build from the same arguments it compiled with: taken as it is.
    file(STRINGS "${_out}/gen/include/v8-gn.h" _lines REGEX "^[ \t]*#[ \t]*define[ \t]+V8_")
    foreach(_line ${_lines})
      if(_line MATCHES "define[ \t]+(V8_[A-Za-z0-9_]+)[ \t]*([^ \t]*)")
        set(_name "${CMAKE_MATCH_1}")
        set(_val "${CMAKE_MATCH_2}")
        if(_name MATCHES "_H_?$")  # the include guard
          continue()
        elseif(_val STREQUAL "" OR _val STREQUAL "1")
          list(APPEND _defs "${_name}")
        else()
          list(APPEND _defs "${_name}=${_val}")
        endif()
      endif()
    endforeach()
    set(_from "${_out}/gen/include/v8-gn.h")
  elseif(_out AND (_v8_args OR _v8_json))
    # Every V8_ identifier the headers mention: the macro names this V8 version tests.
    file(GLOB _headers "${V8_INCLUDE_DIR}/v8*.h" "${V8_INCLUDE_DIR}/cppgc/*.h"
         "${V8_INCLUDE_DIR}/cppgc/internal/*.h")
    set(_v8_header_ids "")
    foreach(_h ${_headers})
      file(STRINGS "${_h}" _l REGEX "^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|define|undef).*V8_")
      string(REGEX MATCHALL "V8_[A-Z0-9_]+" _ids "${_l}")
      list(APPEND _v8_header_ids ${_ids})
    endforeach()
    list(REMOVE_DUPLICATES _v8_header_ids)
    _v8_read_version("${V8_INCLUDE_DIR}" _ver)
    string(REGEX MATCH "^[0-9]+" _major "${_ver}")

    # V8's own defaults for what args.gn leaves out (BUILD.gn and //build/config): a debug
    # build unless is_debug=false; pointer compression on x64 and arm64; the sandbox on with
    # it from V8 11; startup data and ICU data in files beside the library.
    _v8_gn_value(target_cpu "" _cpu)
    if(_cpu STREQUAL "")
      _v8_gn_value(v8_target_cpu "" _cpu)
    endif()
    if(_cpu STREQUAL "")
      if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
        set(_cpu arm64)
      elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
        set(_cpu x64)
      else()
        set(_cpu "${CMAKE_SYSTEM_PROCESSOR}")
      endif()
    endif()
    set(_pc_default false)
    if(_cpu STREQUAL "x64" OR _cpu STREQUAL "arm64")
      set(_pc_default true)
    endif()
    _v8_gn_value(is_debug true _debug)
    _v8_gn_value(v8_enable_v8_checks ${_debug} _checks)
    _v8_gn_value(v8_enable_pointer_compression ${_pc_default} _pc)
    _v8_gn_value(v8_enable_pointer_compression_shared_cage ${_pc} _cage)
    _v8_gn_value(v8_enable_31bit_smis_on_64bit_arch false _smi31)
    set(_sb_default false)
    if(_major GREATER_EQUAL 11)
      set(_sb_default ${_pc})
    endif()
    _v8_gn_value(v8_enable_sandbox ${_sb_default} _sb)
    _v8_gn_value(v8_enable_sandboxed_pointers false _sbp)
    _v8_gn_value(v8_enable_sandboxed_external_pointers false _sbe)
    _v8_gn_value(v8_enable_heap_sandbox false _heapsb)
    _v8_gn_value(v8_enable_map_packing false _mp)
    _v8_gn_value(v8_use_perfetto false _perfetto)
    if(_sb STREQUAL "true" AND _sb_FROM STREQUAL "default")
      message(WARNING "FindV8: ${_out}/args.gn does not set v8_enable_sandbox: assuming V8 "
                      "${_major}'s default (${_sb}); set it in args.gn to be sure")
    endif()

    # gn argument -> the macro the headers test (a name absent from them is left out).
    foreach(_pair
        "_checks:V8_ENABLE_CHECKS"
        "_pc:V8_COMPRESS_POINTERS"
        "_smi31:V8_31BIT_SMIS_ON_64BIT_ARCH"
        "_sbp:V8_SANDBOXED_POINTERS"
        "_sbe:V8_SANDBOXED_EXTERNAL_POINTERS"
        "_heapsb:V8_HEAP_SANDBOX"
        "_mp:V8_MAP_PACKING"
        "_perfetto:V8_USE_PERFETTO")
      string(REPLACE ":" ";" _pair "${_pair}")
      list(GET _pair 0 _var)
      list(GET _pair 1 _macro)
      _v8_header_uses(${_macro} _used)
      if(${_var} STREQUAL "true" AND _used)
        list(APPEND _defs ${_macro})
      endif()
    endforeach()
    if(_pc STREQUAL "true")
      _v8_header_uses(V8_COMPRESS_POINTERS_IN_SHARED_CAGE _shared_used)
      _v8_header_uses(V8_COMPRESS_POINTERS_IN_ISOLATE_CAGE _isolate_used)
      if(_cage STREQUAL "true" AND _shared_used)
        list(APPEND _defs V8_COMPRESS_POINTERS_IN_SHARED_CAGE)
      elseif(NOT _cage STREQUAL "true" AND _isolate_used)
        list(APPEND _defs V8_COMPRESS_POINTERS_IN_ISOLATE_CAGE)
      endif()
    endif()
    if(_sb STREQUAL "true")
      _v8_header_uses(V8_ENABLE_SANDBOX _new_name)
      _v8_header_uses(V8_SANDBOX _old_name)
      if(_new_name)
        list(APPEND _defs V8_ENABLE_SANDBOX)
      elseif(_old_name)
        list(APPEND _defs V8_SANDBOX)
      else()
        message(WARNING "FindV8: v8_enable_sandbox is on but the headers in ${V8_INCLUDE_DIR} "
                        "test neither V8_ENABLE_SANDBOX nor V8_SANDBOX: defining V8_ENABLE_SANDBOX")
        list(APPEND _defs V8_ENABLE_SANDBOX)
      endif()
    endif()
    set(_from "${_out}/")
    if(_v8_json)
      string(APPEND _from "v8_build_config.json + ")
    endif()
    string(APPEND _from "args.gn (V8 ${_ver} macro names)")
  else()
    # A flat layout without the build's arguments: what such builds usually are.
    set(_defs V8_COMPRESS_POINTERS V8_ENABLE_SANDBOX)
    set(_from "no args.gn beside ${V8_LIBRARY}: assumed; set V8_MONOLITH_DEFINITIONS if wrong")
  endif()

  # Data files the library must hand to V8 before it starts (src/core/platform.cc), whatever the
  # definitions came from: external startup data (snapshot_blob.bin) unless the snapshot is
  # built in, ICU's data file when i18n is on and ICU does not embed it.
  if(_out)
    _v8_gn_value(v8_use_external_startup_data true _ext)
    _v8_gn_value(v8_enable_i18n_support true _i18n)
    _v8_gn_value(icu_use_data_file true _icufile)
    if(_ext STREQUAL "true")
      set(_startup "${_out}/snapshot_blob.bin")
    endif()
    if(_i18n STREQUAL "true" AND _icufile STREQUAL "true")
      set(_icu "${_out}/icudtl.dat")
    endif()
    foreach(_f ${_startup} ${_icu})
      if(NOT EXISTS "${_f}")
        message(WARNING "FindV8: the build needs ${_f}, which is not there yet (ninja -C ${_out} "
                        "v8_monolith builds it); the library looks for it at run time")
      endif()
    endforeach()
  endif()

  set(V8_OUT_DIR "${_out}" PARENT_SCOPE)
  set(V8_COMPILE_DEFINITIONS "${_defs}" PARENT_SCOPE)
  set(V8_DEFINITIONS_FROM "${_from}" PARENT_SCOPE)
  set(V8_STARTUP_DATA "${_startup}" PARENT_SCOPE)
  set(V8_ICU_DATA "${_icu}" PARENT_SCOPE)
endfunction()
