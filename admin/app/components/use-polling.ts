import { useEffect } from "react";
import { useNavigation, useRevalidator } from "react-router";

/**
 * While `active`, reloads the page's data every `intervalMs` (counted from the end of the last reload, so a slow
 * server is never asked twice at once). Paused while the tab is hidden or a form is on its way.
 */
export function usePolling(active: boolean, intervalMs: number) {
  const { revalidate, state } = useRevalidator();
  const navigation = useNavigation();
  useEffect(() => {
    if (!active || state !== "idle" || navigation.state !== "idle") return;
    // Reloading sets `state` to loading, which clears this timer; the next one starts once the reload is done.
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void revalidate();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, state, navigation.state, revalidate]);
}
