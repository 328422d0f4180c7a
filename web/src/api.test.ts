import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, getToken, onTokenNeeded, setToken, write } from "./api";
import { pageOf } from "./router";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

afterEach(() => {
  vi.unstubAllGlobals();
  setToken("");
});

describe("write", () => {
  it("asks for the token on a 401, sends it as a bearer and keeps it for the session", async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(json(401, { error: "write token required" }))
      .mockResolvedValueOnce(json(200, { deleted: true }));
    vi.stubGlobal("fetch", fetchMock);
    const asked: boolean[] = [];
    onTokenNeeded(async (wrong) => {
      asked.push(wrong);
      return "s3cret-token";
    });
    await expect(write("DELETE", "/api/pools/x")).resolves.toEqual({ deleted: true });
    expect(asked).toEqual([false]);
    const [, retry] = fetchMock.mock.calls[1] as [string, RequestInit];
    expect((retry.headers as Record<string, string>).Authorization).toBe("Bearer s3cret-token");
    expect((retry.headers as Record<string, string>)["Content-Type"]).toBe("application/json");
    expect(getToken()).toBe("s3cret-token");
  });

  it("gives up when the user cancels, and reports the server's problems", async () => {
    vi.stubGlobal("fetch", vi.fn().mockResolvedValue(json(401, { error: "write token required" })));
    onTokenNeeded(async () => null);
    await expect(write("POST", "/api/reload")).rejects.toMatchObject({ status: 401 });

    vi.stubGlobal("fetch", vi.fn().mockResolvedValue(
      json(400, { error: "not valid", details: ["port: bad"], problems: [{ field: "port", message: "bad" }] })));
    const err = (await write("POST", "/api/pools", {}).catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.problems).toEqual([{ field: "port", message: "bad" }]);
  });
});

describe("pageOf", () => {
  it("maps /app/ paths to pages, anything unknown to the dashboard", () => {
    expect(pageOf("/app/pools")).toBe("pools");
    expect(pageOf("/app/settings/extra")).toBe("settings");
    expect(pageOf("/app/")).toBe("dashboard");
    expect(pageOf("/app/nope")).toBe("dashboard");
  });
});
