// Code cache: placeholder until the implementation lands.
#include "internal/call.h"
#include "v8host.h"
