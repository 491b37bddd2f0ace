#!/usr/bin/env bash
# Build the brand-neutral GOV.UK Frontend static assets into
# partnership/static/govuk/. Run from anywhere: bash assets/build.sh
# Node/npm are needed only here, never at run time (the output is committed).
set -euo pipefail

ASSETS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$ASSETS_DIR")"
OUT_DIR="$REPO_DIR/partnership/static/govuk"
GOVUK_DIST="$ASSETS_DIR/node_modules/govuk-frontend/dist/govuk"

cd "$ASSETS_DIR"

# 1. Install the exact locked versions (no install scripts are needed).
npm ci --ignore-scripts --no-audit --no-fund

# 2. Start from a clean output folder so nothing stale is left behind.
rm -rf "$OUT_DIR"
mkdir -p "$OUT_DIR/images"

# 3. Compile the Sass.
npx --no-install sass \
  --load-path=node_modules \
  --style=compressed \
  --no-source-map \
  scss/application.scss "$OUT_DIR/application.css"

# 4. JavaScript: the ES module bundle (+ its source map, which the bundle
#    references via sourceMappingURL; Django's ManifestStaticFilesStorage
#    would fail on a missing map).
cp "$GOVUK_DIST/govuk-frontend.min.js" "$OUT_DIR/govuk-frontend.min.js"
cp "$GOVUK_DIST/govuk-frontend.min.js.map" "$OUT_DIR/govuk-frontend.min.js.map"

# 5. Images: our own neutral favicon. Nothing from dist/govuk/assets is copied
#    (GDS Transport fonts, crown/crest, GOV.UK icons and manifest are GOV.UK-only).
cp "$ASSETS_DIR/favicon/favicon.svg" "$OUT_DIR/images/favicon.svg"

# 6. Verify the output.
CSS="$OUT_DIR/application.css"
fail=0
if grep -q "GDS Transport" "$CSS"; then
  echo "ERROR: compiled CSS mentions GDS Transport" >&2; fail=1
fi
if grep -q "@font-face" "$CSS"; then
  echo "ERROR: compiled CSS contains @font-face" >&2; fail=1
fi
if grep -qi "crest\|crown\.\|govuk-icon" "$CSS"; then
  echo "ERROR: compiled CSS references a GOV.UK crest/crown/icon image" >&2; fail=1
fi
if grep -q "sourceMappingURL" "$CSS"; then
  echo "ERROR: compiled CSS references a source map" >&2; fail=1
fi
# Every url(...) must be /static/govuk/... (or a data: URI) and exist on disk.
while IFS= read -r url; do
  url="${url#url(}"; url="${url%)}"; url="${url//\"/}"; url="${url//\'/}"
  case "$url" in
    data:*) ;;
    /static/govuk/*)
      if [[ ! -f "$OUT_DIR/${url#/static/govuk/}" ]]; then
        echo "ERROR: CSS references missing file $url" >&2; fail=1
      fi ;;
    *) echo "ERROR: CSS references unexpected URL $url" >&2; fail=1 ;;
  esac
done < <(grep -o 'url([^)]*)' "$CSS" || true)
if [[ $fail -ne 0 ]]; then
  echo "Build verification FAILED" >&2
  exit 1
fi

echo "Built brand-neutral GOV.UK Frontend assets in $OUT_DIR:"
(cd "$OUT_DIR" && find . -type f | sort | xargs ls -l | awk '{print "  " $5 "\t" $9}')
