/**
 * @file v8host/module.h
 * @brief ES modules: evaluating module source, a host loader for imports, import.meta,
 *        synthetic modules whose exports come from C, and top-level await.
 *
 * Each engine keeps a module map: a module is identified by its resolved name (the name the
 * loader returns), so two imports that resolve to the same name share one module instance, and
 * cycles work. Static imports and dynamic `import()` both go through the runtime's loader.
 * Top-level await: evaluation returns a promise that settles when the module has finished;
 * vh_module_eval() drives microtasks (and, when the runtime has a loop, the loop) until then.
 */
#ifndef V8HOST_MODULE_H
#define V8HOST_MODULE_H

#include "v8host/api.h"
#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a module loader supplies for one import. Strings are copied by the library. */
typedef struct vh_module_source {
  /** The module's resolved name: its identity in the engine's module map, the resource name of
   *  its errors and stack frames, and the referrer of its own imports. Must be set. */
  const char *resolved_name;
  /** The module's source text (UTF-8), or NULL when the resolved name is a synthetic module
   *  already registered with vh_module_define_synthetic(), or already in the map. */
  const char *source;
  /** Length of source in bytes, or ::VH_AUTO_LENGTH. */
  size_t source_length;
} vh_module_source;

/**
 * @brief Resolves and loads one import.
 *
 * Called on the runtime's thread, with the runtime's lock held, for each static import and
 * each dynamic `import()` whose resolved module is not loaded yet (and once to resolve every
 * specifier: the loader is where relative specifiers become absolute names).
 *
 * @param engine the importing engine.
 * @param specifier the import's specifier, as written.
 * @param referrer the resolved name of the importing module, or the resource name of the
 *        importing script (dynamic import from a classic script).
 * @param[out] out fill it in; its strings need only live until the loader returns.
 * @param data the loader's user data.
 * @return ::VH_OK, or any negative code: the import fails with an Error
 *         "Cannot load module '<specifier>' from '<referrer>': <VH_NAME>" whose `code` is
 *         "<VH_NAME>".
 */
typedef int (*vh_module_loader_cb)(vh_engine engine, const char *specifier, const char *referrer,
                                vh_module_source *out, void *data);

/**
 * @brief Sets the module loader of every engine of @p runtime (NULL removes it: imports then
 *        fail).
 * @param runtime the runtime.
 * @param loader the loader, or NULL.
 * @param data handed to @p loader; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED. Any thread; waits for the runtime's lock.
 */
VH_API int vh_runtime_set_module_loader(vh_runtime runtime, vh_module_loader_cb loader, void *data);

/**
 * @brief Fills `import.meta` of a module. Called once per module, the first time its
 *        import.meta is read, with the runtime's lock held and a scope open.
 * @param engine the engine the module belongs to, with a scope open on it.
 * @param resolved_name the module's resolved name.
 * @param meta the import.meta object (initially empty): set properties on it.
 * @param data the data given to vh_runtime_set_import_meta_hook().
 * @return ::VH_OK, or a negative code (import.meta is left as filled so far).
 */
typedef int (*vh_import_meta_hook_cb)(vh_engine engine, const char *resolved_name, vh_value meta,
                                   void *data);

/**
 * @brief Sets the import.meta hook of @p runtime (NULL: import.meta stays empty).
 * @param runtime the runtime.
 * @param hook the hook, or NULL.
 * @param data handed to @p hook; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED. Any thread; waits for the runtime's lock.
 */
VH_API int vh_runtime_set_import_meta_hook(vh_runtime runtime, vh_import_meta_hook_cb hook, void *data);

/**
 * @brief Compiles, links and evaluates module source in @p engine under @p resolved_name.
 *
 * Its imports are loaded through the runtime's loader. When the module (or one it imports) uses
 * top-level await, microtasks (and the runtime's loop, if it has one) are driven until the
 * evaluation settles.
 *
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param source UTF-8; must not be NULL. @param length bytes or ::VH_AUTO_LENGTH.
 * @param resolved_name the module's name; must not be NULL; an already loaded name is refused
 *        with ::VH_EINVAL (a module is evaluated once per engine).
 * @param[out] namespace_out the module namespace object; may be NULL.
 * @return ::VH_OK; ::VH_EEXCEPTION (a SyntaxError with its location, a failed import or link, an
 *         exception during evaluation, a rejected top-level await: pending in the engine);
 *         ::VH_ETERMINATED / ::VH_ETIMEDOUT / ::VH_EHEAPLIMIT (stopped while evaluating or
 *         awaiting); ::VH_EBUSY (called from this engine's own module loader);
 *         ::VH_EPENDING_EXCEPTION; ::VH_EINVAL; ::VH_ERANGE; the common engine codes.
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_module_eval(vh_engine engine, const char *source, size_t length,
                          const char *resolved_name, vh_value *namespace_out);

/** A synthetic module being initialised: handed to its ::vh_synthetic_init_cb, valid until that
 *  returns (later calls with it give ::VH_EDISPOSED). */
typedef struct vh_synthetic_module {
  uint64_t id_;
} vh_synthetic_module;

/**
 * @brief Called to fill a synthetic module's exports when it is first evaluated, with the
 *        runtime's lock held and a scope open. Set each export with vh_module_set_export().
 * @param engine the engine, with a scope open on it.
 * @param module the module, for vh_module_set_export(); valid during the call.
 * @param data the data given to vh_module_define_synthetic().
 * @return ::VH_OK, or a negative code: the import that evaluated it fails with an Error
 *         "Cannot initialise synthetic module '<name>': <VH_NAME>" whose `code` is "<VH_NAME>".
 */
typedef int (*vh_synthetic_init_cb)(vh_engine engine, vh_synthetic_module module, void *data);

/**
 * @brief Registers a synthetic module: a module whose exports are values made in C.
 *
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param resolved_name its name in the module map (imports reach it when the loader resolves a
 *        specifier to this name, or when the specifier is this name exactly).
 * @param export_names the names it exports (copied); @p export_count of them; at least one.
 * @param export_count the number of @p export_names.
 * @param init fills the exports; must not be NULL.
 * @param data handed to @p init; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL (NULL arguments, no exports, or the name is taken); the common
 *         engine codes.
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_module_define_synthetic(vh_engine engine, const char *resolved_name,
                                      const char *const *export_names, size_t export_count,
                                      vh_synthetic_init_cb init, void *data);

/**
 * @brief Sets export @p name of the synthetic module being initialised.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param module the handle @p init received.
 * @param name one of the module's export names; must not be NULL.
 * @param value the export's value.
 * @return ::VH_OK; ::VH_EINVAL (NULL @p name, the empty @p module, or @p name not an export of
 *         it); ::VH_EDISPOSED (@p module is not being initialised in @p engine: its init has
 *         returned, or it is another engine's); the common engine and value codes.
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_module_set_export(vh_engine engine, vh_synthetic_module module, const char *name,
                                vh_value value);

#ifdef __cplusplus
}
#endif
#endif
