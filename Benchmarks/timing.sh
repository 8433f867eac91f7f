# Wall-clock helpers shared by the benchmark scripts (source it; python3 for a monotonic clock).

now() { python3 -c 'import time; print(time.monotonic())'; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }
# Runs a command, prints its wall time in seconds.
timed() { local t0 t1; t0=$(now); "$@" >/dev/null; t1=$(now); elapsed "$t0" "$t1"; }
# Median of three wall times of a command.
median3() {
  local a b c
  a=$(timed "$@"); b=$(timed "$@"); c=$(timed "$@")
  printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -g | sed -n 2p
}
