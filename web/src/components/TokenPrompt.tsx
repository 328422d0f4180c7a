import { useState } from "react";
import { Modal } from "./Modal";

/** Asks for the server's write token (server.api_token); it is kept for this browser session. */
export function TokenPrompt(props: { wrong: boolean; onDone: (token: string | null) => void }) {
  const [token, setToken] = useState("");
  return (
    <Modal title="Write token needed" onClose={() => props.onDone(null)}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.onDone(token.trim() || null);
        }}
      >
        <p>
          {props.wrong
            ? "The server refused the token. Enter the current one."
            : "This server protects changes with a token (server.api_token in config.yaml)."}{" "}
          It is kept only for this browser session.
        </p>
        <label className="field">
          <span>Write token</span>
          <input type="password" autoComplete="off" autoFocus value={token} onChange={(e) => setToken(e.target.value)} />
        </label>
        <div className="actions">
          <button type="button" onClick={() => props.onDone(null)}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!token.trim()}>
            Continue
          </button>
        </div>
      </form>
    </Modal>
  );
}
