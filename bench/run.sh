#!/usr/bin/env bash
# Benchmarks the reference-list endpoints against nginx serving the very same
# bytes from files, in one run, on this machine.
#
# Both servers run on CPU 0 (numberdesk with one event-loop thread, nginx with
# one worker); wrk runs on CPU 1 with keep-alive connections. For each
# endpoint and connection count it prints requests per second and p99 latency
# of both, and the throughput ratio numberdesk / nginx.
#
#   BENCH_SECONDS   duration of each wrk run (default 10)
#   BENCH_CONNECTIONS  connection counts (default "64 256")
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-"64 256"}

bash scripts/setup.sh
bash scripts/setup.sh bench/packages.txt
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build --target numberdesk > /dev/null

work=$(mktemp -d)
trap 'kill $(jobs -p) 2> /dev/null || true; wait 2> /dev/null || true; rm -rf "$work"' EXIT

# numberdesk on CPU 0, one thread, port chosen by the system.
taskset -c 0 build/numberdesk serve --data-dir "$work/data" --listen 127.0.0.1:0 --threads 1 \
  --log-level warn > "$work/numberdesk.out" 2> "$work/numberdesk.log" &
for _ in $(seq 50); do
  grep -q listening "$work/numberdesk.out" 2> /dev/null && break
  sleep 0.1
done
numberdesk_url=$(sed -n 's/^numberdesk listening on //p' "$work/numberdesk.out")
[ -n "$numberdesk_url" ] || { cat "$work/numberdesk.log"; exit 1; }

# The endpoints: the area codes of the region with the most (California) and
# the US region list. nginx serves the exact bytes numberdesk returns.
paths=(/api/numbers/area_codes/US/CA /api/numbers/regions/US)
# nginx workers run as an unprivileged user: let them read the files.
chmod 755 "$work"
mkdir -p "$work/www"
for path in "${paths[@]}"; do
  mkdir -p "$work/www$(dirname "$path")"
  curl -sf "$numberdesk_url$path" -o "$work/www$path"
done

nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/nginx.conf" << CONF
worker_processes 1;
worker_cpu_affinity 1;
daemon off;
error_log $work/nginx-error.log warn;
pid $work/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  default_type application/json;
  client_body_temp_path $work/nginx-tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
sleep 0.5
nginx_url=http://127.0.0.1:$nginx_port

# Prints "<requests/s> <p99 in ms>" for one wrk run.
measure() {
  local url=$1 conns=$2 out
  out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${seconds}s" --latency "$url")
  if grep -q "Non-2xx\|Socket errors" <<< "$out"; then
    echo "wrk reported errors for $url:" >&2
    echo "$out" >&2
    exit 1
  fi
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<< "$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<< "$out")
  echo "$rps $p99"
}

printf '%-32s %5s %12s %12s %7s %10s %10s\n' endpoint conns numberdesk nginx ratio "p99 nd ms" "p99 nx ms"
for path in "${paths[@]}"; do
  for conns in $connections; do
    read -r nd_rps nd_p99 < <(measure "$numberdesk_url$path" "$conns")
    read -r nx_rps nx_p99 < <(measure "$nginx_url$path" "$conns")
    ratio=$(awk -v a="$nd_rps" -v b="$nx_rps" 'BEGIN {printf "%.2f", a / b}')
    printf '%-32s %5s %12.0f %12.0f %7s %10.2f %10.2f\n' "$path" "$conns" "$nd_rps" "$nx_rps" \
      "$ratio" "$nd_p99" "$nx_p99"
  done
done
echo "body sizes: $(for p in "${paths[@]}"; do printf '%s=%sB ' "$p" "$(stat -c %s "$work/www$p")"; done)"
