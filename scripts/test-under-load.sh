#!/usr/bin/env bash
# Runs the test suite N times (3 by default) with two CPU-bound processes running beside it, as on a
# busy shared machine, and prints each run's result and duration; exits 1 if any run failed. Further
# arguments go to vitest (a file or folder narrows the runs). Each run's output is kept in a folder
# under $TMPDIR, named at the start.
#
#   scripts/test-under-load.sh [runs] [vitest arguments...]
set -u
runs=${1:-3}
case $runs in
'' | *[!0-9]* | 0)
  echo "usage: scripts/test-under-load.sh [runs] [vitest arguments...]" >&2
  exit 2
  ;;
esac
shift $(($# > 0 ? 1 : 0))
cd "$(dirname "$0")/.." || exit 2
logs=$(mktemp -d "${TMPDIR:-/tmp}/mlactions-load-XXXXXX")
echo "logs in $logs"

burners=()
stop_burners() { for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null; done; }
trap stop_burners EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for _ in 1 2; do
  (while :; do :; done) &
  burners+=("$!")
done

failed=0
for run in $(seq 1 "$runs"); do
  start=$(date +%s)
  if pnpm test "$@" >"$logs/run-$run.log" 2>&1; then
    result=passed
  else
    result=FAILED
    failed=$((failed + 1))
  fi
  took=$(($(date +%s) - start))
  printf 'run %d of %d: %s in %dm%02ds (%s)\n' "$run" "$runs" "$result" $((took / 60)) $((took % 60)) "$logs/run-$run.log"
done
echo "$((runs - failed)) of $runs run(s) passed beside two CPU-bound processes"
[ "$failed" -eq 0 ]
