#!/bin/sh
# Runs the e-mail worker given as arguments beside `make run`'s server: when
# it stops, says so on the console and starts it again, a few seconds later
# (WORKER_RESTART_DELAY, 5 by default), up to WORKER_RESTARTS times in a row
# (5 by default; a worker that ran for a minute starts the count again).
# Stopped by SIGTERM, it stops its worker.
limit=${WORKER_RESTARTS:-5}
pause=${WORKER_RESTART_DELAY:-5}
restarts=0
child=
trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 0' TERM
while :; do
    started=$(date +%s)
    "$@" &
    child=$!
    wait "$child"
    code=$?
    child=
    # Give `make run` the time to stop this script when its server stops.
    sleep 1
    if [ $(($(date +%s) - started)) -ge 60 ]; then
        restarts=0
    fi
    if [ "$restarts" -ge "$limit" ]; then
        echo "*** Le worker des courriels s'est arrêté (code $code), $limit fois de suite : il n'est plus relancé et plus aucun courriel ne part. Relancez make run." >&2
        exit 1
    fi
    restarts=$((restarts + 1))
    echo "*** Le worker des courriels s'est arrêté (code $code) : les courriels attendent. Relance dans $pause s ($restarts/$limit)." >&2
    sleep "$pause"
done
