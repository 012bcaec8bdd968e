// The wait-for graph (see core/waits.h).
#include "core/waits.h"

#include <mutex>
#include <unordered_map>

namespace vh {
namespace {

// Guards the edges. Taken only by threads that are blocked anyway (or about to block).
std::mutex& waits_mu() {
  static std::mutex* mu = new std::mutex();  // never destroyed: waits may run during exit
  return *mu;
}
std::unordered_map<uint32_t, WaitTarget>& edges() {
  static auto* map = new std::unordered_map<uint32_t, WaitTarget>();
  return *map;
}

}  // namespace

WaitEdge::WaitEdge(uint32_t me, WaitTarget target) : me_(me) {
  std::lock_guard<std::mutex> lock(waits_mu());
  edges()[me] = std::move(target);
}

WaitEdge::~WaitEdge() {
  std::lock_guard<std::mutex> lock(waits_mu());
  edges().erase(me_);
}

void WaitEdge::retarget(WaitTarget target) {
  std::lock_guard<std::mutex> lock(waits_mu());
  edges()[me_] = std::move(target);
}

bool WaitEdge::deadlocked() const {
  std::lock_guard<std::mutex> lock(waits_mu());
  auto& map = edges();
  auto it = map.find(me_);
  // Every thread in a cycle is blocked with an edge published, and the edge's atomic names the
  // next one for as long as the cycle lasts: a walk that comes back to me_ is a real cycle.
  // Longer than the number of waiters, a walk is going round a cycle that does not include me_.
  for (size_t steps = 0; it != map.end() && steps <= map.size(); ++steps) {
    uint32_t next = it->second->load(std::memory_order_acquire);
    if (next == 0) return false;
    if (next == me_) return true;
    it = map.find(next);
  }
  return false;
}

}  // namespace vh
