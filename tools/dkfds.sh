#!/bin/sh
# Refresh Det Fælles Designsystem (npm "dkfds") in klarret/static/dkfds/ from npm: the built CSS and
# JavaScript, the icons the CSS points at, the IBM Plex Sans weights KlarRet uses and the licences.
# The files are committed, so `make run` needs neither npm nor a CDN; run this (`make dkfds`) to upgrade.
set -eu
VERSION="${DKFDS_VERSION:-11.2.0}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/klarret/static/dkfds"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "==> Henter dkfds@$VERSION fra npm"
(cd "$TMP" && npm pack "dkfds@$VERSION" --silent >/dev/null && tar xzf dkfds-*.tgz)
SRC="$TMP/package/dist"
FONTS="fonts/IBMPlexSans/complete"

rm -rf "$DEST"
mkdir -p "$DEST/css" "$DEST/js" "$DEST/img" "$DEST/$FONTS/woff2" "$DEST/$FONTS/woff" "$DEST/$FONTS/eot"
cp "$SRC/css/dkfds.min.css" "$DEST/css/"
cp "$SRC/js/dkfds.min.js" "$DEST/js/"
cp -r "$SRC/img/svg-icons" "$DEST/img/"
# The weights the pages use; the Regular face lists .eot and .woff before .woff2, so those come too
# (a missing file would be a failed request on every page).
for weight in Regular Italic Medium SemiBold Bold; do
  cp "$SRC/$FONTS/woff2/IBMPlexSans-$weight.woff2" "$DEST/$FONTS/woff2/"
done
cp "$SRC/$FONTS/woff/IBMPlexSans-Regular.woff" "$DEST/$FONTS/woff/"
cp "$SRC/$FONTS/eot/IBMPlexSans-Regular.eot" "$DEST/$FONTS/eot/"
cp "$SRC/$FONTS/woff2/license.txt" "$DEST/fonts/IBMPlexSans/LICENSE-OFL.txt"
cp "$TMP/package/LICENSE.md" "$DEST/LICENSE.md"
echo "$VERSION" > "$DEST/VERSION"
echo "==> dkfds@$VERSION ligger i klarret/static/dkfds/ ($(du -sh "$DEST" | cut -f1))"
