// The page may have replaced window.fetch before this script ran (a monitoring wrapper, or something hostile).
// A fresh about:blank frame has a fetch the page never touched. Called with the window as `this` it keeps
// working after the frame is gone, so the frame is removed at once: nothing is left in the page, nothing paints.
// Making a frame costs the page a few tens of milliseconds of main thread, so only a fetch that is not the
// browser's own gets one.
// A known limit: "the browser's own" is read from Function.prototype.toString, and a Proxy of fetch, or a wrapper
// bound with Function.prototype.bind, prints "[native code]" too: such a wrapper is taken for the browser's fetch.
// The app reads its event streams through this fetch as well (app/sse.ts): an EventSource from the frame never
// connects once the frame is gone, and the page's own may be wrapped.
export function pristineFetch(w: Window & typeof globalThis): typeof fetch {
  let f = w.fetch;
  try {
    if (/\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(f))) return (input, init) => f.call(w, input, init);
    const doc = w.document.documentElement;
    const frame = w.document.createElement("iframe");
    doc.appendChild(frame);
    f = frame.contentWindow?.fetch ?? f;
    doc.removeChild(frame);
  } catch {
    // A page that forbids even this keeps its own fetch: still better than no widget.
  }
  return (input, init) => f.call(w, input, init);
}
