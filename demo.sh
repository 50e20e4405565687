#!/usr/bin/env bash
# The demo: two servers of a WildFly 39 managed domain share one rotating log file through concurrent-log-handler.
#
# It builds the module, lays out a domain (server-one and server-two in main-server-group) under target/demo,
# installs the module and configures the handler exactly as the README tells users to, and warms both handlers up (the
# same load three times through each into files of their own, not measured, so that neither runs with a colder JIT).
# Then both servers log under load while the file rotates, through this handler and through WildFly's built-in
# size-rotating-file-handler (into another file), twice each in the order A B B A. It stops the domain (also when
# interrupted) and prints the files, a summary of each (records per writer, lost, duplicated, torn) and both handlers
# side by side. Needs only a JDK 17: Maven and WildFly come from Maven Central.
#
# Settings (environment): DEMO_THREADS (4), DEMO_RECORDS per thread (40000), DEMO_ROTATE_SIZE (256k),
# DEMO_MANAGEMENT_PORT (39990), DEMO_PORT_OFFSET_ONE (31000), DEMO_PORT_OFFSET_TWO (31150).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")" && pwd)
DEMO=$ROOT/target/demo
WILDFLY=$DEMO/wildfly
THREADS=${DEMO_THREADS:-4}
RECORDS=${DEMO_RECORDS:-40000}
ROTATE_SIZE=${DEMO_ROTATE_SIZE:-256k}
MAX_BACKUP_INDEX=1000
MGMT=${DEMO_MANAGEMENT_PORT:-39990}
OFFSET_ONE=${DEMO_PORT_OFFSET_ONE:-31000}
OFFSET_TWO=${DEMO_PORT_OFFSET_TWO:-31150}
LOG=$DEMO/logs/shared.log
BUILTIN_LOG=$DEMO/logs/builtin.log
# the second round of each handler writes a file of its own, as fresh as the first's
LOG_2=$DEMO/logs/shared-2.log
BUILTIN_LOG_2=$DEMO/logs/builtin-2.log
# the test kit: the load application and its client, the records and their check
KIT_CLASSES=$ROOT/test-support/target/classes

step() { printf '\n==> %s\n' "$*"; }
cli() { "$WILDFLY/bin/jboss-cli.sh" -c --controller="127.0.0.1:$MGMT" "$@"; }

DOMAIN_PID=
stop_domain() {
    [ -n "$DOMAIN_PID" ] || return 0
    step "Stopping the domain"
    cli --command="/host=primary:shutdown" > /dev/null 2>&1 || true
    for _ in $(seq 1 60); do
        pgrep -f -- "-Djboss.home.dir=$WILDFLY" > /dev/null || break
        sleep 1
    done
    # whatever did not stop in a minute is killed: the demo never leaves a server running
    pkill -9 -f -- "-Djboss.home.dir=$WILDFLY" 2> /dev/null || true
    DOMAIN_PID=
    echo "stopped"
}
trap stop_domain EXIT
trap 'exit 130' INT TERM

step "Building the handler and the module zip (./mvnw install; the first run downloads Maven and WildFly)"
cd "$ROOT"
./mvnw --batch-mode --no-transfer-progress --quiet -DskipTests install

step "Laying out WildFly 39 in $WILDFLY"
rm -rf "$DEMO"
mkdir -p "$DEMO/logs"
cp -a "$ROOT/arquillian-tests/target/wildfly-39.0.1.Final" "$WILDFLY"
rm -rf "$WILDFLY/modules/dev/concurrentlog" "$WILDFLY/domain/configuration/host-arq.xml"

step "Installing the module: unzip dev.concurrentlog-*.zip into \$JBOSS_HOME/modules"
MODULE_ZIP=$(ls "$ROOT"/module-descriptor/target/dev.concurrentlog-*.zip)
(cd "$WILDFLY/modules" && jar xf "$MODULE_ZIP")
ls "$WILDFLY/modules/dev/concurrentlog/main"

step "Starting the domain: server-one and server-two of main-server-group (port offsets $OFFSET_ONE and $OFFSET_TWO)"
cp "$WILDFLY/domain/configuration/host.xml" "$WILDFLY/domain/configuration/host-demo.xml"
"$WILDFLY/bin/jboss-cli.sh" --file="$ROOT/arquillian-tests/src/test/cli/host-offsets.cli" --resolve-parameter-values \
    -Dhost.config=host-demo.xml -Dserver-one.port.offset="$OFFSET_ONE" -Dserver-two.port.offset="$OFFSET_TWO" > /dev/null
"$WILDFLY/bin/domain.sh" --host-config=host-demo.xml -Djboss.management.http.port="$MGMT" \
    > "$DEMO/domain-console.log" 2>&1 &
DOMAIN_PID=$!
for server in server-one server-two; do
    state=
    for _ in $(seq 1 180); do
        state=$(cli --command="/host=primary/server=$server:read-attribute(name=server-state)" 2> /dev/null \
            | sed -n 's/.*"result" => "\(.*\)".*/\1/p') || true
        [ "$state" = "running" ] && break
        kill -0 "$DOMAIN_PID" 2> /dev/null || { echo "the domain stopped; see $DEMO/domain-console.log"; exit 1; }
        sleep 1
    done
    [ "$state" = "running" ] || { echo "$server did not start; see $DEMO/domain-console.log"; exit 1; }
    echo "$server is running"
done

step "Configuring the handler in /profile=full with the module's add-handler.cli, once for each round"
add_handler() { # NAME FILE: as the README tells users to
    cat > "$DEMO/$1.properties" <<PROPERTIES
handler.name=$1
handler.file=$2
handler.rotateSize=$ROTATE_SIZE
handler.maxBackupIndex=$MAX_BACKUP_INDEX
handler.profile=/profile=full
PROPERTIES
    cli --resolve-parameter-values --file="$WILDFLY/modules/dev/concurrentlog/main/add-handler.cli" \
        --properties="$DEMO/$1.properties"
}
add_handler CONCURRENT "$LOG"
add_handler CONCURRENT_2 "$LOG_2"
add_builtin() { # NAME FILE: WildFly's size-rotating-file-handler, rotating the same way
    cli --command="/profile=full/subsystem=logging/size-rotating-file-handler=$1:add(file={path=\"$2\"}, rotate-size=$ROTATE_SIZE, max-backup-index=$MAX_BACKUP_INDEX, named-formatter=PATTERN, append=true, autoflush=true)"
}
add_builtin BUILTIN "$BUILTIN_LOG"
add_builtin BUILTIN_2 "$BUILTIN_LOG_2"
# the warm-up's handlers; the load's category goes only to the handler measured, so the servers' consoles stay quiet
cli --command="/profile=full/subsystem=logging/custom-handler=WARMUP:add(class=dev.concurrentlog.ConcurrentRotatingFileHandler, module=dev.concurrentlog, named-formatter=PATTERN, properties={fileName=\"$DEMO/logs/warmup.log\", rotateSize=\"$ROTATE_SIZE\", maxBackupIndex=\"$MAX_BACKUP_INDEX\", append=\"true\", autoFlush=\"true\"})"
add_builtin BUILTIN_WARMUP "$DEMO/logs/warmup-builtin.log"
cli --command="/profile=full/subsystem=logging/logger=dev.concurrentlog.load:add(level=INFO, use-parent-handlers=false, handlers=[WARMUP, BUILTIN_WARMUP])"

step "Deploying the load application to main-server-group"
mkdir -p "$DEMO/war/WEB-INF/classes/dev/concurrentlog/testkit/load"
cp "$KIT_CLASSES"/dev/concurrentlog/testkit/load/{LoadServlet,LoadThreads}.class "$DEMO/war/WEB-INF/classes/dev/concurrentlog/testkit/load/"
cp "$KIT_CLASSES"/dev/concurrentlog/testkit/RecordFormat*.class "$DEMO/war/WEB-INF/classes/dev/concurrentlog/testkit/"
jar cf "$DEMO/load.war" -C "$DEMO/war" .
cli --command="deploy $DEMO/load.war --server-groups=main-server-group"

load() {
    java -cp "$KIT_CLASSES" dev.concurrentlog.testkit.load.DemoLoad "$THREADS" "$RECORDS" \
        "server-one=http://127.0.0.1:$((8080 + OFFSET_ONE))/load/" \
        "server-two=http://127.0.0.1:$((8080 + OFFSET_TWO))/load/" | tee "$DEMO/load-$1.txt"
}
handlers() {
    cli --command="/profile=full/subsystem=logging/logger=dev.concurrentlog.load:write-attribute(name=handlers, value=[$1])"
}

step "Warm-up, not measured: the same load through both handlers at once, then through each alone in the order A B B A"
# the JIT goes on compiling for seconds: after two rounds through both at once it still compiled the rotation's code
# and the formatter's date code while the first handler measured ran, and the first switch of handlers (a management
# operation) compiled the management code into that round (LogCompilation showed both); so the warm-up switches too
load warmup
handlers WARMUP
load warmup
handlers BUILTIN_WARMUP
load warmup
load warmup
handlers WARMUP
load warmup

step "Measured in the order A B B A, so that neither handler gains from going last; each round into a file of its own"
step "A: both servers log $THREADS threads x $RECORDS records at once through concurrent-log-handler into $LOG, rotating at $ROTATE_SIZE"
handlers CONCURRENT
load concurrent-1

step "B: the same load through WildFly's built-in size-rotating-file-handler into $BUILTIN_LOG"
handlers BUILTIN
load builtin-1

step "B again, into $BUILTIN_LOG_2"
handlers BUILTIN_2
load builtin-2

step "A again, into $LOG_2"
handlers CONCURRENT_2
load concurrent-2

stop_domain

check() {
    java -cp "$KIT_CLASSES" dev.concurrentlog.testkit.LogCheck --wildfly-category=dev.concurrentlog.load "$1" \
        "server-one=${THREADS}x$RECORDS" "server-two=${THREADS}x$RECORDS" | tee "$DEMO/check-$2.txt"
}

status=0
step "This handler's log, round A ($LOG and its backups), and what is in it"
check "$LOG" concurrent-1 || status=$?
step "This handler's log, round A again ($LOG_2 and its backups), and what is in it"
check "$LOG_2" concurrent-2 || status=$?
step "The built-in handler's log, round B ($BUILTIN_LOG and its backups), and what is in it"
check "$BUILTIN_LOG" builtin-1 || true
step "The built-in handler's log, round B again ($BUILTIN_LOG_2 and its backups), and what is in it"
check "$BUILTIN_LOG_2" builtin-2 || true

step "Side by side: the same domain, load and rotation, after the same warm-up"
summary() { # records/s over both rounds (all records over the time of both), each round's, then lost and duplicated
    rates=$(sed -n 's/.*(\([0-9]*\) records\/s).*/\1/p' "$DEMO/load-$1-1.txt" "$DEMO/load-$1-2.txt" | tr '\n' ' ')
    lost_dup=$(awk '$1 ~ /^server-/ { lost += $4; dup += $5 } END { print lost + 0, dup + 0 }' \
        "$DEMO/check-$1-1.txt" "$DEMO/check-$1-2.txt")
    echo "$rates" | awk '{ printf "%.0f %s,%s ", 2 / (1 / $1 + 1 / $2), $1, $2 }'
    echo "$lost_dup"
}
read -r ours_rate ours_rounds ours_lost ours_dup <<< "$(summary concurrent)"
read -r builtin_rate builtin_rounds builtin_lost builtin_dup <<< "$(summary builtin)"
printf '%-40s %12s %10s %12s   %s\n' "handler" "records/s" "lost" "duplicated" "records/s of each round"
printf '%-40s %12s %10s %12s   %s\n' "concurrent-log-handler" "$ours_rate" "$ours_lost" "$ours_dup" "$ours_rounds"
printf '%-40s %12s %10s %12s   %s\n' "built-in size-rotating-file-handler" "$builtin_rate" "$builtin_lost" "$builtin_dup" \
    "$builtin_rounds"
awk -v ours="$ours_rate" -v builtin="$builtin_rate" \
    'BEGIN { printf "concurrent-log-handler records/s / built-in: %.2fx\n", ours / builtin }'
exit $status
