// What the page keeps of a secret (a shop's API key, the rules service's operator token): in
// memory only, unless the user ticks "remember in this tab", which puts it in sessionStorage (gone
// when the tab closes). Never localStorage: that outlives the tab and any script on the origin can
// read it. One place for this rule, so every secret the page holds follows it.

/** The tab's memory under `key`: `save(value)`, `load()` (null when nothing or unreadable), `forget()`. */
export function tabMemory(key) {
  return {
    save: (value) => sessionStorage.setItem(key, JSON.stringify(value)),
    load() {
      try {
        return JSON.parse(sessionStorage.getItem(key) ?? 'null');
      } catch {
        return null;
      }
    },
    forget: () => sessionStorage.removeItem(key),
  };
}
