import { DomainError, forbidden } from "../errors.ts";
import { originAllowed } from "./origins.ts";
import type { KeyVerifier, VerifiedKey } from "./verifier.ts";

/** What the widget's checks read of a browser's request. */
export interface PageRequest {
  /** The Origin header. */
  origin: string | undefined;
  /** The Sec-Fetch-Site header. */
  secFetchSite: string | undefined;
}

/**
 * The one check of the widget's credential, for every surface it calls (the tRPC visitor procedures and
 * GET /widget/config): a live publishable key, presented by a page on one of the key's allowed origins. Browsers
 * leave Origin out of same-origin GETs (the platform's own demo page), so a same-origin request is the platform's
 * own origin, `publicUrl`'s; the portal's (`portalUrl`) serves every key. Refusals are DomainErrors: invalid_api_key (401), forbidden for a secret key (403),
 * origin_not_allowed (403) naming the origin and where to allow it.
 */
export async function checkPublishableKey(
  verifier: KeyVerifier,
  presented: string,
  request: PageRequest,
  urls: { publicUrl: string; portalUrl?: string | undefined },
): Promise<VerifiedKey> {
  const key = await verifier.verify(presented);
  if (!key) throw new DomainError("invalid_api_key", "Invalid, revoked or expired API key");
  if (key.kind !== "publishable") throw forbidden("The widget takes a publishable key (pk_…); a secret key must never reach a browser");
  const origin = request.origin ?? (request.secFetchSite === "same-origin" ? new URL(urls.publicUrl).origin : undefined);
  // The portal draws every tenant's widget in its live preview, and the house widget on its public pages: its own
  // origin serves every key. Only pages the platform's operator runs are there.
  if (urls.portalUrl && origin === new URL(urls.portalUrl).origin) return key;
  if (!originAllowed(origin, key.allowedOrigins)) {
    throw new DomainError(
      "origin_not_allowed",
      origin
        ? `Origin ${origin} is not allowed for this key; add it to the key's allowed origins on the API keys page of the BizBot portal`
        : "This request names no Origin, and this key answers only pages on its allowed origins (the API keys page of the BizBot portal)",
    );
  }
  return key;
}
