#!/usr/bin/env bash
# Issue 13's metrics cost, measured inside one run (on-vs-off runs differ by more than the 3 % to resolve): a Hub.Bench
# fan-out with the Prometheus exporter on and /metrics fetched every 2 s, `perf record` of the node for 10 s, and the
# share of its samples whose stack holds metrics code (metrics_share.py). Needs perf and built Release Hub.Server and
# Hub.Bench. Results in docs/benchmarks.md, "Metrics: what they cost".
# usage: bench/perf/metrics-share.sh <embedded|redis> <rooms> <members> <publishers> <tag>   (files in $OUT/<tag>)
set -u
here="$(cd "$(dirname "$0")" && pwd)"
mode=$1; rooms=$2; members=$3; pubs=$4; tag=$5
out=${OUT:-/tmp/hub-metrics-share}/$tag; mkdir -p $out
cd "$here/../.."
dotnet Hub.Bench/bin/Release/net10.0/Hub.Bench.dll fanout --start $mode --rooms $rooms --members $members --publishers $pubs \
  --rate 0 --duration 12 --warmup 6 --ack-interval 50 --quiet \
  --server-arg --Metrics:Prometheus:Enabled=true \
  --server-env DOTNET_PerfMapEnabled=1 --server-env DOTNET_EnableWriteXorExecute=0 > $out/bench.txt 2>&1 &
bench=$!
pid=""
for i in $(seq 1 60); do
  pid=$(ps -eo pid,args | grep "Hub.Server.dll" | grep -v Hub.Bench | grep -v grep | awk '{print $1}' | head -1)
  [ -n "$pid" ] && break; sleep 0.5
done
port=""
for i in $(seq 1 60); do
  port=$(ss -ltnp 2>/dev/null | grep "pid=$pid," | awk '{print $4}' | sed 's/.*://' | head -1)
  [ -n "$port" ] && break; sleep 0.5
done
echo "server pid $pid port $port" > $out/info.txt
sleep 9   # past connect and warm-up
( for i in $(seq 1 6); do curl -s -o /dev/null http://127.0.0.1:$port/metrics; sleep 2; done ) &
perf record -F 1999 -g -p $pid -o $out/perf.data -- sleep 10 > /dev/null 2>&1
wait $bench
perf script -i $out/perf.data 2>/dev/null > $out/perf.txt
python3 "$here/metrics_share.py" $out/perf.txt | tee $out/share.txt
tail -2 $out/bench.txt
