#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: fast (no fsync), local only, trust auth.
#
#   scripts/postgres.sh start DIR PORT   initdb DIR if empty, start it, print the connection URL
#   scripts/postgres.sh stop DIR         stop it (nothing to do if it is not running)
#
# Run as root it runs the server as the `postgres` user, because PostgreSQL refuses to run as root.
set -euo pipefail

die() { echo "postgres.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 start DIR PORT | $0 stop DIR"; }

find_bindir() {
  local dir
  # Newest installed major version first.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -rn); do
    if [[ -x "$dir/pg_ctl" && -x "$dir/initdb" ]]; then echo "$dir"; return 0; fi
  done
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    dirname "$(command -v pg_ctl)"; return 0
  fi
  die "PostgreSQL is not installed (no pg_ctl/initdb under /usr/lib/postgresql/*/bin or on PATH); install it, e.g. apt-get install postgresql"
}

# Runs a command as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    id -u postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user to own the server"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

cmd=${1:-}
dir=${2:-}
[[ -n $cmd && -n $dir ]] || usage
bindir=$(find_bindir)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [[ $(id -u) -eq 0 ]]; then
  chown postgres: "$dir"
  # The postgres user must be able to reach DIR through its parents (e.g. a dir under /root).
  [[ -n $(runuser -u postgres -- sh -c "test -x '$dir' && echo ok" 2>/dev/null) ]] ||
    die "user postgres cannot enter $dir; choose a directory it can reach (e.g. under /tmp)"
fi

case $cmd in
  start)
    port=${3:-}
    [[ $port =~ ^[0-9]+$ ]] || usage
    url="postgres://postgres@127.0.0.1:$port/postgres"
    if [[ ! -f $dir/PG_VERSION ]]; then
      [[ -z $(ls -A "$dir") ]] || die "$dir is neither empty nor a PostgreSQL cluster"
      as_owner "$bindir/initdb" -D "$dir" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 ||
        { cat "$dir.initdb.log" >&2; die "initdb failed"; }
      rm -f "$dir.initdb.log"
    fi
    if as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      # Already running: idempotent, but only if it is on the port asked for.
      running_port=$(sed -n 4p "$dir/postmaster.pid" 2>/dev/null || true)
      [[ $running_port == "$port" ]] || die "cluster in $dir is already running on port $running_port, not $port"
      echo "$url"
      exit 0
    fi
    # Durability off: a test database may be lost on a crash, and it is several times faster.
    opts="-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off"
    opts+=" -c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB"
    as_owner "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -o "$opts" -w -t 30 start >/dev/null ||
      { tail -20 "$dir/server.log" >&2 || true; die "the server did not start (log: $dir/server.log)"; }
    echo "$url"
    ;;
  stop)
    [[ -f $dir/PG_VERSION ]] || exit 0
    if as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_owner "$bindir/pg_ctl" -D "$dir" -m fast -w -t 30 stop >/dev/null
    fi
    ;;
  *) usage ;;
esac
