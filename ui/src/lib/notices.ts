// Messages that must outlive a reload of the window (after "Vider le cache"). They are UI
// messages, not user data, so the webview's session storage is the right place for them.

const CACHE_CLEARED = "econfiance.cacheCleared";

export function rememberCacheCleared(message: string): void {
  sessionStorage.setItem(CACHE_CLEARED, message);
}

/** The message saved before the reload, once. */
export function takeCacheCleared(): string | null {
  const message = sessionStorage.getItem(CACHE_CLEARED);
  sessionStorage.removeItem(CACHE_CLEARED);
  return message;
}
