#!/usr/bin/env bash
# A real OpenStack Keystone (and Glance) for tests and demos, from Debian 12's library packages,
# listening on 127.0.0.1 only, with every file under .paddock/openstack/ of the repository.
#
#   npm run openstack:local -- start    install missing packages (root + apt), configure, start, print OS_*
#   npm run openstack:local -- env      print the OS_* variables (eval "$(npm run -s openstack:local -- env)")
#   npm run openstack:local -- status   what runs (pid) and what answers (HTTP code)
#   npm run openstack:local -- stop     stop the servers this script started (by their pid files)
#   npm run openstack:local -- reset    stop, then delete .paddock/openstack (fresh database next start)
#
# Settings (environment variables, with defaults):
#   PADDOCK_OS_DIR=<repo>/.paddock/openstack   state: sqlite databases, keys, configs, logs, pids
#   PADDOCK_OS_KEYSTONE_PORT=5000  PADDOCK_OS_GLANCE_PORT=9292
#   PADDOCK_OS_PASSWORD=paddock-admin          password of Keystone's `admin` user (set at first start)
#   PADDOCK_OS_GLANCE=1                        0 = Keystone only
#   PADDOCK_OS_NO_INSTALL=0                    1 = never call apt-get (fail when a package is missing)
#
# Keystone runs under uwsgi (HTTP router with keep-alive in front of one single-threaded worker:
# sqlite allows no more), fernet tokens, bcrypt cost 4 and an in-process cache. Every request
# Keystone serves is logged as "paddock-request METHOD URI STATUS MICROSECONDS START_MS USER_AGENT"
# in log/keystone-uwsgi.log (the time the worker spent on it, and when it started, epoch ms); Glance
# logs each request in log/glance-api.log (eventlet: "METHOD URI HTTP/1.1" STATUS BYTES SECONDS).
# Tests and the keystone bench read both. Glance decides on tokens at once (delay_auth_decision =
# false): when it cannot validate a token with Keystone it answers 503, as most deployments do.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${PADDOCK_OS_DIR:-$ROOT/.paddock/openstack}
KS_PORT=${PADDOCK_OS_KEYSTONE_PORT:-5000}
GLANCE_PORT=${PADDOCK_OS_GLANCE_PORT:-9292}
ADMIN_PASSWORD=${PADDOCK_OS_PASSWORD:-paddock-admin}
GLANCE_PASSWORD=paddock-glance-service
WITH_GLANCE=${PADDOCK_OS_GLANCE:-1}
REGION=RegionOne
PY=/usr/bin/python3
KS_URL="http://127.0.0.1:${KS_PORT}/v3"
GLANCE_URL="http://127.0.0.1:${GLANCE_PORT}"
RUN="$DIR/run" LOG="$DIR/log" ETC="$DIR/etc"

say() { printf '[openstack-local] %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }
running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

http_code() { curl -s -o /dev/null -w '%{http_code}' "$1" || true; }

wait_for() { # url code seconds [pidfile]
  local i code=000
  for ((i = 0; i < $3 * 10; i++)); do
    if [ -n "${4:-}" ] && [ $i -gt 20 ] && ! running "$4"; then fail "the server of $1 exited; see $LOG"; fi
    code=$(http_code "$1")
    [ "$code" = "$2" ] && return 0
    sleep 0.1
  done
  fail "no $2 from $1 within $3 s (last answer: $code); see $LOG"
}

ensure_packages() {
  local wanted=(python3-keystone uwsgi-core uwsgi-plugin-python3 curl) missing=() p
  [ "$WITH_GLANCE" = 1 ] && wanted+=(python3-glance)
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "${PADDOCK_OS_NO_INSTALL:-0}" = 1 ] && fail "missing Debian packages: ${missing[*]} (PADDOCK_OS_NO_INSTALL=1)"
  command -v apt-get >/dev/null || fail "missing Debian packages: ${missing[*]}, and there is no apt-get here"
  [ "$(id -u)" = 0 ] || fail "missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}"
  # Library packages only: the service packages (keystone, glance-api) ask debconf questions and
  # start daemons on every interface.
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q)
  say "apt-get install ${missing[*]}"
  if ! "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >&2; then
    "${apt[@]}" update >&2
    "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >&2
  fi
}

write_configs() {
  mkdir -p "$RUN" "$LOG" "$ETC"
  cat >"$ETC/keystone.conf" <<CONF
[DEFAULT]
log_file = $LOG/keystone.log
[database]
connection = sqlite:///$DIR/keystone.db
[identity]
password_hash_algorithm = bcrypt
password_hash_rounds = 4
[token]
provider = fernet
expiration = 3600
[fernet_tokens]
key_repository = $DIR/fernet-keys
[fernet_receipts]
key_repository = $DIR/fernet-keys
[credential]
key_repository = $DIR/credential-keys
[cache]
enabled = true
backend = dogpile.cache.memory_pickle
CONF
  cat >"$ETC/keystone-uwsgi.ini" <<CONF
[uwsgi]
plugins = http,python3
http = 127.0.0.1:${KS_PORT}
http-keepalive = 1
; The router forwards an answer in http-buffer-size writes; with its default (a page), an answer
; over 4 KiB on a reused keep-alive connection waits ~40 ms on Nagle + the client's delayed ACK.
http-buffer-size = 1048576
http-to = $RUN/keystone.sock
socket = $RUN/keystone.sock
wsgi-file = /usr/bin/keystone-wsgi-public
env = OS_KEYSTONE_CONFIG_FILES=$ETC/keystone.conf
chdir = $DIR
master = true
processes = 1
threads = 1
lazy-apps = true
die-on-term = true
no-orphans = true
buffer-size = 65535
listen = 128
pidfile = $RUN/keystone.pid
daemonize = $LOG/keystone-uwsgi.log
log-format = paddock-request %(method) %(uri) %(status) %(micros) %(tmsecs) %(uagent)
CONF
  [ "$WITH_GLANCE" = 1 ] || return 0
  cat >"$ETC/glance-api.conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = ${GLANCE_PORT}
workers = 1
log_file = $LOG/glance-api.log
enabled_backends = fs:file
enforce_secure_rbac = false
[database]
connection = sqlite:///$DIR/glance.db
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $DIR/glance/images/
[os_glance_staging_store]
filesystem_store_datadir = $DIR/glance/staging/
[os_glance_tasks_store]
filesystem_store_datadir = $DIR/glance/tasks/
[paste_deploy]
flavor = keystone
config_file = $ETC/glance-api-paste.ini
[oslo_policy]
enforce_new_defaults = false
enforce_scope = false
[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:${KS_PORT}
auth_url = http://127.0.0.1:${KS_PORT}
auth_type = password
user_domain_id = default
project_domain_id = default
project_name = service
username = glance
password = ${GLANCE_PASSWORD}
region_name = ${REGION}
CONF
  cat >"$ETC/glance-api-paste.ini" <<'CONF'
[pipeline:glance-api-keystone]
pipeline = healthcheck http_proxy_to_wsgi versionnegotiation authtoken context rootapp
[composite:rootapp]
paste.composite_factory = glance.api:root_app_factory
/: apiversions
/v2: apiv2app
[app:apiversions]
paste.app_factory = glance.api.versions:create_resource
[app:apiv2app]
paste.app_factory = glance.api.v2.router:API.factory
[filter:healthcheck]
paste.filter_factory = oslo_middleware:Healthcheck.factory
backends = disable_by_file
disable_by_file_path = /nonexistent/paddock-glance-disabled
[filter:versionnegotiation]
paste.filter_factory = glance.api.middleware.version_negotiation:VersionNegotiationFilter.factory
[filter:context]
paste.filter_factory = glance.api.middleware.context:ContextMiddleware.factory
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
delay_auth_decision = false
[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware:HTTPProxyToWSGI.factory
CONF
}

# WAL journal: a reader Keystone leaves open must not make writes fail with "database is locked".
wal() { "$PY" -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode=WAL')" "$1"; }

keystone_manage() { "$PY" /usr/bin/keystone-manage --config-file "$ETC/keystone.conf" "$@" 2>>"$LOG/keystone-manage.log"; }

init_keystone() {
  [ -e "$DIR/.keystone-ready" ] && return 0
  say "first start: creating Keystone's database, keys and admin user"
  rm -rf "$DIR/keystone.db" "$DIR/fernet-keys" "$DIR/credential-keys"
  keystone_manage db_sync
  keystone_manage fernet_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
  keystone_manage credential_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
  keystone_manage bootstrap --bootstrap-username admin --bootstrap-password "$ADMIN_PASSWORD" \
    --bootstrap-project-name admin --bootstrap-role-name admin \
    --bootstrap-service-name keystone --bootstrap-region-id "$REGION" \
    --bootstrap-public-url "$KS_URL" --bootstrap-internal-url "$KS_URL" --bootstrap-admin-url "$KS_URL"
  wal "$DIR/keystone.db"
  touch "$DIR/.keystone-ready"
}

start_keystone() {
  if running "$RUN/keystone.pid"; then say "keystone already running (pid $(cat "$RUN/keystone.pid"))"; return 0; fi
  /usr/bin/uwsgi --ini "$ETC/keystone-uwsgi.ini"
  wait_for "$KS_URL" 200 90 "$RUN/keystone.pid"
  say "keystone listening on $KS_URL (pid $(cat "$RUN/keystone.pid"))"
}

# Keystone calls made with curl and the admin token in $TOKEN; json field picked with Debian's python.
ks() { # method path [body]
  local args=(-sf -X "$1" "$KS_URL/$2" -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json')
  [ $# -ge 3 ] && args+=(-d "$3")
  curl "${args[@]}"
}
pick() { "$PY" -c "import json,sys; d=json.load(sys.stdin)[sys.argv[1]]; d=d[0] if isinstance(d,list) and d else d; print(d['id'] if d else '')" "$1"; }

register_glance() {
  [ -e "$DIR/.glance-registered" ] && return 0
  say "first start: registering Glance in Keystone (project service, user glance, image endpoints)"
  TOKEN=$(curl -sf -D - -o /dev/null -X POST "$KS_URL/auth/tokens" -H 'Content-Type: application/json' \
    -d "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"},\"password\":\"$ADMIN_PASSWORD\"}}},\"scope\":{\"project\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"}}}}}" |
    awk -F': ' 'tolower($1)=="x-subject-token"{print $2}' | tr -d '\r')
  [ -n "$TOKEN" ] || fail "cannot authenticate as admin at $KS_URL"
  local project user role service itf
  project=$(ks GET "projects?name=service" | pick projects)
  [ -n "$project" ] || project=$(ks POST projects '{"project":{"name":"service","domain_id":"default"}}' | pick project)
  user=$(ks GET "users?name=glance" | pick users)
  [ -n "$user" ] || user=$(ks POST users "{\"user\":{\"name\":\"glance\",\"domain_id\":\"default\",\"password\":\"$GLANCE_PASSWORD\"}}" | pick user)
  role=$(ks GET "roles?name=admin" | pick roles)
  ks PUT "projects/$project/users/$user/roles/$role" >/dev/null
  service=$(ks GET "services?type=image" | pick services)
  if [ -z "$service" ]; then
    service=$(ks POST services '{"service":{"type":"image","name":"glance"}}' | pick service)
    for itf in public internal admin; do
      ks POST endpoints "{\"endpoint\":{\"service_id\":\"$service\",\"interface\":\"$itf\",\"region_id\":\"$REGION\",\"url\":\"$GLANCE_URL\"}}" >/dev/null
    done
  fi
  touch "$DIR/.glance-registered"
}

start_glance() {
  if running "$RUN/glance-api.pid"; then say "glance-api already running (pid $(cat "$RUN/glance-api.pid"))"; return 0; fi
  mkdir -p "$DIR/glance/images" "$DIR/glance/staging" "$DIR/glance/tasks"
  if [ ! -e "$DIR/.glance-ready" ]; then
    rm -f "$DIR/glance.db"
    "$PY" -c 'import sys; from glance.cmd.manage import main; sys.argv[0]="glance-manage"; sys.exit(main())' \
      --config-file "$ETC/glance-api.conf" db_sync >>"$LOG/glance-manage.log" 2>&1
    wal "$DIR/glance.db"
    touch "$DIR/.glance-ready"
  fi
  setsid nohup "$PY" -c 'import sys; from glance.cmd.api import main; sys.argv[0]="glance-api"; sys.exit(main())' \
    --config-file "$ETC/glance-api.conf" >>"$LOG/glance-api.stdout" 2>&1 </dev/null &
  echo $! >"$RUN/glance-api.pid"
  wait_for "$GLANCE_URL/healthcheck" 200 90 "$RUN/glance-api.pid"
  say "glance-api listening on $GLANCE_URL (pid $(cat "$RUN/glance-api.pid"))"
}

print_env() {
  cat <<VARS
export OS_AUTH_URL=http://127.0.0.1:${KS_PORT}
export OS_IDENTITY_API_VERSION=3
export OS_USERNAME=admin
export OS_PASSWORD=$ADMIN_PASSWORD
export OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=$REGION
export OS_INTERFACE=public
VARS
}

stop_server() { # name pidfile
  local pid i
  [ -s "$2" ] || return 0
  pid=$(cat "$2")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    say "stopped $1 (pid $pid)"
  fi
  rm -f "$2"
}

case "${1:-start}" in
  start)
    ensure_packages
    write_configs
    init_keystone
    start_keystone
    if [ "$WITH_GLANCE" = 1 ]; then register_glance; start_glance; fi
    print_env
    ;;
  stop)
    stop_server glance-api "$RUN/glance-api.pid"
    stop_server keystone "$RUN/keystone.pid"
    ;;
  status)
    for s in keystone glance-api; do
      if running "$RUN/$s.pid"; then echo "$s: running (pid $(cat "$RUN/$s.pid"))"; else echo "$s: stopped"; fi
    done
    echo "keystone: GET $KS_URL -> $(http_code "$KS_URL")"
    [ "$WITH_GLANCE" = 1 ] && echo "glance: GET $GLANCE_URL/healthcheck -> $(http_code "$GLANCE_URL/healthcheck")"
    ;;
  env) print_env ;;
  reset)
    stop_server glance-api "$RUN/glance-api.pid"
    stop_server keystone "$RUN/keystone.pid"
    rm -rf "$DIR"
    say "removed $DIR"
    ;;
  *) echo "usage: openstack-local.sh start|stop|status|env|reset" >&2; exit 2 ;;
esac
