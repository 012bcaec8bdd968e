/**
 * @file v8host/version.h
 * @brief Version of the v8host headers, and of the library actually linked.
 */
#ifndef V8HOST_VERSION_H
#define V8HOST_VERSION_H

#include "v8host/api.h"

/** Major version of these headers: raised by incompatible API changes. */
#define VH_VERSION_MAJOR 1
/** Minor version of these headers: raised by compatible additions. */
#define VH_VERSION_MINOR 0
/** Patch version of these headers: raised by fixes. */
#define VH_VERSION_PATCH 0
/** The version as one number, `major * 10000 + minor * 100 + patch`, for `#if` tests. */
#define VH_VERSION_NUMBER (VH_VERSION_MAJOR * 10000 + VH_VERSION_MINOR * 100 + VH_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief The linked library's version number (same encoding as ::VH_VERSION_NUMBER).
 *
 * Compare it with ::VH_VERSION_NUMBER to detect a header/library mismatch at run time.
 * Any thread; never fails.
 * @return the version number, e.g. 10000 for 1.0.0.
 */
VH_API int vh_version(void);

/**
 * @brief The version of V8 the library was built against, e.g. "10.2.154.26-node.37".
 *
 * The string is static; do not free it. Any thread; never fails.
 * @return the version string; never NULL.
 */
VH_API const char *vh_v8_version(void);

#ifdef __cplusplus
}
#endif
#endif
