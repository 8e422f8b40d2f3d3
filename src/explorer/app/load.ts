/** Loading a page's data from the read model, and linking between pages. */
import { useEffect, useState } from "preact/hooks";
import type { Page } from "./route.ts";

/** A permalink to a page, keeping the time-travel block of the current view. */
export type Link = (page: Page, id: string) => string;

export interface Loaded<T> {
  data: T | null;
  /** The read model's one-line message, when loading failed. */
  error: string | null;
}

/** Runs `load` whenever `deps` change; the latest answer wins. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null });
  useEffect(() => {
    let current = true;
    setState({ data: null, error: null });
    load().then(
      (data) => current && setState({ data, error: null }),
      (error: Error) => current && setState({ data: null, error: error.message }),
    );
    return () => {
      current = false;
    };
  }, deps);
  return state;
}
