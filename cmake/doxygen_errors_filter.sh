#!/bin/sh
# Doxygen INPUT_FILTER for include/v8host/errors.h (Doxyfile: FILTER_PATTERNS). The header builds
# enum vh_status from the X-macro table VH_ERROR_TABLE; Doxygen cannot attach documentation to
# enum members a macro makes. This writes the table's use inside the enum out as members, each
# documented with its text from the table, keeping every other line (and the line count) as is.
exec awk '
  /^#define VH_ERROR_TABLE\(X\)/ { intable = 1 }
  intable {
    line = $0; sub(/\\[ \t]*$/, "", line); table = table " " line
    if ($0 !~ /\\[ \t]*$/) intable = 0
    print; next
  }
  /^#define VH_ERROR_ENUM_/ || /^#undef VH_ERROR_ENUM_/ { print ""; next }
  /VH_ERROR_TABLE\(VH_ERROR_ENUM_\)/ {
    t = table; gsub(/"[ \t]*"/, "", t); out = ""
    while (match(t, /X\(VH_[A-Z_]+, *-?[0-9]+, *"[^"]*"\)/)) {
      e = substr(t, RSTART + 2, RLENGTH - 3); t = substr(t, RSTART + RLENGTH)
      n = index(e, ","); name = substr(e, 1, n - 1); rest = substr(e, n + 1)
      n = index(rest, ","); value = substr(rest, 1, n - 1); gsub(/ /, "", value)
      text = substr(rest, n + 1); sub(/^ *"/, "", text); sub(/"$/, "", text)
      out = out " " name " = " value ", /**< " value ": " text ". */"
    }
    print out; next
  }
  { print }
' "$1"
