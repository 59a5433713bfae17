const escapeHtml = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A stand-in for the tenant's website, with the real widget.js on it, as their visitors will load it. */
function previewDocument(platformUrl: string, publishableKey: string): string {
  const api = escapeHtml(platformUrl);
  // data-api: the widget derives its platform from the page's origin otherwise, and a srcdoc page's location is about:srcdoc.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Your website</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; background: Canvas; color: CanvasText; }
  header { padding: 16px 24px; border-bottom: 1px solid #8884; font-weight: 700; }
  main { padding: 24px; max-width: 560px; }
  .line { height: 12px; margin: 12px 0; border-radius: 6px; background: #8883; }
  .short { width: 60%; }
</style>
</head>
<body>
<header>Your website</header>
<main>
  <p>This stands in for a page of your site. Your widget is in the corner: open it to try it.</p>
  <div class="line"></div><div class="line"></div><div class="line short"></div>
  <div class="line"></div><div class="line short"></div>
</main>
<script src="${api}/widget.js" data-key="${escapeHtml(publishableKey)}" data-api="${api}" async></script>
</body>
</html>`;
}

/**
 * The live preview, framed: the widget keeps itself attached to its page and goes full screen on narrow ones, so
 * on the portal's own page it would follow the user to every other page and cover the portal. A srcdoc frame has
 * the portal's origin, so the platform checks the key against that origin, as it would on the tenant's site.
 * `version` changes whenever the settings do, so the frame reloads and the widget reads its config afresh.
 */
export function WidgetPreview({ platformUrl, publishableKey, version }: { platformUrl: string; publishableKey: string; version: string }) {
  return (
    <iframe
      key={version}
      title="Live preview of your widget"
      srcDoc={previewDocument(platformUrl, publishableKey)}
      className="h-[36rem] w-full rounded-md border border-gray-300 bg-white dark:border-gray-700 dark:bg-gray-950"
    />
  );
}
