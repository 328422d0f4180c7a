#!/usr/bin/env bash
# Writes a benchmark config dir: config.yaml and N pool files polling the mock pool at BASE.
# Usage: write-pools.sh DIR PORT N INTERVAL_S MIX   (the mock listens on 0.0.0.0:PORT)
#   MIX mixed: every 5th pool each of solopool (DGB, BCH, BTC, BC2 in turn), braiins, mmfp,
#              ckpool, and a second solopool share, so all four bundled drivers run;
#   MIX dgb:   every pool a Solopool DGB pool (one wallet each): the coalescing case, where the
#              network endpoints (/stats, /blocks) are identical for all of them.
# Every pool has its own wallet, token or mock instance, so only truly identical GETs coincide.
# Hosts are loopback addresses as the real ones are distinct servers (the client's in-flight
# limit is per origin): Solopool one per coin (127.0.1.x), Braiins four (127.0.2.1-4: one
# origin at 4 requests in flight and ~60 ms serves ~66 polls/s, fewer than 2 000 pools at 30 s
# ask), every MMFP and ckpool instance its own (127.2.x.y, 127.3.x.y).
set -euo pipefail
dir=$1 port=$2 n=$3 interval=$4 mix=$5
mkdir -p "$dir/pools"
rm -f "$dir"/pools/*.yaml

cat >"$dir/config.yaml" <<'EOF'
# Benchmark config: wallets are per pool (pool files), so config.yaml only holds the server.
server:
  listen: 127.0.0.1:0
EOF

# One awk process writes every file (a shell loop forks per file: minutes for 10 000).
awk -v dir="$dir" -v port="$port" -v n="$n" -v interval="$interval" -v mix="$mix" 'BEGIN {
  split("DGB BCH BTC BC2", coins, " ")
  for (i = 0; i < n; i++) {
    kind = "solopool"; c = 1
    if (mix == "mixed") {
      k = i % 5
      kind = k == 1 ? "braiins" : k == 2 ? "mmfp" : k == 3 ? "ckpool" : "solopool"
      c = int(i / 5) % 4 + 1
    }
    f = sprintf("%s/pools/bench-%05d.yaml", dir, i)
    printf "driver: %s\ndisplay_name: Bench pool %d\nurl: pool%d.bench.invalid\nport: 3333\npoll_interval_s: %d\n", kind, i, i, interval > f
    inst = sprintf("%d.%d:%s", int(i / 250), i % 250 + 1, port)
    if (kind == "solopool")
      printf "coin: %s\nmining_model: solo\nwallet: bench-wallet-%d\napi_base_url: http://127.0.1.%d:%s/solopool/%s/api\n", coins[c], i, c, port, tolower(coins[c]) > f
    else if (kind == "braiins")
      printf "coin: BTC\napi_token: bench-token-%06d\napi_base_url: http://127.0.2.%d:%s/braiins\n", i, i % 4 + 1, port > f
    else if (kind == "mmfp")
      printf "coin: BCH\napi_base_url: http://127.2.%s/mmfp/p%d\n", inst, i > f
    else
      printf "coin: BTC\nwallet: pool-user-0\napi_base_url: http://127.3.%s/ckpool/p%d\n", inst, i > f
    close(f)
  }
}'
