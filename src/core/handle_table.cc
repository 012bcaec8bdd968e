// The handle tables of core's objects (handle_table.h).
#include "core/handle_table.h"

namespace vh {

// Constant-initialised (HandleTable has a constexpr constructor), so usable from any static
// initialiser and never destroyed while threads may still look handles up at exit.
HandleTable<Runtime> g_runtime_table;
HandleTable<Engine> g_engine_table;
HandleTable<Ref> g_ref_table;

}  // namespace vh
