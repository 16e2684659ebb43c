#!/usr/bin/env bash
# Linux packages from the frozen onedir app: a .deb installing to /opt (with a .desktop entry, an icon
# and /usr/bin/overmax-pomoc-zdalna) and a relocatable .tar.xz. Both land in dist/.
#   installer/linux/build.sh dist/OvermaxPomocZdalna 0.1.0
# Needs dpkg-deb and xz (installer/ci-deps.sh). OUT_DIR and STAGE_DIR override dist/ and build/linux/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
app_dir="$(cd "$1" && pwd)"
version="$2"
app_id="$(basename "$app_dir")"
pkg=overmax-pomoc-zdalna
desktop_id=eu.overmax.pomoczdalna
here="$root/installer/linux"
out="${OUT_DIR:-$root/dist}"
stage="${STAGE_DIR:-$root/build/linux}"

case "$(uname -m)" in
  x86_64) deb_arch=amd64; tar_arch=x86_64 ;;
  aarch64) deb_arch=arm64; tar_arch=aarch64 ;;
  *) deb_arch="$(dpkg --print-architecture)"; tar_arch="$(uname -m)" ;;
esac

rm -rf "$stage"
mkdir -p "$stage/deb/DEBIAN" "$stage/deb/opt" "$stage/deb/usr/bin" "$stage/deb/usr/share/applications" \
  "$stage/deb/usr/share/icons/hicolor/256x256/apps" "$stage/deb/usr/share/doc/$pkg"

# --- .deb
cp -a "$app_dir" "$stage/deb/opt/$pkg"
ln -s "/opt/$pkg/$app_id" "$stage/deb/usr/bin/$pkg"
install -m 0644 "$here/$desktop_id.desktop" "$stage/deb/usr/share/applications/$desktop_id.desktop"
install -m 0644 "$root/resources/icons/app.png" "$stage/deb/usr/share/icons/hicolor/256x256/apps/$desktop_id.png"
cat > "$stage/deb/usr/share/doc/$pkg/copyright" <<COPY
Overmax Pomoc Zdalna
Copyright: BrandLineGroup sp. z o.o. (Overmax). All rights reserved.
Bundles Qt 6 and PySide6 (LGPLv3), CPython (PSF License) and the Python packages listed in the source.
COPY
installed_kib="$(du -sk "$stage/deb" | cut -f1)"
# Libraries the bundle loads from the system (PyInstaller leaves out the graphics stack and libc) are
# listed in control.in; the glibc floor is the newest GLIBC_ symbol version any bundled binary needs.
glibc="$( { find "$app_dir" -type f \( -name '*.so*' -o -perm -u+x \) -exec objdump -T {} + 2>/dev/null || true; } \
  | { grep -o 'GLIBC_[0-9][0-9.]*' || true; } | cut -d_ -f2 | sort -V -u | tail -1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$deb_arch/" -e "s/@SIZE@/$installed_kib/" -e "s/@GLIBC@/${glibc:-2.31}/" \
  "$here/control.in" > "$stage/deb/DEBIAN/control"
install -m 0755 "$here/postinst" "$stage/deb/DEBIAN/postinst"
install -m 0755 "$here/postrm" "$stage/deb/DEBIAN/postrm"
find "$stage/deb" -type d -exec chmod 0755 {} +
deb="$out/${pkg}_${version}_${deb_arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage/deb" "$deb" >/dev/null
echo "built $deb ($(du -k "$deb" | cut -f1) KiB)"

# --- .tar.xz (unpack anywhere, run ./OvermaxPomocZdalna; the .desktop file is for ~/.local/share/applications)
top="$pkg-$version"
mkdir -p "$stage/tar"
cp -a "$app_dir" "$stage/tar/$top"
install -m 0644 "$root/resources/icons/app.png" "$stage/tar/$top/$desktop_id.png"
sed -e "s|^Exec=.*|Exec=$app_id|" "$here/$desktop_id.desktop" > "$stage/tar/$top/$desktop_id.desktop"
tarball="$out/$pkg-$version-linux-$tar_arch.tar.xz"
tar -C "$stage/tar" --owner=0 --group=0 --numeric-owner --sort=name -cf - "$top" | xz -9 -T1 > "$tarball"
echo "built $tarball ($(du -k "$tarball" | cut -f1) KiB)"
