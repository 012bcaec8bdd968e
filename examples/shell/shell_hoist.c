/* shell_hoist.c — what the prompt needs to keep the names of a declaration that uses await.
 *
 * An input with a top-level await runs inside an async function, where its declarations would
 * be local. node's prompt parses the input and turns `let {a, b: [c]} = await f(), d = 1; rest`
 * into `let a, c, d;` at the top level and `({a, b: [c]} = await f(), d = 1); rest` in the
 * function. This does the same for a declaration list at the start of the input, with a small
 * scanner instead of a parser: it follows binding patterns (objects, arrays, defaults, rest),
 * skips strings, template literals, comments and bracketed expressions, and stops at the first
 * `;` outside brackets (or the end). When it cannot follow the text it says so, and the prompt
 * falls back to running the input unchanged. */
#define _XOPEN_SOURCE 700
#include <string.h>

#include "shell.h"

typedef struct scan {
  const char *s;
  size_t i, n;
  shell_buf *names;
} scan;

static bool at(scan *c, char ch) { return c->i < c->n && c->s[c->i] == ch; }

static bool ident_start(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '$';
}
static bool ident_part(char ch) { return ident_start(ch) || (ch >= '0' && ch <= '9'); }

static void skip_space(scan *c) {
  while (c->i < c->n) {
    char ch = c->s[c->i];
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      c->i++;
    } else if (ch == '/' && c->i + 1 < c->n && c->s[c->i + 1] == '/') {
      while (c->i < c->n && c->s[c->i] != '\n') c->i++;
    } else if (ch == '/' && c->i + 1 < c->n && c->s[c->i + 1] == '*') {
      const char *end = c->i + 2 < c->n ? strstr(c->s + c->i + 2, "*/") : NULL;
      c->i = end && (size_t)(end - c->s) < c->n ? (size_t)(end - c->s) + 2 : c->n;
    } else {
      return;
    }
  }
}

static size_t ident_length(scan *c) {
  size_t k = c->i;
  if (k >= c->n || !ident_start(c->s[k])) return 0;
  while (k < c->n && ident_part(c->s[k])) k++;
  return k - c->i;
}

static bool skip_until(scan *c, const char *stops);

/* A string or template literal at c->i; false when it does not end. */
static bool skip_string(scan *c) {
  char quote = c->s[c->i++];
  while (c->i < c->n) {
    char ch = c->s[c->i++];
    if (ch == '\\') {
      c->i++;
    } else if (ch == quote) {
      return true;
    } else if (quote == '`' && ch == '$' && at(c, '{')) {
      c->i++;
      if (!skip_until(c, "}") || !at(c, '}')) return false;
      c->i++;
    } else if (quote != '`' && ch == '\n') {
      return false;
    }
  }
  return false;
}

/* Skips an expression up to a character of stops outside brackets (or the end); false when the
 * brackets do not match. */
static bool skip_until(scan *c, const char *stops) {
  int depth = 0;
  while (c->i < c->n) {
    skip_space(c);
    if (c->i >= c->n) break;
    char ch = c->s[c->i];
    if (depth == 0 && strchr(stops, ch)) return true;
    if (ch == '\'' || ch == '"' || ch == '`') {
      if (!skip_string(c)) return false;
      continue;
    }
    if (ch == '(' || ch == '[' || ch == '{') depth++;
    if (ch == ')' || ch == ']' || ch == '}') {
      if (--depth < 0) return false;
    }
    c->i++;
  }
  return depth == 0;
}

static void add_name(scan *c, size_t length) {
  if (c->names->length) shell_buf_add(c->names, ",", 1);
  shell_buf_add(c->names, c->s + c->i, length);
  c->i += length;
}

static bool binding(scan *c);

/* { a, b: target, [computed]: target, 'key': target, c = default, ...rest } */
static bool object_pattern(scan *c) {
  c->i++;
  for (;;) {
    skip_space(c);
    if (at(c, '}')) {
      c->i++;
      return true;
    }
    if (c->i + 3 <= c->n && strncmp(c->s + c->i, "...", 3) == 0) {
      c->i += 3;
      skip_space(c);
      if (!binding(c)) return false;
    } else {
      size_t length = ident_length(c);
      size_t key = c->i;
      if (length) {
        c->i += length;
      } else if (at(c, '\'') || at(c, '"')) {
        if (!skip_string(c)) return false;
      } else if (at(c, '[')) {
        c->i++;
        if (!skip_until(c, "]") || !at(c, ']')) return false;
        c->i++;
      } else {
        return false;
      }
      skip_space(c);
      if (at(c, ':')) {
        c->i++;
        skip_space(c);
        if (!binding(c)) return false;
      } else {
        if (!length) return false;  /* only a name can stand alone */
        size_t after = c->i;
        c->i = key;
        add_name(c, length);
        c->i = after;
      }
      skip_space(c);
      if (at(c, '=')) {
        c->i++;
        if (!skip_until(c, ",}")) return false;
      }
    }
    skip_space(c);
    if (at(c, ',')) c->i++;
    else if (!at(c, '}')) return false;
  }
}

/* [ a, , target = default, ...rest ] */
static bool array_pattern(scan *c) {
  c->i++;
  for (;;) {
    skip_space(c);
    if (at(c, ']')) {
      c->i++;
      return true;
    }
    if (at(c, ',')) {
      c->i++;
      continue;
    }
    if (c->i + 3 <= c->n && strncmp(c->s + c->i, "...", 3) == 0) c->i += 3;
    skip_space(c);
    if (!binding(c)) return false;
    skip_space(c);
    if (at(c, '=')) {
      c->i++;
      if (!skip_until(c, ",]")) return false;
    }
    skip_space(c);
    if (at(c, ',')) c->i++;
    else if (!at(c, ']')) return false;
  }
}

static bool binding(scan *c) {
  size_t length = ident_length(c);
  if (length) {
    add_name(c, length);
    return true;
  }
  if (at(c, '{')) return object_pattern(c);
  if (at(c, '[')) return array_pattern(c);
  return false;
}

bool shell_hoist_declarations(const char *src, size_t n, shell_buf *names, const char **kind,
                              shell_buf *body) {
  scan c = {src, 0, n, names};
  skip_space(&c);
  size_t length = ident_length(&c);
  static const char *const keywords[] = {"let", "const", "var"};
  const char *keyword = NULL;
  for (size_t k = 0; k < 3; k++)
    if (length == strlen(keywords[k]) && strncmp(src + c.i, keywords[k], length) == 0) keyword = keywords[k];
  if (!keyword) return false;
  c.i += length;
  skip_space(&c);
  size_t list = c.i;
  for (;;) {
    if (!binding(&c)) return false;
    skip_space(&c);
    if (at(&c, '=')) {
      c.i++;
      if (!skip_until(&c, ",;")) return false;
    } else if (keyword[0] == 'c') {
      return false;  /* a const needs its initializer */
    }
    if (!at(&c, ',')) break;
    c.i++;
    skip_space(&c);
  }
  if (c.i < c.n && !at(&c, ';')) return false;
  *kind = keyword[0] == 'v' ? "var" : "let";
  shell_buf_add(body, "(", 1);
  shell_buf_add(body, src + list, c.i - list);
  shell_buf_add(body, "\n);", 3);
  if (c.i < c.n) shell_buf_add(body, src + c.i + 1, c.n - c.i - 1);
  return names->length > 0;
}
