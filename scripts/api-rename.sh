#!/usr/bin/env bash
# Applies the 1.0 renames of the public API (scripts/api-renames.txt) to the tree, or prints them.
#
#   scripts/api-rename.sh              rename in every tracked file under include/ src/ tests/
#                                      examples/ bench/ docs/ and README.md (never CHANGELOG.md,
#                                      .git or build trees: only files git tracks there)
#   scripts/api-rename.sh --check      list the places that still use an old name (exit 1 if any)
#   scripts/api-rename.sh --changelog  print the rename list as Markdown for CHANGELOG.md
#
# Each pair is applied at word boundaries, so vh_post never touches vh_post_and_wait or
# my_vh_post. One prefix glued by token pasting is renamed with the name: E_vh_x / R_vh_x, the
# row macros of tests/test_misuse.c.
#
# A name that is both an old name and another pair's new name (the type vh_class_constructor
# becomes vh_class_constructor_cb, and the function vh_class_constructor_of becomes
# vh_class_constructor) is a chain. Its pair runs first, and how depends on the tree:
# - while include/ still has the function's old name (vh_class_constructor_of), the tree is not
#   renamed yet and every vh_class_constructor is the type: all are renamed;
# - once include/ has no old name left, vh_class_constructor is the function, and only a type
#   use in new code merged since is renamed: a declaration, where the name is followed by another
#   name or a '*' ("vh_promise_state st;", "vh_promise_state *out"). The function is followed by
#   "(", ",", ")" or a backtick, and is left alone.
# So running the script twice changes nothing, and it can be run again after merging code that
# still uses the old names. GNU sed.
set -euo pipefail

cd "$(dirname "$0")/.."
map=scripts/api-renames.txt
mode=${1:-apply}

pairs() { sed -e 's/#.*//' "$map" | awk 'NF == 2 { print $1, $2 } NF != 2 && NF != 0 { exit 1 }'; }
pairs >/dev/null || { echo "$map: a line that is not 'old new'" >&2; exit 2; }

# Old names that are also new names (chains), and the old name that becomes each.
declare -A made_from=()
while read -r old new; do made_from[$new]=$old; done < <(pairs)
chained=()
plain=()
while read -r old new; do
  if [[ -n ${made_from[$old]:-} ]]; then chained+=("$old $new"); else plain+=("$old $new"); fi
done < <(pairs)
# The regex of a chain's old name: everywhere before the renaming, declarations only after it.
chain_regex() {
  local old=$1
  if grep -rqw -- "${made_from[$old]}" include; then
    echo "\\b([ER]_)?$old\\b()"
  else
    echo "\\b([ER]_)?$old\\b([[:space:]]+[A-Za-z_]|[[:space:]]*\\*)"
  fi
}

case "$mode" in
  --changelog)
    # The map's comment headers (after the first blank line) become the groups.
    awk 'BEGIN { started = 0 }
         /^$/ { started = 1; next }
         !started { next }
         /^# / { sub(/^# /, ""); sub(/\.$/, ""); printf "\n#### %s\n\n", $0; next }
         NF == 2 { printf "- `%s` → `%s`\n", $1, $2 }' "$map"
    exit 0
    ;;
  --check|apply) ;;
  *) echo "usage: $0 [--check|--changelog]" >&2; exit 2 ;;
esac

mapfile -t files < <(git ls-files -- include src tests examples bench docs README.md)

if [[ $mode == --check ]]; then
  status=0
  for p in "${plain[@]}" "${chained[@]}"; do
    read -r old new <<<"$p"
    if [[ -n ${made_from[$old]:-} ]]; then
      hits=$(grep -nIE "$(chain_regex "$old")" "${files[@]}" || true)
    else
      hits=$(grep -nIE "\\b([ER]_)?$old\\b" "${files[@]}" || true)
    fi
    if [[ -n $hits ]]; then echo "$hits" | sed "s/^/$old: /"; status=1; fi
  done
  exit $status
fi

script=$(mktemp)
trap 'rm -f "$script"' EXIT
for p in "${chained[@]}"; do
  read -r old new <<<"$p"
  echo "s/$(chain_regex "$old")/\\1$new\\2/g" >>"$script"
done
for p in "${plain[@]}"; do
  read -r old new <<<"$p"
  echo "s/\\b([ER]_)?$old\\b/\\1$new/g" >>"$script"
done

pattern=$( (for p in "${plain[@]}" "${chained[@]}"; do echo "${p%% *}"; done) | paste -sd'|')
changed=0
while IFS= read -r f; do
  before=$(md5sum <"$f")
  sed -E -i -f "$script" "$f"
  [[ $(md5sum <"$f") == "$before" ]] || { echo "renamed in $f"; changed=$((changed + 1)); }
done < <(grep -lIE "\\b([ER]_)?($pattern)\\b" "${files[@]}" || true)
echo "$changed files changed"
