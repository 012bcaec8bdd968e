// The library's version and the V8 it runs on (v8host/version.h).
#include <v8.h>

#include "v8host.h"

extern "C" {

int vh_version(void) { return VH_VERSION_NUMBER; }

const char* vh_v8_version(void) { return v8::V8::GetVersion(); }

}  // extern "C"
