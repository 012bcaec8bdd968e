/**
 * @file v8host/api.h
 * @brief VH_API marks the functions the library exports; everything else in it is hidden.
 */
#ifndef V8HOST_API_H
#define V8HOST_API_H
#if defined(__GNUC__) || defined(__clang__)
#define VH_API __attribute__((visibility("default")))
#else
#define VH_API
#endif
#endif
