// vh_snapshot_create's look at the builder's heap for what V8 10.2 cannot serialize, so that it
// is refused with VH_ENOTSUP instead of ending the process inside SnapshotCreator::CreateBlob.
//
// What ends the process (seen with probes on Debian's V8 10.2): every Intl object (a
// NumberFormat, Collator, DateTimeFormat, PluralRules, Segmenter and its segments, Locale, ...)
// owns its ICU object through a Managed<>: a Foreign that V8 keeps a weak global handle to,
// so as to delete the ICU object when the Foreign dies. CreateBlob checks that every global
// handle of the isolate is one of the objects handed to it with AddData ("global handle not
// serialized: [Foreign]", then a fatal CHECK). So the test is that exact condition: a global
// handle to a Foreign while the heap is being serialized. The library itself holds no global
// handle to a Foreign (its externals are JS objects), so every such handle is V8's own
// Managed<> (Intl's ICU objects; WebAssembly's native modules in builds that allow them).
// Intl results that V8 caches per isolate (the formatters behind toLocaleString(),
// localeCompare()) live in C++ outside the heap: they do not stop a snapshot.
//
// The global handles are found through the heap profiler's graph: its "(Global handles)" root
// has an edge to every object a global handle holds. Taking that graph costs about as much as a
// full GC plus a walk of the heap, once per blob. The root's and the Foreign's names are those
// of V8 10.2's heap profiler: where a V8 names them otherwise, nothing is found and the heap
// goes to V8 as before (a V8 that can serialize Intl objects needs no check).
#include <v8-profiler.h>

#include "embed/snapshot.h"
#include "v8host.h"

namespace vh {

namespace {

bool named(const v8::HeapGraphNode* node, v8::Local<v8::String> name) {
  v8::Local<v8::String> own = node->GetName();
  return !own.IsEmpty() && own->StringEquals(name);
}

// The synthetic "(Global handles)" root, under the snapshot's root or its "(GC roots)".
const v8::HeapGraphNode* global_handles_root(v8::Isolate* iso, const v8::HeapSnapshot* snap) {
  v8::Local<v8::String> gc_roots = v8::String::NewFromUtf8Literal(iso, "(GC roots)");
  v8::Local<v8::String> handles = v8::String::NewFromUtf8Literal(iso, "(Global handles)");
  const v8::HeapGraphNode* levels[2] = {snap->GetRoot(), nullptr};
  for (const v8::HeapGraphNode* parent : levels) {
    if (!parent) break;
    for (int i = 0; i < parent->GetChildrenCount(); ++i) {
      const v8::HeapGraphNode* child = parent->GetChild(i)->GetToNode();
      if (child->GetType() != v8::HeapGraphNode::kSynthetic) continue;
      if (named(child, handles)) return child;
      if (named(child, gc_roots)) levels[1] = child;
    }
  }
  return nullptr;
}

}  // namespace

int check_heap_serializable(v8::Isolate* iso) {
  v8::HandleScope scope(iso);
  const v8::HeapSnapshot* snap = iso->GetHeapProfiler()->TakeHeapSnapshot();
  if (!snap) return VH_ENOMEM;
  int rc = VH_OK;
  const v8::HeapGraphNode* root = global_handles_root(iso, snap);
  v8::Local<v8::String> foreign = v8::String::NewFromUtf8Literal(iso, "system / Foreign");
  for (int i = 0; root && rc == VH_OK && i < root->GetChildrenCount(); ++i) {
    const v8::HeapGraphNode* held = root->GetChild(i)->GetToNode();
    if (held->GetType() == v8::HeapGraphNode::kHidden && named(held, foreign)) rc = VH_ENOTSUP;
  }
  const_cast<v8::HeapSnapshot*>(snap)->Delete();
  return rc;
}

}  // namespace vh
