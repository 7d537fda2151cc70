#!/usr/bin/env bash
# Install Afterword on Linux from the bundle beside this script, or uninstall it.
#
#   ./install.sh                 install for the current user (into ~/.local)
#   ./install.sh --system        install for everyone (into /usr/local; run as root)
#   ./install.sh --prefix DIR    install into DIR (DIR/lib, DIR/bin, DIR/share)
#   ./install.sh --uninstall [--system | --prefix DIR]
#                                remove what an install put there
#   --bundle DIR                 the Afterword bundle to install (default: ./Afterword)
#
# What goes where (freedesktop.org Desktop Entry and Icon Theme specifications):
#   PREFIX/lib/afterword/                 the bundle, this script and a list of what was installed
#   PREFIX/bin/afterword                  a link to the program
#   SHARE/applications/APP_ID.desktop     the applications-menu entry
#   SHARE/icons/hicolor/*/apps/APP_ID.*   the icon in every size, and scalable
#   SHARE/metainfo/APP_ID.metainfo.xml    AppStream metadata for software centres
# SHARE is PREFIX/share, except that a user install honours $XDG_DATA_HOME.
#
# Uninstalling removes exactly the files and folders the install created, read
# from the list it wrote, and never touches your Afterword data (by default in
# ~/.local/share/Afterword).

# Started as "sh install.sh": run again under bash, which the rest needs.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

APP_ID=io.github.afterword.Afterword
NAME=afterword

# The bundled libstdc++ and libpython were built against this C library:
# on an older one the program cannot even start.
REQUIRED_GLIBC=2.36

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }

# Quote a path for the Exec key of a .desktop file: inside double quotes,
# `"`, `` ` ``, `$` and `\` take a backslash; then, as for every string value,
# each backslash is doubled; `%` is written `%%` (Desktop Entry spec, "The Exec key").
desktop_exec_quote() {
  local quoted
  quoted=$(printf '%s' "$1" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g')
  printf '"%s"' "$quoted"
}

# A string value of a .desktop file (TryExec): only backslashes need escaping.
desktop_string() { printf '%s' "$1" | sed -e 's/\\/\\\\/g'; }

# Create a folder and its missing parents, noting each one created in the manifest
# so that uninstalling removes those (if empty) and nothing that was there before.
make_dir() {
  local dir=$1 missing=()
  while [ ! -d "$dir" ]; do
    missing=("$dir" "${missing[@]}")
    dir=$(dirname "$dir")
  done
  for dir in "${missing[@]}"; do
    mkdir "$dir"
    printf 'd %s\n' "$dir" >>"$MANIFEST_TMP"
  done
}

# Copy one file into place and note it in the manifest.
put_file() {
  local source=$1 target=$2 mode=$3
  make_dir "$(dirname "$target")"
  install -m "$mode" "$source" "$target"
  printf 'f %s\n' "$target" >>"$MANIFEST_TMP"
}

refresh_icon_cache() {
  # Only refresh a cache that exists: creating one would leave a file behind that
  # uninstall did not install. Without a cache, desktops read the folders directly.
  local theme="$SHARE/icons/hicolor"
  if [ -f "$theme/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache --force --quiet "$theme" || true
  fi
}

uninstall() {
  local manifest="$LIBDIR/install-manifest.txt" kind path
  local -a files=() dirs=()
  if [ ! -f "$manifest" ]; then
    say "Afterword is not installed in $PREFIX (no $manifest)."
    return 0
  fi
  while read -r kind path; do
    case "$kind" in
      f | l) files+=("$path") ;;
      d) dirs+=("$path") ;;
    esac
  done <"$manifest"
  rm -f -- "${files[@]}"
  # Start at login (written by the app, not by the install) goes with the program.
  rm -f -- "${XDG_CONFIG_HOME:-$HOME/.config}/autostart/io.github.afterword.Afterword.desktop"
  # The bundle folder is entirely ours: it holds the program and the manifest.
  rm -rf -- "$LIBDIR"
  # Then the folders the install created, deepest first, and only if empty:
  # something else may have put files there since.
  if [ ${#dirs[@]} -gt 0 ]; then
    printf '%s\n' "${dirs[@]}" | sort -r | while IFS= read -r path; do
      rmdir -- "$path" 2>/dev/null || true
    done
  fi
  refresh_icon_cache
  say "Removed Afterword from $PREFIX."
  say "Your data was left alone (by default in ${XDG_DATA_HOME:-$HOME/.local/share}/Afterword)."
}

install_app() {
  [ -x "$BUNDLE/$NAME" ] || die "no Afterword bundle at $BUNDLE (expected $BUNDLE/$NAME); use --bundle DIR"
  local resources="$BUNDLE/_internal/afterword/resources"
  [ -f "$resources/linux/$APP_ID.desktop" ] || die "$BUNDLE has no desktop file in $resources/linux"
  [ "$BUNDLE" != "$LIBDIR" ] || die "$BUNDLE is the installed copy; install from the unpacked archive"

  if [ -f "$LIBDIR/install-manifest.txt" ]; then
    say "Replacing the Afterword installed in $PREFIX."
    uninstall >/dev/null
  fi
  MANIFEST_TMP=$(mktemp)
  trap 'rm -f "$MANIFEST_TMP"' EXIT

  make_dir "$LIBDIR"
  cp -a "$BUNDLE/." "$LIBDIR/"
  install -m 0755 "$0" "$LIBDIR/install.sh"

  make_dir "$BINDIR"
  ln -sfn "$LIBDIR/$NAME" "$BINDIR/$NAME"
  printf 'l %s\n' "$BINDIR/$NAME" >>"$MANIFEST_TMP"

  local desktop line
  desktop=$(mktemp)
  # Point the entry at this installation: ~/.local/bin is often not on the
  # PATH of a desktop session, so the menu must not rely on it.
  while IFS= read -r line; do
    case "$line" in
      Exec=*)
        printf 'Exec=%s\n' "$(desktop_exec_quote "$LIBDIR/$NAME")"
        printf 'TryExec=%s\n' "$(desktop_string "$LIBDIR/$NAME")"
        ;;
      *) printf '%s\n' "$line" ;;
    esac
  done <"$resources/linux/$APP_ID.desktop" >"$desktop"
  put_file "$desktop" "$SHARE/applications/$APP_ID.desktop" 0644
  rm -f "$desktop"

  local png size
  for png in "$resources"/icons/hicolor/*/apps/"$APP_ID".png; do
    size=$(basename "$(dirname "$(dirname "$png")")")
    put_file "$png" "$SHARE/icons/hicolor/$size/apps/$APP_ID.png" 0644
  done
  put_file "$resources/icons/$APP_ID.svg" "$SHARE/icons/hicolor/scalable/apps/$APP_ID.svg" 0644
  put_file "$resources/linux/$APP_ID.metainfo.xml" "$SHARE/metainfo/$APP_ID.metainfo.xml" 0644

  install -m 0644 "$MANIFEST_TMP" "$LIBDIR/install-manifest.txt"
  # Let menus and icon lookups notice the new files.
  touch "$SHARE/applications" "$SHARE/icons/hicolor"
  refresh_icon_cache

  say "Installed Afterword in $LIBDIR."
  say "Start it from your applications menu, or run $BINDIR/$NAME."
  say "To uninstall: $LIBDIR/install.sh --uninstall$UNINSTALL_ARGS"
}

# True when version $1 is older than version $2 (dotted numbers).
version_older() {
  [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]
}

# Refuse a system whose glibc is too old for the bundle, saying so plainly.
check_glibc() {
  local found
  found=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}') || found=""
  if [ -z "$found" ]; then
    die "this system's C library is not glibc (or its version cannot be read); Afterword needs glibc $REQUIRED_GLIBC or newer (Debian 12, Ubuntu 22.10, Fedora 37 or later)"
  fi
  if version_older "$found" "$REQUIRED_GLIBC"; then
    die "this system has glibc $found, but Afterword needs glibc $REQUIRED_GLIBC or newer (Debian 12, Ubuntu 22.10, Fedora 37 or later). Please update your system."
  fi
}

main() {
  local mode=user action=install here
  here=$(cd "$(dirname "$0")" && pwd)
  BUNDLE="$here/Afterword"
  PREFIX=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --user) mode=user ;;
      --system) mode=system ;;
      --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; mode=prefix; PREFIX=$2; shift ;;
      --bundle) [ $# -ge 2 ] || die "--bundle needs a folder"; BUNDLE=$2; shift ;;
      --uninstall) action=uninstall ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; die "unknown option: $1" ;;
    esac
    shift
  done

  case "$mode" in
    user)
      PREFIX="$HOME/.local"
      SHARE="${XDG_DATA_HOME:-$PREFIX/share}"
      UNINSTALL_ARGS=""
      ;;
    system)
      PREFIX=/usr/local
      SHARE="$PREFIX/share"
      UNINSTALL_ARGS=" --system"
      ;;
    prefix)
      mkdir -p -- "$PREFIX"
      PREFIX=$(cd "$PREFIX" && pwd)
      SHARE="$PREFIX/share"
      UNINSTALL_ARGS=" --prefix '$PREFIX'"
      ;;
  esac
  LIBDIR="$PREFIX/lib/$NAME"
  BINDIR="$PREFIX/bin"
  if [ "$mode" = system ] && [ "$(id -u)" -ne 0 ]; then
    die "--system writes to $PREFIX: run it as root (with sudo)"
  fi

  case "$action" in
    install)
      check_glibc
      [ -d "$BUNDLE" ] || die "no bundle folder at $BUNDLE; use --bundle DIR"
      BUNDLE=$(cd "$BUNDLE" && pwd)
      install_app
      ;;
    uninstall) uninstall ;;
  esac
}

# Everything above is definitions: bash reads the whole script before main runs,
# so uninstalling may safely delete this very file.
main "$@"
