# Shared by the fleet e2e scripts (tests/e2e/fleet_*.sh). Sourced after
# common.sh. Starts nothing by itself. Gives:
#   fleet_setup SITE...         a broker (tests/fleet/broker.sh) on free ports
#                               with TLS and a generated CA, users for the
#                               newsroom and each SITE, started; the
#                               newsroom's key pair $T/newsroom.{key,pub}
#   kiosk_ini DIR SITE [URL]    DIR/kiosk.ini: a 256x32 panel, blank when
#                               idle, fps 20, play log DIR/play.log, and
#                               [fleet] for SITE (cache DIR/cache)
#   kiosk_run DIR START SECONDS [RATE] [ARGS]  `run` of DIR/kiosk.ini into
#                               record:DIR/rec.bin from clock time START, in
#                               the background; its pid in DIR/pid, stderr in
#                               DIR/err (-v: reloads are logged)
#   kiosk_wait DIR              waits for that run to end; fails on non-zero
#   publish ARGS...             ledticker publish as the newsroom, over TLS
#   inject TOPIC FILE           a raw message as the newsroom (mosquitto_pub -r)
#   status SITE                 the retained status JSON of SITE (newsroom)
#   wait_status SITE PATTERN [SECONDS]   until the status matches (grep -E)
#   replay_last DIR PPM         the last frame of DIR/rec.bin through ledsim, as PPM
#   preview_at DIR AT PPM       ledticker preview of DIR/kiosk.ini at AT, as PPM
# Every run and the broker are stopped on exit.
. tests/fleet/broker.sh
command -v mosquitto >/dev/null 2>&1 || fail "no mosquitto: run packaging/deps.sh test"
command -v mosquitto_sub >/dev/null 2>&1 || fail "no mosquitto_sub: run packaging/deps.sh test"
FLEET_PIDS=""
fleet_cleanup() {
    for _p in $FLEET_PIDS; do kill "$_p" 2>/dev/null; done
    for _p in $FLEET_PIDS; do wait "$_p" 2>/dev/null; done
    broker_stop
    rm -rf "$T"
}
trap fleet_cleanup EXIT
cp -R boards "$T/boards"
[ -x "$SIM" ] || fail "no $SIM"
build_png2ppm

fleet_setup() {
    broker_setup "$T/broker" "$@" || fail "broker_setup"
    broker_start || fail "broker_start"
    "$LT" keygen --out "$T/newsroom" >"$T/keygen.log" 2>&1 || fail "keygen: $(cat "$T/keygen.log")"
}

kiosk_ini() {
    mkdir -p "$1"
    cat > "$1/kiosk.ini" <<INI
[display]
board = hub75-256x32
size = 16
rows = 1
speed = 64
fps = 20
idle = blank
play_log = $1/play.log
[fleet]
broker = ${3:-$BROKER_TLS_URL}
site = $2
ca_file = $BROKER_CA
username = $2
password_file = $(broker_pw "$2")
public_key = $T/newsroom.pub
cache_dir = $1/cache
INI
}

kiosk_run() {
    _d=$1 _start=$2 _secs=$3 _rate=${4:-1}
    shift 3
    [ $# -gt 0 ] && shift
    "$LT" -v run -c "$_d/kiosk.ini" --boards-dir "$T/boards" --output "record:$_d/rec.bin" \
        --clock-start "$_start" --clock-rate "$_rate" --seconds "$_secs" "$@" 2>"$_d/err" &
    echo $! > "$_d/pid"
    FLEET_PIDS="$FLEET_PIDS $!"
}

kiosk_wait() {
    wait "$(cat "$1/pid")" || fail "$1: run exit $?: $(tail -20 "$1/err")"
}

publish() {
    "$LT" publish --broker "$BROKER_TLS_URL" --ca-file "$BROKER_CA" --username newsroom \
        --password-file "$(broker_pw newsroom)" --key "$T/newsroom.key" --state-dir "$T/newsroom-state" "$@"
}

inject() {
    mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -u newsroom -P "$(cat "$(broker_pw newsroom)")" \
        -V mqttv5 -q 1 -r -t "$1" -f "$2" || fail "mosquitto_pub $1 failed"
}

status() {
    mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u newsroom -P "$(cat "$(broker_pw newsroom)")" \
        -V mqttv5 -t "ledticker/v1/site/$1/status" -C 1 -W 3 2>/dev/null
}

wait_status() {
    _n=$(( ${3:-20} * 2 ))
    while ! status "$1" | grep -Eq -- "$2"; do
        _n=$((_n - 1))
        [ $_n -gt 0 ] || fail "waited in vain for '$2' in the status of $1: $(status "$1")"
        sleep 0.5
    done
}

replay_last() {
    "$SIM" --board hub75-256x32 --raw --snapshot "$2.png" --strict < "$1/rec.bin" \
        || fail "$1: ledsim exit $?"
    "$T/png2ppm" "$2.png" "$2" || fail "png2ppm $2.png"
}

preview_at() {
    "$LT" preview -c "$1/kiosk.ini" --boards-dir "$T/boards" --at "$2" -o "$3.png" \
        || fail "$1: preview exit $?"
    "$T/png2ppm" "$3.png" "$3" || fail "png2ppm $3.png"
}
