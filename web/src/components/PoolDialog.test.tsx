import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { PoolDialog, groupTemplates, suggestId } from "./PoolDialog";
import type { PoolTemplate, Settings } from "../types";

function template(id: string, over: Partial<PoolTemplate> = {}): PoolTemplate {
  return {
    pool_type: "solopool", pool_display_name: "Solopool.org", template_id: id, example: true,
    display_name: `Solopool ${id}`, url: `${id}.example`, port: 8004, coin: "DGB", mining_model: "solo",
    region: "EU", requires_auth: false, supports_shares: true, supports_earnings: false,
    supports_balance: false, description: "", fee_percent: 1, ...over,
  };
}
const templates = [
  template("solopool-dgb-eu1"),
  template("solopool-dgb-us1", { region: "US", url: "us1.solopool.org" }),
  template("solopool-bch-eu2", { coin: "BCH", port: 8002 }),
  template("braiins-btc", { pool_type: "braiins", pool_display_name: "Braiins Pool", coin: "BTC", requires_auth: true, region: null, display_name: "Braiins BTC" }),
];
const settings = (wallets: Record<string, string>, keys: Record<string, string> = {}): Settings => ({
  wallets, api_keys: keys, server: { listen: "", api_token: null, api_token_set: false }, problems: [],
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("PoolDialog", () => {
  it("groups templates as driver · coin with the regions as options", () => {
    const groups = groupTemplates(templates);
    expect(groups.map((g) => g.label)).toEqual(["Braiins Pool · BTC", "Solopool.org · BCH", "Solopool.org · DGB"]);
    expect(groups[2].options).toEqual([
      { value: "solopool-dgb-eu1", label: "EU" },
      { value: "solopool-dgb-us1", label: "US" },
    ]);
    expect(groups[0].options[0].label).toBe("Braiins BTC");
    expect(suggestId("a", new Set(["a", "a-2"]))).toBe("a-3");
  });

  it("pre-fills from the template and asks for the wallet only when Settings has none", () => {
    render(<PoolDialog templates={templates} settings={settings({ DGB: "***abcd" })} existing={[]} onClose={() => {}} onSaved={() => {}} />);
    const select = screen.getByRole("combobox");
    expect(within(select).getByRole("group", { name: "Solopool.org · DGB" })).toBeTruthy();
    fireEvent.change(select, { target: { value: "solopool-dgb-us1" } });
    expect((screen.getByLabelText("Stratum host") as HTMLInputElement).value).toBe("us1.solopool.org");
    expect((screen.getByLabelText("Port") as HTMLInputElement).value).toBe("8004");
    expect((screen.getByLabelText("Pool id") as HTMLInputElement).value).toBe("solopool-dgb-us1");
    expect(screen.queryByLabelText("DGB wallet")).toBeNull();
    fireEvent.change(select, { target: { value: "solopool-bch-eu2" } });
    expect(screen.getByLabelText("BCH wallet")).toBeTruthy();
    expect(screen.queryByLabelText("API token")).toBeNull();
    fireEvent.change(select, { target: { value: "braiins-btc" } });
    expect(screen.getByLabelText("API token")).toBeTruthy();
  });

  it("does not ask for a token the settings already hold", () => {
    render(<PoolDialog templates={templates} settings={settings({ BTC: "***wxyz" }, { braiins: "***1234" })} existing={[]} onClose={() => {}} onSaved={() => {}} />);
    fireEvent.change(screen.getByRole("combobox"), { target: { value: "braiins-btc" } });
    expect(screen.queryByLabelText("API token")).toBeNull();
  });

  it("sends only what differs from the template and shows the server's problems at their fields", async () => {
    const fetchMock = vi.fn(async () =>
      new Response(
        JSON.stringify({
          error: "the pool config is not valid: nothing was written",
          details: ["port: must be 1..65535, got 70000"],
          problems: [{ field: "port", message: "must be 1..65535, got 70000" }],
        }),
        { status: 400, headers: { "Content-Type": "application/json" } },
      ),
    );
    vi.stubGlobal("fetch", fetchMock);
    const saved = vi.fn();
    render(<PoolDialog templates={templates} settings={settings({ DGB: "x" })} existing={[]} onClose={() => {}} onSaved={saved} />);
    fireEvent.change(screen.getByRole("combobox"), { target: { value: "solopool-dgb-eu1" } });
    fireEvent.change(screen.getByLabelText("Port"), { target: { value: "70000" } });
    fireEvent.click(screen.getByRole("button", { name: "Add pool" }));
    const alert = await screen.findByText("must be 1..65535, got 70000");
    expect(alert.closest("[data-field]")?.getAttribute("data-field")).toBe("port");
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/pools");
    expect(JSON.parse(init.body as string)).toEqual({ pool_id: "solopool-dgb-eu1", from_template: "solopool-dgb-eu1", port: 70000 });
    await waitFor(() => expect(screen.getByText("Please fix the marked fields.")).toBeTruthy());
    expect(saved).not.toHaveBeenCalled();
  });
});
