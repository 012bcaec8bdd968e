#!/usr/bin/env bash
# The include direction of src/: each folder of src/ is a layer, listed here from the bottom up;
# a file may include headers of its own layer and of the layers below it, never above (src/README.md). Run by
# ctest (the `layers` entry); prints every include that goes up and fails when there is one.
set -euo pipefail
src=$(cd "$(dirname "$0")/../src" && pwd)
layers=(core marshal value host loop limits module debug embed)

rank_of() {
  local i
  for i in "${!layers[@]}"; do [[ ${layers[$i]} == "$1" ]] && { echo "$i"; return; }; done
  echo -1
}

bad=0
while IFS= read -r file; do
  rel=${file#"$src"/}
  layer=${rel%%/*}
  own=$(rank_of "$layer")
  if [[ $own -lt 0 ]]; then
    echo "layers: $rel is in no layer (src/<layer>/..., layers: ${layers[*]})"
    bad=1
    continue
  fi
  while IFS= read -r inc; do
    target=${inc%%/*}
    r=$(rank_of "$target")
    [[ $r -lt 0 ]] && continue  # a system or public header (v8.h, v8host/...)
    if [[ $r -gt $own ]]; then
      echo "layers: src/$rel ($layer) includes $inc ($target is above $layer)"
      bad=1
    fi
  done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
done < <(find "$src" -mindepth 2 -name '*.cc' -o -mindepth 2 -name '*.h' | sort)
if [[ $(find "$src" -maxdepth 1 -type f ! -name README.md | wc -l) -ne 0 ]]; then
  echo "layers: files directly in src/ belong in a layer's folder:"; find "$src" -maxdepth 1 -type f ! -name README.md
  bad=1
fi
# Each layer says what it is and what it may use.
for layer in "${layers[@]}"; do
  [[ -f $src/$layer/README.md ]] || { echo "layers: src/$layer/ has no README.md"; bad=1; }
done
[[ $bad -eq 0 ]] && echo "layers: every include of src/ goes down or sideways (${layers[*]})"
exit $bad
