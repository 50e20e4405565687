#!/usr/bin/env bash
# The compatibility matrix (docs/compatibility.md): for each WildFly version, the Arquillian tests (standalone and
# domain) and the Galleon tests against that version; and the handler's unit and multi-process tests on Java 25.
# One row after the other, each a fresh Maven run; at the end it prints the table (also in target/compat/matrix.md).
#
#   compat/run-matrix.sh [ROW...] [-- MAVEN_ARGUMENTS...]      or      ./mvnw -Pcompat validate [-Dcompat.rows=ROWS]
#
# A ROW is a WildFly version or java25 (an argument may hold several, separated by spaces); without rows, all of them. The WildFly version is the build's property
# version.wildfly; what a version cannot run is skipped by the build and the tests, with the reason printed.
set -uo pipefail
cd "$(dirname "$0")/.."

ALL_ROWS=(26.1.3.Final 31.0.1.Final 35.0.1.Final 39.0.1.Final java25)
rows=()
maven=(--batch-mode --no-transfer-progress)
while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then
        shift
        maven+=("$@")
        break
    fi
    # shellcheck disable=SC2206 # "26.1.3.Final java25" is two rows, and an empty argument none
    rows+=($1)
    shift
done
[ ${#rows[@]} -gt 0 ] || rows=("${ALL_ROWS[@]}")

out=target/compat
mkdir -p "$out"
table="$out/matrix.md"
echo "| row | jboss-logmanager | result | time |" > "$table"
echo "|---|---|---|---|" >> "$table"
failed=0

# Sums the "Tests run: N, Failures: F, Errors: E, Skipped: S" totals (one per surefire or failsafe run) of a log.
counts() {
    grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$1" |
        sed -E 's/.*Tests run: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+), Skipped: ([0-9]+)/\1 \2 \3 \4/' |
        awk '{ t += $1; f += $2; e += $3; s += $4 } END { printf "%d tests, %d failures, %d errors, %d skipped", t, f, e, s }'
}

for row in "${rows[@]}"; do
    log="$out/$row.log"
    start=$(date +%s)
    echo "=== $row (log: $log)"
    if [ "$row" = java25 ]; then
        ./mvnw "${maven[@]}" -Pjava25 -pl test-support,handler install > "$log" 2>&1
        status=$?
        logmanager="$(./mvnw -q "${maven[@]}" -N help:evaluate -Dexpression=version.jboss-logmanager -DforceStdout \
            2> /dev/null) (Maven)"
        java=$(grep -ho 'name="java.runtime.version" value="[^"]*"' handler/target/surefire-reports/TEST-*.xml \
            handler/target/failsafe-reports/TEST-*.xml 2> /dev/null | sort -u | sed -E 's/.*value="([^"]*)"/\1/' |
            paste -sd, -)
        echo "tests ran on Java $java" | tee -a "$log"
        name="Java 25 ($java): handler, test-support"
    else
        # the handler, the module zip and the Galleon pack built against this version, then the tests against it
        ./mvnw "${maven[@]}" -Dversion.wildfly="$row" -DskipTests -pl module-descriptor,galleon-pack -am install \
            > "$log" 2>&1 &&
            ./mvnw "${maven[@]}" -Dversion.wildfly="$row" -pl arquillian-tests,galleon-tests clean verify >> "$log" 2>&1
        status=$?
        jar=$(ls arquillian-tests/target/wildfly-"$row"/modules/system/layers/base/org/jboss/logmanager/main/ \
            2> /dev/null | grep -E '^jboss-logmanager-.*\.jar$')
        logmanager=${jar#jboss-logmanager-}
        logmanager=${logmanager%.jar}
        name="WildFly $row"
        # the reasons of what was skipped, as the tests' assumptions gave them
        grep -ho 'Assumption failed: skipped: .*' galleon-tests/target/failsafe-reports/TEST-*.xml \
            arquillian-tests/target/failsafe-reports/TEST-*.xml 2> /dev/null | sort -u | tee -a "$log"
        # the unpacked server is 320 MB: keep the disk for the next row
        rm -rf arquillian-tests/target/wildfly-"$row"
    fi
    seconds=$(($(date +%s) - start))
    if [ $status -eq 0 ]; then result="passed"; else result="FAILED"; failed=1; fi
    line="| $name | ${logmanager:-?} | $result: $(counts "$log") | $((seconds / 60)) min $((seconds % 60)) s |"
    echo "$line" >> "$table"
    echo "$line"
done

echo
cat "$table"
exit $failed
