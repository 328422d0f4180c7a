import { useEffect, useState } from "react";
import { onTokenNeeded } from "./api";
import { navigate, PAGES, usePage, type Page } from "./router";
import { TokenPrompt } from "./components/TokenPrompt";
import { Dashboard } from "./pages/Dashboard";
import { Pools } from "./pages/Pools";
import { DriversPage } from "./pages/Drivers";
import { SettingsPage } from "./pages/Settings";

const TITLES: Record<Page, string> = {
  dashboard: "Dashboard",
  pools: "Pools",
  drivers: "Drivers",
  settings: "Settings",
};

type Ask = { wrong: boolean; resolve: (token: string | null) => void };

export function App() {
  const page = usePage();
  const [ask, setAsk] = useState<Ask | null>(null);

  useEffect(() => {
    onTokenNeeded((wrong) => new Promise((resolve) => setAsk({ wrong, resolve })));
  }, []);
  useEffect(() => {
    document.title = `${TITLES[page]} · miner-controller`;
  }, [page]);

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">
          <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true">
            <path d="M8 1 14 4.5v7L8 15 2 11.5v-7z" fill="none" stroke="currentColor" strokeWidth="1.8" />
            <path d="M8 5.2 10.6 6.7v3L8 11.2 5.4 9.7v-3z" fill="currentColor" />
          </svg>
          miner-controller
        </span>
        <nav>
          {PAGES.map((p) => (
            <a
              key={p}
              href={`/app/${p}`}
              className={p === page ? "active" : undefined}
              aria-current={p === page ? "page" : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(p);
              }}
            >
              {TITLES[p]}
            </a>
          ))}
        </nav>
      </header>
      <main>
        {page === "dashboard" && <Dashboard />}
        {page === "pools" && <Pools />}
        {page === "drivers" && <DriversPage />}
        {page === "settings" && <SettingsPage />}
      </main>
      {ask && (
        <TokenPrompt
          wrong={ask.wrong}
          onDone={(token) => {
            ask.resolve(token);
            setAsk(null);
          }}
        />
      )}
    </div>
  );
}
