// Configure-time check (cmake/InspectorCheck.cmake): the hand-written declarations of
// src/debug/inspector/v8_inspector_abi.h against the V8 library being linked.
//
// Linking proves the non-virtual functions exist with these signatures (their mangled names).
// Running compares the vtable slot of every virtual function declared there with the slot that
// holds the same function in the library's own vtables: V8InspectorImpl (the V8Inspector),
// V8InspectorSessionImpl (the V8InspectorSession) and Node's NodeInspectorClient (a
// V8InspectorClient, whose slots V8 calls into v8host's client). Exit status 0: all agree.
#include <dlfcn.h>

#include <cstdio>
#include <cstring>

#include "debug/inspector/v8_inspector_abi.h"

using namespace v8_inspector;

namespace {

// The Itanium C++ ABI's pointer to a virtual member function: 1 + the byte offset of its slot.
template <typename F>
long slot_of(F f) {
  struct { uintptr_t ptr; ptrdiff_t adj; } raw;
  static_assert(sizeof(f) == sizeof(raw), "not an Itanium member function pointer");
  std::memcpy(&raw, &f, sizeof raw);
  if ((raw.ptr & 1) == 0) return -1;  // not virtual
  return static_cast<long>((raw.ptr - 1) / sizeof(void*));
}

void* lib;
int failures = 0;

// The function in slot `slot` of vtable `vtable` must be one of the symbols `names` (each
// NUL-separated, the list ending with an empty name).
void expect(const char* vtable, const char* what, long slot, const char* names) {
  void** vt = static_cast<void**>(dlsym(lib, vtable));
  if (!vt) { std::printf("missing vtable %s\n", vtable); failures++; return; }
  if (slot < 0) { std::printf("%s: not virtual\n", what); failures++; return; }
  void* entry = vt[2 + slot];  // after offset-to-top and the type_info pointer
  for (const char* n = names; *n; n += std::strlen(n) + 1)
    if (void* f = dlsym(lib, n); f && f == entry) return;
  std::printf("%s: slot %ld holds another function\n", what, slot);
  failures++;
}

#define IMPL "_ZN12v8_inspector15V8InspectorImpl"
#define SESS "_ZN12v8_inspector22V8InspectorSessionImpl"
#define BASE "_ZN12v8_inspector17V8InspectorClient"
#define NODE "_ZN4node9inspector19NodeInspectorClient"
#define I(m, mangled) expect("_ZTVN12v8_inspector15V8InspectorImplE", #m, slot_of(&V8Inspector::m), IMPL mangled "\0")
#define S(m, mangled) expect("_ZTVN12v8_inspector22V8InspectorSessionImplE", #m, slot_of(&V8InspectorSession::m), SESS mangled "\0")
#define C(m, base, node) expect("_ZTVN4node9inspector19NodeInspectorClientE", #m, slot_of(&V8InspectorClient::m), BASE base "\0" NODE node "\0")

}  // namespace

int main() {
  lib = dlopen(V8_LIBRARY_SONAME, RTLD_NOW | RTLD_NOLOAD);
  if (!lib) { std::printf("cannot find %s among the loaded libraries\n", V8_LIBRARY_SONAME); return 2; }
  // The exported non-virtual entry points v8host calls (a link error if their signature differs).
  volatile auto create = &V8Inspector::create;
  volatile auto buffer = &StringBuffer::create;
  (void)create; (void)buffer;

  I(contextCreated, "14contextCreatedERKNS_13V8ContextInfoE");
  I(contextDestroyed, "16contextDestroyedEN2v85LocalINS1_7ContextEEE");
  I(resetContextGroup, "17resetContextGroupEi");
  I(contextById, "11contextByIdEi");
  I(uniqueDebuggerId, "16uniqueDebuggerIdEi");
  I(idleStarted, "11idleStartedEv");
  I(idleFinished, "12idleFinishedEv");
  I(asyncTaskScheduled, "18asyncTaskScheduledENS_10StringViewEPvb");
  I(asyncTaskCanceled, "17asyncTaskCanceledEPv");
  I(asyncTaskStarted, "16asyncTaskStartedEPv");
  I(asyncTaskFinished, "17asyncTaskFinishedEPv");
  I(allAsyncTasksCanceled, "21allAsyncTasksCanceledEv");
  I(storeCurrentStackTrace, "22storeCurrentStackTraceENS_10StringViewE");
  I(externalAsyncTaskStarted, "24externalAsyncTaskStartedERKNS_14V8StackTraceIdE");
  I(externalAsyncTaskFinished, "25externalAsyncTaskFinishedERKNS_14V8StackTraceIdE");
  I(exceptionThrown, "15exceptionThrownEN2v85LocalINS1_7ContextEEENS_10StringViewENS2_INS1_5ValueEEES5_S5_jjSt10unique_ptrINS_12V8StackTraceESt14default_deleteIS9_EEi");
  I(exceptionRevoked, "16exceptionRevokedEN2v85LocalINS1_7ContextEEEjNS_10StringViewE");
  I(associateExceptionData, "22associateExceptionDataEN2v85LocalINS1_7ContextEEENS2_INS1_5ValueEEENS2_INS1_4NameEEES6_");
  I(connect, "7connectEiPNS_11V8Inspector7ChannelENS_10StringViewE");
  I(createStackTrace, "16createStackTraceEN2v85LocalINS1_10StackTraceEEE");
  I(captureStackTrace, "17captureStackTraceEb");

  S(addInspectedObject, "18addInspectedObjectESt10unique_ptrINS_18V8InspectorSession11InspectableESt14default_deleteIS3_EE");
  S(dispatchProtocolMessage, "23dispatchProtocolMessageENS_10StringViewE");
  S(state, "5stateEv");
  S(supportedDomains, "16supportedDomainsEv");
  S(initializeCommandLineAPIScope, "29initializeCommandLineAPIScopeEi");
  S(schedulePauseOnNextStatement, "28schedulePauseOnNextStatementENS_10StringViewES1_");
  S(cancelPauseOnNextStatement, "26cancelPauseOnNextStatementEv");
  S(breakProgram, "12breakProgramENS_10StringViewES1_");
  S(setSkipAllPauses, "16setSkipAllPausesEb");
  S(resume, "6resumeEb");
  S(stepOver, "8stepOverEv");
  S(searchInTextByLines, "19searchInTextByLinesENS_10StringViewES1_bb");
  S(wrapObject, "10wrapObjectEN2v85LocalINS1_7ContextEEENS2_INS1_5ValueEEENS_10StringViewEb");
  S(unwrapObject, "12unwrapObjectEPSt10unique_ptrINS_12StringBufferESt14default_deleteIS2_EENS_10StringViewEPN2v85LocalINS8_5ValueEEEPNS9_INS8_7ContextEEES6_");
  S(releaseObjectGroup, "18releaseObjectGroupENS_10StringViewE");
  S(triggerPreciseCoverageDeltaUpdate, "33triggerPreciseCoverageDeltaUpdateENS_10StringViewE");

  C(runMessageLoopOnPause, "21runMessageLoopOnPauseEi", "21runMessageLoopOnPauseEi");
  C(quitMessageLoopOnPause, "22quitMessageLoopOnPauseEv", "22quitMessageLoopOnPauseEv");
  C(runIfWaitingForDebugger, "23runIfWaitingForDebuggerEi", "23runIfWaitingForDebuggerEi");
  C(muteMetrics, "11muteMetricsEi", "11muteMetricsEi");
  C(unmuteMetrics, "13unmuteMetricsEi", "13unmuteMetricsEi");
  C(beginUserGesture, "16beginUserGestureEv", "16beginUserGestureEv");
  C(endUserGesture, "14endUserGestureEv", "14endUserGestureEv");
  C(serializeToWebDriverValue, "25serializeToWebDriverValueEN2v85LocalINS1_5ValueEEEi", "-");
  C(valueSubtype, "12valueSubtypeEN2v85LocalINS1_5ValueEEE", "-");
  C(descriptionForValueSubtype, "26descriptionForValueSubtypeEN2v85LocalINS1_7ContextEEENS2_INS1_5ValueEEE", "-");
  C(isInspectableHeapObject, "23isInspectableHeapObjectEN2v85LocalINS1_6ObjectEEE", "-");
  C(ensureDefaultContextInGroup, "27ensureDefaultContextInGroupEi", "27ensureDefaultContextInGroupEi");
  C(beginEnsureAllContextsInGroup, "29beginEnsureAllContextsInGroupEi", "-");
  C(endEnsureAllContextsInGroup, "27endEnsureAllContextsInGroupEi", "-");
  C(installAdditionalCommandLineAPI, "31installAdditionalCommandLineAPIEN2v85LocalINS1_7ContextEEENS2_INS1_6ObjectEEE", "31installAdditionalCommandLineAPIEN2v85LocalINS2_7ContextEEENS3_INS2_6ObjectEEE");
  C(consoleAPIMessage, "17consoleAPIMessageEiN2v87Isolate17MessageErrorLevelERKNS_10StringViewES6_jjPNS_12V8StackTraceE", "-");
  C(memoryInfo, "10memoryInfoEPN2v87IsolateENS1_5LocalINS1_7ContextEEE", "-");
  C(consoleTime, "11consoleTimeERKNS_10StringViewE", "-");
  C(consoleTimeEnd, "14consoleTimeEndERKNS_10StringViewE", "-");
  C(consoleTimeStamp, "16consoleTimeStampERKNS_10StringViewE", "-");
  C(consoleClear, "12consoleClearEi", "-");
  C(currentTimeMS, "13currentTimeMSEv", "13currentTimeMSEv");
  C(startRepeatingTimer, "19startRepeatingTimerEdPFvPvES2_", "19startRepeatingTimerEdPFvPvES2_");
  C(cancelTimer, "11cancelTimerEPv", "11cancelTimerEPv");
  C(canExecuteScripts, "17canExecuteScriptsEi", "-");
  C(maxAsyncCallStackDepthChanged, "29maxAsyncCallStackDepthChangedEi", "29maxAsyncCallStackDepthChangedEi");
  C(resourceNameToUrl, "17resourceNameToUrlERKNS_10StringViewE", "17resourceNameToUrlERKN12v8_inspector10StringViewE");
  C(generateUniqueId, "16generateUniqueIdEv", "-");
  C(dispatchError, "13dispatchErrorEN2v85LocalINS1_7ContextEEENS2_INS1_7MessageEEENS2_INS1_5ValueEEE", "-");

  if (failures) std::printf("%d inspector declarations disagree with the library\n", failures);
  else std::printf("inspector ABI matches\n");
  return failures ? 1 : 0;
}
