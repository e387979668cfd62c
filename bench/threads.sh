#!/usr/bin/env bash
# CPU ticks each thread (grouped by name prefix) of a process used over a few seconds.
#
#   bench/threads.sh PID [SECONDS]
set -euo pipefail
pid=$1
seconds=${2:-5}
snap() {
  for t in /proc/"$pid"/task/*; do
    echo "$(tr ' ' _ <"$t/comm") $(awk '{print $14 + $15}' "$t/stat")"
  done | awk '{a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}
before=$(snap)
sleep "$seconds"
after=$(snap)
join <(echo "$before") <(echo "$after") | awk '{d = $3 - $2; if (d > 0) print d, $1}' | sort -rn | head -20
