# Wall-clock helpers shared by the benchmark scripts (source it). Times come from bash's
# $EPOCHREALTIME, read without starting a process, so no measurement includes a clock's start-up.

elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }
# Runs a command, prints its wall time in seconds.
timed() { local t0 t1; t0=$EPOCHREALTIME; "$@" >/dev/null; t1=$EPOCHREALTIME; elapsed "$t0" "$t1"; }
# Median of three wall times of a command.
median3() {
  local a b c
  a=$(timed "$@"); b=$(timed "$@"); c=$(timed "$@")
  printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -g | sed -n 2p
}
