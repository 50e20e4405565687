#!/bin/bash
# Alternates two builds of the handler in one session: the benchmarks' runner with handler jar A, then B, then B, then
# A, ... for ROUNDS rounds, each a run of the runner with the options given (by default 4 x 4 through a Logger,
# autoFlush=true and false). Usage, from the repository root after ./mvnw -Pbenchmarks -DskipTests -pl benchmarks -am
# package:
#   benchmarks/probes/ab-handler-jars.sh A.jar B.jar [ROUNDS] [runner options...]
# A handler jar of another commit: git archive COMMIT | tar -x -C DIR, then ./mvnw -pl handler -am package -DskipTests
# in DIR (package, not install, so the local repository keeps this build's jar).
set -euo pipefail
a=$(realpath "$1"); b=$(realpath "$2"); rounds=${3:-3}; shift $(( $# < 3 ? $# : 3 ))
options=("$@")
if [ ${#options[@]} -eq 0 ]; then
  options=(--records=6000000 --shapes=4x4 --writers=CRH_AUTOFLUSH_TRUE,CRH_AUTOFLUSH_FALSE --entries=logger --runs=1)
fi
./mvnw -q -Pbenchmarks -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/ab-classpath.txt
rest=$(tr ':' '\n' < benchmarks/target/ab-classpath.txt | grep -v '/concurrent-log-handler/' | paste -sd:)
work=$(mktemp -d)
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="A B"; else order="B A"; fi
  for which in $order; do
    jar=$a; [ "$which" = B ] && jar=$b
    echo "=== $which ($jar) round $round; $(uptime)"
    java -cp "$jar:$rest:benchmarks/target/classes" dev.concurrentlog.bench.BenchmarkRunner "${options[@]}" \
        --output="$work/out-$which-$round" --work="$work/work" | grep -E 'records/s +[0-9.]+ MB/s'
  done
done
rm -rf "$work"
