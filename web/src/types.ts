// Shapes of the service's REST answers (README "REST API"; http/api_json.cpp, http/tile_json.cpp).

export interface Tile1 {
  health_status: boolean;
  health_message: string;
  latency_ms: number | null;
}
export interface Tile2 {
  network_difficulty: number | null;
  pool_hashrate: number | null;
  pool_hashrate_hs: number | null;
  estimated_seconds_to_block: number | null;
  estimated_time_to_block: string | null;
  pool_percentage: number | null;
  active_workers: number | null;
}
export interface Tile3 {
  shares_valid: number | null;
  shares_invalid: number | null;
  shares_stale: number | null;
  reject_rate: number | null;
  accepted_difficulty: number | null;
}
export interface Tile4 {
  blocks_found_24h: number | null;
  last_block_found: string | null;
  currency: string | null;
  confirmed_balance: number | null;
  pending_balance: number | null;
  estimated_earnings_24h: number | null;
  best_share: number | null;
}
export interface DashboardEntry {
  pool_id: string;
  display_name: string;
  pool_type: string;
  coin: string;
  enabled: boolean;
  status: string;
  warnings: string[];
  tile_1_health: Tile1;
  tile_2_network: Tile2;
  tile_3_shares: Tile3;
  tile_4_blocks: Tile4;
  last_updated: string | null;
  last_success: string | null;
  stale: boolean;
}

export interface PoolTemplate {
  pool_type: string;
  pool_display_name: string;
  template_id: string;
  example: boolean;
  display_name: string;
  url: string;
  port: number;
  coin: string;
  mining_model: string;
  region: string | null;
  requires_auth: boolean;
  supports_shares: boolean;
  supports_earnings: boolean;
  supports_balance: boolean;
  description: string;
  fee_percent: number | null;
}

export interface Pool {
  pool_id: string;
  file: string;
  status: "active" | "disabled" | "rejected" | "failed" | string;
  reasons: string[];
  warnings: string[];
  driver: string;
  driver_display_name: string | null;
  enabled: boolean;
  display_name: string;
  url: string;
  port: number;
  coin: string;
  region: string | null;
  mining_model: string;
  poll_interval_s: number;
  api_base_url: string | null;
  wallet: string | null;
  username: string | null;
  api_token: string | null;
  description: string;
  fee_percent: number | null;
}

export interface Drivers {
  loaded: { type: string; display_name: string; version: string; file: string; coins: string[] }[];
  rejected: { file: string; reasons: string[] }[];
  problems: string[];
}

export interface Settings {
  wallets: Record<string, string>;
  api_keys: Record<string, string>;
  server: { listen: string; api_token: string | null; api_token_set: boolean };
  problems: string[];
}

/** A field the server found wrong: `field` names the key ("" for the whole request). */
export interface FieldProblem {
  field: string;
  message: string;
}
