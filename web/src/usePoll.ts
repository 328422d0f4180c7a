import { useCallback, useEffect, useRef, useState } from "react";

/**
 * Loads `load()` now and every `everyMs` (which may change between renders). The last good data stays while a refresh runs or
 * fails, so the page never flickers; `error` says what the last attempt hit.
 */
export function usePoll<T>(load: () => Promise<T>, everyMs: number) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;

  const refresh = useCallback(async () => {
    try {
      const next = await loadRef.current();
      setData(next);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);

  useEffect(() => void refresh(), [refresh]);
  // A new pace takes effect from now, without an extra load.
  useEffect(() => {
    if (everyMs <= 0) return;
    const timer = window.setInterval(() => void refresh(), everyMs);
    return () => window.clearInterval(timer);
  }, [refresh, everyMs]);

  return { data, error, refresh };
}
