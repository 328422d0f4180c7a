// A tiny client-side router over history.pushState: the service answers index.html for any
// /app/<page>, so a reload of /app/pools lands on the same page.
import { useEffect, useState } from "react";

export const BASE = "/app/";
export const PAGES = ["dashboard", "pools", "drivers", "settings"] as const;
export type Page = (typeof PAGES)[number];

export function pageOf(pathname: string): Page {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : "";
  const first = rest.split("/")[0] as Page;
  return PAGES.includes(first) ? first : "dashboard";
}

export function navigate(page: Page) {
  history.pushState(null, "", BASE + page);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

export function usePage(): Page {
  const [page, setPage] = useState(() => pageOf(location.pathname));
  useEffect(() => {
    const update = () => setPage(pageOf(location.pathname));
    window.addEventListener("popstate", update);
    return () => window.removeEventListener("popstate", update);
  }, []);
  return page;
}
