// The DevTools endpoint: HTTP /json/list, /json/version and one WebSocket per session, served by
// libwebsockets on a thread of its own. The endpoint never touches V8: it queues requests with
// queue_message() (the runtime's thread dispatches them) and the sessions' replies come back
// through each connection's outbox, which this thread writes when libwebsockets says it can.
#include <arpa/inet.h>
#include <libwebsockets.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <random>
#include <thread>
#include <unordered_set>

#include "debug/inspector/inspector_impl.h"
#include "core/call.h"
#include "core/versioned.h"
#include "v8host.h"

namespace vh {

struct Conn;

struct Server {
  uint64_t inspector = 0;  // the inspector's handle (never a pointer: it may be gone)
  std::string id, title, bind_host;
  int port = 0;
  bool allow_remote = false;
  lws_context* ctx = nullptr;
  std::thread thread;
  std::atomic<bool> stop{false};
  std::mutex mu;                      // the connections' outboxes
  std::unordered_set<Conn*> conns;    // this thread's
};

// One WebSocket connection: a session of the inspector.
struct Conn {
  Server* server = nullptr;
  lws* wsi = nullptr;
  uint64_t session = 0;
  std::string rx;                 // the message being received (fragments)
  std::deque<std::string> out;    // Server::mu: replies to write
};

namespace {

// The per-connection state libwebsockets keeps (HTTP or WebSocket).
struct PerSession {
  Conn* conn;
  std::string* body;  // an HTTP answer being written
};

std::string json_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') { out += '\\'; out += static_cast<char>(c); }
    else if (c < 0x20) { char b[8]; snprintf(b, sizeof b, "\\u%04x", c); out += b; }
    else out += static_cast<char>(c);
  }
  return out;
}

// Whether a Host header names this machine (or is a numeric address): a page on another site
// that resolves its own name to 127.0.0.1 (DNS rebinding) sends its name, and is refused.
bool host_allowed(const Server* s, const char* host) {
  if (s->allow_remote) return true;
  std::string h(host);
  if (!h.empty() && h[0] == '[') return true;  // an IPv6 literal
  size_t colon = h.rfind(':');
  if (colon != std::string::npos) h.resize(colon);
  if (h == "localhost") return true;
  in_addr a;
  return inet_pton(AF_INET, h.c_str(), &a) == 1;
}

std::string ws_address(const Server* s, const char* host) {
  if (host && *host) return std::string(host) + "/" + s->id;
  return s->bind_host + ":" + std::to_string(s->port) + "/" + s->id;
}

std::string json_list(const Server* s, const char* host) {
  std::string addr = ws_address(s, host);
  return "[ {\n  \"description\": \"v8host instance\",\n"
         "  \"devtoolsFrontendUrl\": \"devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=" + addr + "\",\n"
         "  \"devtoolsFrontendUrlCompat\": \"devtools://devtools/bundled/inspector.html?experiments=true&v8only=true&ws=" + addr + "\",\n"
         "  \"id\": \"" + s->id + "\",\n  \"title\": \"" + json_escape(s->title) + "\",\n"
         "  \"type\": \"node\",\n  \"url\": \"file://\",\n"
         "  \"webSocketDebuggerUrl\": \"ws://" + addr + "\"\n} ]\n";
}

std::string json_version(const Server* s, const char* host) {
  return "{\n  \"Browser\": \"v8host\",\n"
         "  \"Protocol-Version\": \"1.3\",\n  \"V8-Version\": \"" + std::string(v8::V8::GetVersion()) + "\",\n"
         "  \"webSocketDebuggerUrl\": \"ws://" + ws_address(s, host) + "\"\n}\n";
}

// A session's replies: queued for the connection, written by the endpoint's thread.
void on_reply(vh_inspector_session, const char* message, size_t length, void* data) {
  Conn* c = static_cast<Conn*>(data);
  {
    std::lock_guard<std::mutex> g(c->server->mu);
    c->out.emplace_back(message, length);
  }
  lws_cancel_service(c->server->ctx);  // wakes the service thread (thread-safe)
}

int http_answer(lws* wsi, PerSession* pss, unsigned code, std::string body) {
  unsigned char buf[LWS_PRE + 512], *start = buf + LWS_PRE, *p = start, *end = buf + sizeof buf - 1;
  if (lws_add_http_common_headers(wsi, code, "application/json; charset=UTF-8", body.size(), &p, end) ||
      lws_finalize_write_http_header(wsi, start, &p, end))
    return 1;
  pss->body = new std::string(LWS_PRE, '\0');
  pss->body->append(body);
  lws_callback_on_writable(wsi);
  return 0;
}

int callback(lws* wsi, enum lws_callback_reasons reason, void* user, void* in, size_t len) {
  PerSession* pss = static_cast<PerSession*>(user);
  Server* s = static_cast<Server*>(lws_context_user(lws_get_context(wsi)));
  char host[256] = "";
  switch (reason) {
    case LWS_CALLBACK_HTTP: {
      const char* path = static_cast<const char*>(in);
      if (lws_hdr_copy(wsi, host, sizeof host, WSI_TOKEN_HOST) < 0) host[0] = 0;
      if (!host_allowed(s, host))
        return http_answer(wsi, pss, HTTP_STATUS_FORBIDDEN, "{\"error\":\"Host not allowed\"}\n");
      if (!strcmp(path, "/json") || !strcmp(path, "/json/list"))
        return http_answer(wsi, pss, HTTP_STATUS_OK, json_list(s, host));
      if (!strcmp(path, "/json/version"))
        return http_answer(wsi, pss, HTTP_STATUS_OK, json_version(s, host));
      return http_answer(wsi, pss, HTTP_STATUS_NOT_FOUND, "{\"error\":\"not found\"}\n");
    }
    case LWS_CALLBACK_HTTP_WRITEABLE: {
      if (!pss->body) return -1;
      std::string* b = pss->body;
      int n = lws_write(wsi, reinterpret_cast<unsigned char*>(&(*b)[LWS_PRE]), b->size() - LWS_PRE,
                        LWS_WRITE_HTTP_FINAL);
      delete b;
      pss->body = nullptr;
      if (n < 0) return -1;
      return lws_http_transaction_completed(wsi) ? -1 : 0;
    }
    case LWS_CALLBACK_CLOSED_HTTP:
      delete pss->body;
      pss->body = nullptr;
      return 0;
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION: {  // an upgrade: only to our target's path
      char uri[256] = "";
      if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) < 0) return 1;
      if (uri[0] != '/' || s->id != uri + 1) return 1;
      if (lws_hdr_copy(wsi, host, sizeof host, WSI_TOKEN_HOST) < 0) host[0] = 0;
      return host_allowed(s, host) ? 0 : 1;
    }
    case LWS_CALLBACK_ESTABLISHED: {
      Conn* c = new Conn;
      c->server = s;
      c->wsi = wsi;
      vh_inspector_session session;
      if (vh_inspector_session_new(vh_inspector{s->inspector}, on_reply, c, &session) != VH_OK) {
        delete c;
        pss->conn = nullptr;
        return -1;
      }
      c->session = session.id_;
      pss->conn = c;
      s->conns.insert(c);
      return 0;
    }
    case LWS_CALLBACK_RECEIVE: {
      Conn* c = pss->conn;
      if (!c) return -1;
      if (lws_is_first_fragment(wsi)) c->rx.clear();
      if (c->rx.size() + len > kMaxMessageBytes) {
        lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, nullptr, 0);
        return -1;
      }
      c->rx.append(static_cast<const char*>(in), len);
      if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi)) {
        vh_inspector_session_send(vh_inspector_session{c->session}, c->rx.data(), c->rx.size());
        c->rx.clear();
        c->rx.shrink_to_fit();
      }
      return 0;
    }
    case LWS_CALLBACK_SERVER_WRITEABLE: {
      Conn* c = pss->conn;
      if (!c) return 0;
      std::string buf;
      bool more;
      {
        std::lock_guard<std::mutex> g(s->mu);
        if (c->out.empty()) return 0;
        buf.reserve(LWS_PRE + c->out.front().size());
        buf.assign(LWS_PRE, '\0');
        buf += c->out.front();
        c->out.pop_front();
        more = !c->out.empty();
      }
      if (lws_write(wsi, reinterpret_cast<unsigned char*>(&buf[LWS_PRE]), buf.size() - LWS_PRE, LWS_WRITE_TEXT) < 0)
        return -1;
      if (more) lws_callback_on_writable(wsi);
      return 0;
    }
    case LWS_CALLBACK_CLOSED: {
      Conn* c = pss->conn;
      if (!c) return 0;
      pss->conn = nullptr;
      s->conns.erase(c);
      // Waits for a reply being delivered to c on the runtime's thread: none comes after this.
      vh_inspector_session_dispose(vh_inspector_session{c->session});
      delete c;
      return 0;
    }
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED: {
      std::lock_guard<std::mutex> g(s->mu);
      for (Conn* c : s->conns)
        if (!c->out.empty()) lws_callback_on_writable(c->wsi);
      return 0;
    }
    default:
      return lws_callback_http_dummy(wsi, reason, user, in, len);
  }
}

const lws_protocols kProtocols[] = {
    {"cdp", callback, sizeof(PerSession), 65536, 0, nullptr, 0},
    {nullptr, nullptr, 0, 0, 0, nullptr, 0},
};

std::string random_id() {
  std::random_device rd;
  char b[40];
  uint32_t w[4] = {rd(), rd(), rd(), rd()};
  snprintf(b, sizeof b, "%08x-%04x-4%03x-%04x-%04x%08x", w[0], w[1] >> 16, w[1] & 0xfff,
           (w[2] >> 16 & 0x3fff) | 0x8000, w[2] & 0xffff, w[3]);
  return b;
}

bool is_loopback(const std::string& host) {
  in_addr a4;
  in6_addr a6;
  if (inet_pton(AF_INET, host.c_str(), &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
  if (inet_pton(AF_INET6, host.c_str(), &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
  return false;
}

}  // namespace

void stop_server(Server* s) {
  s->stop = true;
  lws_cancel_service(s->ctx);
  if (s->thread.joinable()) s->thread.join();
  delete s;
}

}  // namespace vh

using namespace vh;

extern "C" {

int vh_inspector_listen(vh_inspector inspector, const vh_inspector_listen_options* options) {
  vh_inspector_listen_options opts{};
  opts.struct_size = sizeof opts;
  opts.port = 9229;
  if (options) VH_TRY(copy_versioned(options, sizeof(vh_inspector_listen_options), &opts));
  if (inspector.id_ == 0) return VH_EINVAL;
  std::string host = opts.host ? opts.host : "127.0.0.1";
  in_addr a4;
  in6_addr a6;
  if (inet_pton(AF_INET, host.c_str(), &a4) != 1 && inet_pton(AF_INET6, host.c_str(), &a6) != 1) return VH_EINVAL;
  if (!is_loopback(host) && !opts.allow_remote) return VH_EINVAL;
  auto s = std::make_unique<Server>();
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);
    auto it = g_inspectors.find(inspector.id_);
    if (it == g_inspectors.end()) return VH_EDISPOSED;
    if (it->second->server) return VH_EBUSY;
    s->title = it->second->title;
  }
  s->inspector = inspector.id_;
  s->id = random_id();
  s->bind_host = host;
  s->allow_remote = opts.allow_remote;
  lws_set_log_level(LLL_ERR, nullptr);
  lws_context_creation_info info;
  memset(&info, 0, sizeof info);
  info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
  info.user = s.get();
  info.gid = -1;
  info.uid = -1;
  s->ctx = lws_create_context(&info);
  if (!s->ctx) return VH_ENOMEM;
  info.port = opts.port;
  info.iface = s->bind_host.c_str();
  info.protocols = kProtocols;
  if (host.find(':') == std::string::npos) info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
  lws_vhost* vhost = lws_create_vhost(s->ctx, &info);
  if (!vhost) {
    lws_context_destroy(s->ctx);
    return VH_EBUSY;  // the port is taken (or the address is not this machine's)
  }
  s->port = lws_get_vhost_listen_port(vhost);
  if (host.find(':') != std::string::npos) s->bind_host = "[" + host + "]";
  Server* raw = s.get();
  raw->thread = std::thread([raw] {
    while (!raw->stop.load()) lws_service(raw->ctx, 0);
    // Stopping: write what the sessions already answered (a script's last replies) for up to
    // half a second, then close.
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    while (std::chrono::steady_clock::now() < until) {
      {
        std::lock_guard<std::mutex> g(raw->mu);
        bool pending = false;
        for (Conn* c : raw->conns) pending = pending || !c->out.empty();
        if (!pending) break;
      }
      lws_cancel_service(raw->ctx);
      lws_service(raw->ctx, 0);
    }
    lws_context_destroy(raw->ctx);  // closes the connections (and their sessions)
  });
  std::lock_guard<std::mutex> g(g_inspector_mu);
  auto it = g_inspectors.find(inspector.id_);
  if (it == g_inspectors.end() || it->second->server) {  // closed meanwhile, or a racing listen
    bool gone = it == g_inspectors.end();
    g_inspector_mu.unlock();
    stop_server(s.release());
    g_inspector_mu.lock();
    return gone ? VH_EDISPOSED : VH_EBUSY;
  }
  it->second->server = s.release();
  return VH_OK;
}

int vh_inspector_url(vh_inspector inspector, char* buffer, size_t capacity, size_t* length) {
  if (!length || (!buffer && capacity)) return VH_EINVAL;
  if (inspector.id_ == 0) return VH_EINVAL;
  std::string url;
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);
    auto it = g_inspectors.find(inspector.id_);
    if (it == g_inspectors.end()) return VH_EDISPOSED;
    Server* s = it->second->server;
    if (!s) return VH_ENOTSUP;
    url = "ws://" + ws_address(s, nullptr);
  }
  *length = url.size();
  if (capacity < url.size() + 1) return VH_ERANGE;
  memcpy(buffer, url.c_str(), url.size() + 1);
  return VH_OK;
}

}  // extern "C"
