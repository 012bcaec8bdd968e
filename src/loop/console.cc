// The console builtin (VH_BUILTIN_CONSOLE, see include/v8host/loop.h): every method of V8's
// console namespace, each call sent to the runtime's console sink with its level.
//
// State a method keeps (console.count's counters, console.time's timers, console.group's depth)
// is per engine, in the runtime's Consoles table, keyed by the engine's handle; disposal of the
// engine or the runtime frees it. Labels are bounded per engine (kMaxLabels): a script cannot
// grow host memory without end through them.
#include <uv.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "loop/builtins.h"
#include "core/v8_compat.h"
#include "core/call.h"
#include "loop/loop.h"
#include "marshal/marshal.h"
#include "v8host.h"

namespace vh {

struct EngineConsole {
  std::unordered_map<std::string, uint64_t> counts;
  std::unordered_map<std::string, uint64_t> timers;  // label -> start, uv_hrtime() ns
  int group_depth = 0;
};

struct Consoles {
  std::unordered_map<uint64_t, EngineConsole> engines;
};

namespace {

constexpr size_t kMaxLabels = 4096;   // per engine, for counts and for timers each
constexpr int kMaxIndent = 32;        // group levels that still indent (deeper ones count only)

// The methods, X(name, kind, level): level is what their output is sent with.
#define VH_CONSOLE_METHODS(X)                        \
  X(log, kPrint, VH_CONSOLE_LEVEL_LOG)                     \
  X(info, kPrint, VH_CONSOLE_LEVEL_INFO)                   \
  X(debug, kPrint, VH_CONSOLE_LEVEL_DEBUG)                 \
  X(warn, kPrint, VH_CONSOLE_LEVEL_WARN)                   \
  X(error, kPrint, VH_CONSOLE_LEVEL_ERROR)                 \
  X(dir, kPrint, VH_CONSOLE_LEVEL_LOG)                     \
  X(dirxml, kPrint, VH_CONSOLE_LEVEL_LOG)                  \
  X(table, kPrint, VH_CONSOLE_LEVEL_LOG)                   \
  X(trace, kTrace, VH_CONSOLE_LEVEL_TRACE)                 \
  X(assert, kAssert, VH_CONSOLE_LEVEL_ERROR)               \
  X(count, kCount, VH_CONSOLE_LEVEL_INFO)                  \
  X(countReset, kCountReset, VH_CONSOLE_LEVEL_WARN)        \
  X(group, kGroup, VH_CONSOLE_LEVEL_LOG)                   \
  X(groupCollapsed, kGroup, VH_CONSOLE_LEVEL_LOG)          \
  X(groupEnd, kGroupEnd, VH_CONSOLE_LEVEL_LOG)             \
  X(clear, kClear, VH_CONSOLE_LEVEL_CLEAR)                 \
  X(time, kTime, VH_CONSOLE_LEVEL_WARN)                    \
  X(timeLog, kTimeLog, VH_CONSOLE_LEVEL_INFO)              \
  X(timeEnd, kTimeEnd, VH_CONSOLE_LEVEL_INFO)              \
  X(profile, kNothing, VH_CONSOLE_LEVEL_LOG)               \
  X(profileEnd, kNothing, VH_CONSOLE_LEVEL_LOG)            \
  X(timeStamp, kNothing, VH_CONSOLE_LEVEL_LOG)             \
  X(context, kNothing, VH_CONSOLE_LEVEL_LOG)

enum class Kind { kPrint, kTrace, kAssert, kCount, kCountReset, kGroup, kGroupEnd, kClear, kTime, kTimeLog, kTimeEnd, kNothing };

struct Method {
  const char* name;
  Kind kind;
  vh_console_level level;
};

#define VH_CONSOLE_ROW(name, kind, level) {#name, Kind::kind, level},
const Method kMethods[] = {VH_CONSOLE_METHODS(VH_CONSOLE_ROW)};
#undef VH_CONSOLE_ROW

void append_utf8(v8::Isolate* iso, v8::Local<v8::String> s, std::string* out) {
  size_t at = out->size();
  size_t len = compat::utf8_length(iso, s);
  out->resize(at + len);
  compat::write_utf8(iso, s, &(*out)[at], len);
}

// String(v), or nothing when it throws.
bool try_to_string(v8::Local<v8::Context> ctx, v8::Local<v8::Value> v, v8::Local<v8::String>* out) {
  v8::TryCatch tc(compat::isolate_of(ctx));
  return v->ToString(ctx).ToLocal(out);
}

// Appends one console argument's text. False when execution is being terminated.
bool append_value(v8::Isolate* iso, v8::Local<v8::Context> ctx, v8::Local<v8::Value> v, std::string* out) {
  v8::Local<v8::String> s;
  if (v->IsString()) {
    append_utf8(iso, v.As<v8::String>(), out);
    return true;
  }
  if (v->IsSymbol()) {
    *out += "Symbol(";
    v8::Local<v8::Value> desc = v.As<v8::Symbol>()->Description(iso);
    if (desc->IsString()) append_utf8(iso, desc.As<v8::String>(), out);
    *out += ")";
    return true;
  }
  if (v->IsObject() && !v->IsFunction()) {
    v8::TryCatch tc(iso);
    if (v->IsNativeError()) {
      // JSON gives "{}" for errors: their stack ("Error: message\n    at ...") says more.
      v8::Local<v8::Value> stack;
      v8::Local<v8::String> key = v8::String::NewFromUtf8Literal(iso, "stack");
      if (v.As<v8::Object>()->Get(ctx, key).ToLocal(&stack) && stack->IsString()) {
        append_utf8(iso, stack.As<v8::String>(), out);
        return true;
      }
    } else if (v8::JSON::Stringify(ctx, v).ToLocal(&s)) {
      // V8 turns an undefined result into "undefined", which no JSON text is.
      if (!s->StringEquals(v8::String::NewFromUtf8Literal(iso, "undefined"))) {
        append_utf8(iso, s, out);
        return true;
      }
    }
    if (tc.HasTerminated()) return false;
  }
  if (try_to_string(ctx, v, &s)) {
    append_utf8(iso, s, out);
    return true;
  }
  if (iso->IsExecutionTerminating()) return false;
  *out += v->IsObject() ? "[object]" : "[value]";
  return true;
}

EngineConsole& state_of(Runtime* rt, uint64_t engine) {
  if (!rt->loop->consoles) rt->loop->consoles = new Consoles();
  return rt->loop->consoles->engines[engine];
}

// Sends one message: indented by the engine's group depth (every line), to the sink or to
// stdout (log, info, debug) / stderr (warn, error, trace). Clear goes to the sink only.
void emit(EngineCall& call, vh_console_level level, const std::string& text) {
  Runtime* rt = call.rt;
  int depth = state_of(rt, call.engine->handle).group_depth;
  std::string out;
  if (depth > 0 && level != VH_CONSOLE_LEVEL_CLEAR) {
    std::string indent(static_cast<size_t>(depth < kMaxIndent ? depth : kMaxIndent) * 2, ' ');
    out.reserve(text.size() + indent.size());
    out += indent;
    for (char c : text) {
      out += c;
      if (c == '\n') out += indent;
    }
  } else {
    out = text;
  }
  vh_engine engine{call.engine->handle};
  if (rt->loop->console_sink) {
    rt->loop->console_sink(engine, level, out.data(), out.size(), rt->loop->console_data);
    return;
  }
  if (level == VH_CONSOLE_LEVEL_CLEAR) return;
  bool to_stdout = level == VH_CONSOLE_LEVEL_LOG || level == VH_CONSOLE_LEVEL_INFO || level == VH_CONSOLE_LEVEL_DEBUG;
  out += '\n';
  fwrite(out.data(), 1, out.size(), to_stdout ? stdout : stderr);
}

// The arguments from first on, formatted and joined by spaces. False when execution is being
// terminated.
bool format_args(EngineCall& call, const vh_call_info* info, size_t first, std::string* text) {
  for (size_t i = first; i < info->argc; ++i) {
    v8::Local<v8::Value> v;
    if (call_arg(call, info->argv[i], &v) != VH_OK) continue;
    if (!text->empty()) *text += ' ';
    if (!append_value(call.isolate, call.context, v, text)) return false;
  }
  return true;
}

// The label of count/time methods: String(first argument), "default" when absent or undefined.
bool label_of(EngineCall& call, const vh_call_info* info, std::string* label) {
  v8::Local<v8::Value> v;
  if (info->argc < 1 || call_arg(call, info->argv[0], &v) != VH_OK || v->IsUndefined()) {
    *label = "default";
    return true;
  }
  label->clear();
  return append_value(call.isolate, call.context, v, label);
}

// "    at f (file.js:1:2)" lines of the current JavaScript stack.
void append_stack(EngineCall& call, std::string* text) {
  v8::Isolate* iso = call.isolate;
  v8::Local<v8::StackTrace> stack = v8::StackTrace::CurrentStackTrace(iso, 10);
  for (int i = 0; i < stack->GetFrameCount(); ++i) {
    v8::Local<v8::StackFrame> frame = stack->GetFrame(iso, i);
    std::string where;
    v8::Local<v8::String> script = frame->GetScriptName();
    if (!script.IsEmpty()) append_utf8(iso, script, &where);
    where += ":" + std::to_string(frame->GetLineNumber()) + ":" + std::to_string(frame->GetColumn());
    *text += "\n    at ";
    v8::Local<v8::String> fn = frame->GetFunctionName();
    if (!fn.IsEmpty() && fn->Length() > 0) {
      append_utf8(iso, fn, text);
      *text += " (" + where + ")";
    } else {
      *text += where;
    }
  }
}

std::string elapsed(const std::string& label, uint64_t start) {
  char ms[64];
  snprintf(ms, sizeof ms, ": %.3fms", static_cast<double>(uv_hrtime() - start) / 1e6);
  return label + ms;
}

int js_console(const vh_call_info* info, vh_value*) {
  const Method& m = *static_cast<const Method*>(info->data);
  EngineCall call;
  if (call.enter(info->engine, false) != VH_OK) return VH_OK;  // console.* never throws
  EngineConsole& st = state_of(call.rt, call.engine->handle);
  std::string text, label;
  switch (m.kind) {
    case Kind::kPrint:
      if (format_args(call, info, 0, &text)) emit(call, m.level, text);
      break;
    case Kind::kTrace:
      text = "Trace";
      if (info->argc) text += ": ";
      {
        std::string args;
        if (!format_args(call, info, 0, &args)) break;
        text += args;
      }
      append_stack(call, &text);
      emit(call, m.level, text);
      break;
    case Kind::kAssert: {
      v8::Local<v8::Value> cond;
      if (info->argc >= 1 && call_arg(call, info->argv[0], &cond) == VH_OK && cond->BooleanValue(call.isolate)) break;
      text = "Assertion failed";
      std::string args;
      if (!format_args(call, info, 1, &args)) break;
      if (!args.empty()) text += ": " + args;
      emit(call, m.level, text);
      break;
    }
    case Kind::kCount: {
      if (!label_of(call, info, &label)) break;
      auto it = st.counts.find(label);
      if (it == st.counts.end()) {
        if (st.counts.size() >= kMaxLabels) {
          emit(call, VH_CONSOLE_LEVEL_WARN, "Too many counters: '" + label + "' not counted");
          break;
        }
        it = st.counts.emplace(label, 0).first;
      }
      emit(call, m.level, label + ": " + std::to_string(++it->second));
      break;
    }
    case Kind::kCountReset:
      if (!label_of(call, info, &label)) break;
      if (!st.counts.erase(label)) emit(call, m.level, "Count for '" + label + "' does not exist");
      break;
    case Kind::kGroup:
      if (!format_args(call, info, 0, &text)) break;
      if (!text.empty()) emit(call, m.level, text);
      if (st.group_depth < INT32_MAX) ++st.group_depth;
      break;
    case Kind::kGroupEnd:
      if (st.group_depth > 0) --st.group_depth;
      break;
    case Kind::kClear:
      emit(call, m.level, std::string());
      break;
    case Kind::kTime:
      if (!label_of(call, info, &label)) break;
      if (st.timers.count(label))
        emit(call, m.level, "Timer '" + label + "' already exists");
      else if (st.timers.size() >= kMaxLabels)
        emit(call, m.level, "Too many timers: '" + label + "' not started");
      else
        st.timers.emplace(label, uv_hrtime());
      break;
    case Kind::kTimeLog:
    case Kind::kTimeEnd: {
      if (!label_of(call, info, &label)) break;
      auto it = st.timers.find(label);
      if (it == st.timers.end()) {
        emit(call, VH_CONSOLE_LEVEL_WARN, "Timer '" + label + "' does not exist");
        break;
      }
      text = elapsed(label, it->second);
      if (m.kind == Kind::kTimeEnd) {
        st.timers.erase(it);
      } else {
        std::string args;
        if (!format_args(call, info, 1, &args)) break;
        if (!args.empty()) text += " " + args;
      }
      emit(call, m.level, text);
      break;
    }
    case Kind::kNothing:
      break;
  }
  return VH_OK;
}

}  // namespace

int install_console(EngineCall& call, v8::Local<v8::Object> global) {
  v8::Local<v8::Object> console = v8::Object::New(call.isolate);
  for (const Method& m : kMethods)
    VH_TRY(define_function(call, console, m.name, js_console, const_cast<Method*>(&m)));
  return define(call, global, "console", console);
}

void forget_engine_console(Engine* engine) {
  if (engine->rt->loop->consoles) engine->rt->loop->consoles->engines.erase(engine->handle);
}

void destroy_console(Runtime* rt) {
  delete rt->loop->consoles;
  rt->loop->consoles = nullptr;
}

}  // namespace vh
