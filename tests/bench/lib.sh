# lib.sh: sourced by the bench scripts: where the tree, the build and the program are, a scratch
# folder $tmp (removed at exit), and bench_driver, which gets a C driver built by the Makefile.
# BUILD (default build) is the build folder, as given to make; PROMPTDECK overrides the program.
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
shared=${PD_SHARED:-$top/../shared}
build=${BUILD:-build}
case $build in
/*) build_dir=$build ;;
*) build_dir=$top/$build ;;
esac
pd=${PROMPTDECK:-$build_dir/promptdeck}
bench="$top/tests/bench"
bench_name=$(basename "$0" .sh)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# bench_driver NAME: makes BUILD/bench/NAME from tests/bench/NAME.c (and the api it links, if
# changed) and sets DRIVER to its path; a driver that does not build ends the script (status 2).
bench_driver() {
    make -C "$top" --no-print-directory BUILD="$build" "$build/bench/$1" >"$tmp/make.log" 2>&1 ||
        { echo "$bench_name: the driver $1 does not build:"; tail -n 40 "$tmp/make.log"; exit 2; }
    DRIVER="$build_dir/bench/$1"
}
