#!/usr/bin/env bash
# Serves docgen: gunicorn (gthread workers) running docgen:create_app(), and a `docgen worker`
# beside it for the background jobs (PDF renditions, verify, scheduled backups).
# Ctrl-C or SIGTERM stops both and waits for them: nothing is left running (the worker stops
# its LibreOffice processes). If either stops by itself, the other is stopped too.
# Settings come from the environment (README, "Serving"): DOCGEN_BIND (127.0.0.1:5000),
# DOCGEN_WEB_WORKERS (2), DOCGEN_WEB_THREADS (8), DOCGEN_DATABASE_URL, DOCGEN_QUEUE_URL, …
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${DOCGEN_VENV:-.venv}/bin
# Seconds the worker may take to finish its running jobs before it is stopped outright
# (an unfinished job is retried at the next start).
stop_timeout=${DOCGEN_WORKER_STOP_TIMEOUT:-60}

# Each in a session of its own: a Ctrl-C at the terminal reaches this script only, which
# then asks each for its graceful stop (a second SIGINT would make huey stop at once, and
# SIGINT is gunicorn's quick shutdown).
setsid "$bin/gunicorn" --config python:docgen.gunicorn_conf 'docgen:create_app()' &
web=$!
setsid "$bin/docgen" worker &
worker=$!

stopping=0
signalled=0
stop() {
  if ((stopping)); then  # asked twice (a second Ctrl-C): stop now
    kill -TERM "$web" "$worker" 2>/dev/null
    return
  fi
  stopping=1
  kill -TERM "$web" 2>/dev/null    # gunicorn: finishes its requests (graceful_timeout), exits
  kill -INT "$worker" 2>/dev/null  # huey: finishes its running jobs, stops LibreOffice, exits
}
trap 'signalled=1; stop' INT TERM

# Returns when either process ends or a trapped signal arrives.
wait -n "$web" "$worker"
status=$?
((stopping)) || stop  # one process ended by itself: stop the other (a signal already did)
for ((tenths = 0; tenths < (stop_timeout + 5) * 10; tenths++)); do  # the worker's own limit, then a margin
  kill -0 "$worker" 2>/dev/null || break
  sleep 0.1
done
kill -TERM "$worker" 2>/dev/null
wait "$web" 2>/dev/null
wait "$worker" 2>/dev/null
# A stop asked for by a signal is a clean end; a process that ended by itself is not.
((signalled)) && exit 0
exit $((status == 0 ? 1 : status))
