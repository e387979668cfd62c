# Shell helpers shared by the scripts that start Lunar's components as background processes
# (run-local.sh, cluster.sh). Source it after setting:
#   LUNAR_SAY    the prefix of every line printed ("run", "cluster", ...)
#   logs         the directory that receives each component's log, <name>.log
#   pidfile      a file that records "<pid> <name>" of every component started, so that a later run
#                can end what a run killed hard left behind
#   LUNAR_SAY_FD optional: the descriptor progress lines go to (default 1; 2 keeps stdout for a
#                result the caller captures)
# shellcheck shell=bash

# Never fails: while stopping, the terminal or the pipe that read the output may be gone already.
say() { printf '%s: %s\n' "$LUNAR_SAY" "$*" >&"${LUNAR_SAY_FD:-1}" 2>/dev/null || true; }
fail() {
  printf '%s: %s\n' "$LUNAR_SAY" "$*" >&2
  exit 1
}

listening() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; }

# Sets each named variable to a port nobody listens on, below the kernel's ephemeral range so that
# outgoing connections cannot take it meanwhile.
declare -A chosen=()
pick_ports() {
  local var p
  for var in "$@"; do
    for _ in $(seq 200); do
      p=$((20000 + RANDOM % 12000))
      [ -z "${chosen[$p]:-}" ] && ! listening "$p" && break
    done
    chosen[$p]=1
    printf -v "$var" %s "$p"
  done
}

# A component's name and pid, in start order, for stopping them in reverse.
names=() pids=()

start() {
  local name=$1
  shift
  # Its own session: Ctrl-C reaches only the calling script, which stops the components in order.
  setsid "$@" >"$logs/$name.log" 2>&1 </dev/null &
  names+=("$name") pids+=($!)
  echo "$! $name" >>"$pidfile"
}

# SIGTERM, then SIGKILL after $2 seconds.
stop_pid() {
  local pid=$1 limit=$2
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq $((limit * 5))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Ends the processes of $pidfile that an earlier run left (it was killed hard): those whose command
# line or environment still names $1, so that a reused pid of an unrelated process is left alone.
end_leftovers() {
  local mark=$1 pid name
  [ -f "$pidfile" ] || return 0
  while read -r pid name; do
    if grep -aqsF "$mark" "/proc/$pid/cmdline" "/proc/$pid/environ"; then
      say "stopping $name ($pid) left by an earlier run"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
  done <"$pidfile"
  rm -f "$pidfile"
}

# Fails if a component has exited.
check_running() {
  local i
  for i in "${!pids[@]}"; do
    kill -0 "${pids[$i]}" 2>/dev/null || fail "${names[$i]} exited; see $logs/${names[$i]}.log"
  done
}

# await WHAT SECONDS LOG COMMAND...: runs COMMAND until it succeeds; fails after SECONDS with the end
# of the component's log.
await() {
  local what=$1 limit=$2 log=$3
  shift 3
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$logs/$log.log" >&2 || true
      fail "$what did not happen within ${limit}s (the end of $logs/$log.log is above)"
    fi
    sleep 0.5
  done
}

# stop_on_exit FUNCTION: runs FUNCTION (the caller's clean-up) once, whatever ends the script:
# Ctrl-C, SIGTERM, output nobody reads any more (a closed pipe), a failure or the end. Nothing may
# cut the clean-up short: no signal, no failing command.
stop_on_exit() {
  stop_hook=$1 stopping=""
  trap stop_once EXIT
  trap 'exit 0' INT TERM HUP
  trap 'exit 1' PIPE
}

stop_once() {
  [ -n "$stopping" ] && return
  stopping=1
  trap '' INT TERM HUP PIPE
  set +e
  [ -z "${sleeper:-}" ] || kill "$sleeper" 2>/dev/null
  "$stop_hook"
}

# Waits until a signal ends the script, running "$@" (a health check) every second.
run_until_stopped() {
  while :; do
    "$@"
    sleep 1 &
    sleeper=$!
    wait "$sleeper" || true
  done
}
