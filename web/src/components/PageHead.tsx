import type { ReactNode } from "react";

export type Notice = { kind: "ok" | "bad"; text: string } | null;

/** A page's title with its actions, then what went wrong loading it and the last action's outcome. */
export function PageHead(props: { title: string; error?: string | null; notice?: Notice; children?: ReactNode }) {
  return (
    <>
      <div className="page-head">
        <h1>{props.title}</h1>
        {props.children}
      </div>
      {props.error && <p className="banner bad">Cannot reach the service: {props.error}</p>}
      {props.notice && (
        <p className={`banner ${props.notice.kind}`} role="status">
          {props.notice.text}
        </p>
      )}
    </>
  );
}
