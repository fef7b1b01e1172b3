#!/bin/sh
# deps.sh: installs the Debian packages promptdeck builds and tests with, only those missing.
pkgs="build-essential pkg-config libncurses-dev libcurl4-openssl-dev libjansson-dev libcmark-dev tmux clang diffutils patch python3 libpcre2-dev libyaml-dev libtest-json-schema-acceptance-perl python3-jsonschema zsh strace git"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing"
if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update -qq || exit 1
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null || { echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
