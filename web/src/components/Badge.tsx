/** A coloured status word: active/healthy green, disabled grey, rejected/failed/unhealthy red. */
export function Badge(props: { kind: "ok" | "warn" | "bad" | "off"; children: string }) {
  return <span className={`badge ${props.kind}`}>{props.children}</span>;
}

export function statusKind(status: string): "ok" | "warn" | "bad" | "off" {
  if (status === "active") return "ok";
  if (status === "disabled") return "off";
  return "bad";
}
