#!/usr/bin/env bash
# Writes a demo config dir whose pools poll the mock pool server at BASE_URL.
# Usage: write-demo-config.sh DIR BASE_URL. Existing files are left as they are.
set -euo pipefail
dir=$1
base=$2
mkdir -p "$dir/pools"

write() {  # write FILE CONTENT: only if FILE does not exist yet
  [ -e "$1" ] || printf '%s\n' "$2" > "$1"
}

write "$dir/config.yaml" "# Demo wallets: the mock pool invents miners for any address.
wallets:
  dgb: dgb1qdemowalletdemowalletdemowallet0000
  bch: bitcoincash:qdemowalletdemowalletdemowallet00
  btc: bc1qdemowalletdemowalletdemowallet00000
  bc2: bc1qdemobc2walletdemobc2walletdemo0000
server:
  listen: 127.0.0.1:8080"

# id coin region stratum-host port
while read -r id coin region host port; do
  lc=$(echo "$coin" | tr 'A-Z' 'a-z')
  write "$dir/pools/$id.yaml" "driver: solopool
display_name: Solopool.org $coin $region (demo)
url: $host
port: $port
coin: $coin
region: $region
mining_model: solo
fee_percent: 1
supports_shares: true
description: Demo pool served by the local mock pool server
poll_interval_s: 10
api_base_url: $base/solopool/$lc/api"
done <<'POOLS'
solopool-dgb-eu1 DGB EU eu1.solopool.org 8004
solopool-dgb-us1 DGB US us1.solopool.org 8004
solopool-bch-eu2 BCH EU eu2.solopool.org 8002
solopool-bch-us1 BCH US us1.solopool.org 8002
solopool-btc-eu3 BTC EU eu3.solopool.org 8005
solopool-bc2-eu3 BC2 EU eu3.solopool.org 8001
POOLS
echo "demo config: $dir (pools poll $base)"
