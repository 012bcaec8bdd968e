// Status code names and descriptions, generated from the one table in v8host/errors.h.
#include "v8host.h"

extern "C" {

const char* vh_strerror(int code) {
  switch (code) {
#define VH_ERROR_TEXT_(name, value, text) \
  case value:                             \
    return text;
    VH_ERROR_TABLE(VH_ERROR_TEXT_)
#undef VH_ERROR_TEXT_
  }
  return "unknown error";
}

const char* vh_err_name(int code) {
  switch (code) {
#define VH_ERROR_NAME_(name, value, text) \
  case value:                             \
    return #name;
    VH_ERROR_TABLE(VH_ERROR_NAME_)
#undef VH_ERROR_NAME_
  }
  return "VH_E?";
}

}  // extern "C"
