import { creditPackages } from "./credits.ts";

export type PackageId = (typeof creditPackages)[number]["id"];

/**
 * What can be bought through Stripe: each credit package once (Checkout mode `payment`), and a monthly plan of the
 * same size (mode `subscription`) whose every paid invoice adds its credits. Stripe prices are found by `lookupKey`;
 * `bizbot stripe sync` creates the missing ones.
 */
export interface BillingProduct {
  /** Carried in Checkout's metadata as `product`: a package's id, or `<package>-monthly` for a plan. */
  id: string;
  kind: "package" | "plan";
  /** The size's name, as people read it: "Starter". */
  title: string;
  /** What Stripe's Checkout and invoices show. */
  name: string;
  /** Whole dollars: 20, 50, 100, 250. */
  usd: number;
  credits: number;
  lookupKey: string;
}

export const billingProducts: readonly BillingProduct[] = [
  ...creditPackages.map((p) => ({
    id: p.id,
    kind: "package" as const,
    title: capitalize(p.id),
    name: `BizBot ${capitalize(p.id)}: ${p.credits.toLocaleString("en-US")} credits`,
    usd: p.usd,
    credits: p.credits,
    lookupKey: `bizbot_${p.id}`,
  })),
  ...creditPackages.map((p) => ({
    id: `${p.id}-monthly`,
    kind: "plan" as const,
    title: capitalize(p.id),
    name: `BizBot ${capitalize(p.id)} monthly: ${p.credits.toLocaleString("en-US")} credits a month`,
    usd: p.usd,
    credits: p.credits,
    lookupKey: `bizbot_${p.id}_monthly`,
  })),
];

export function billingProduct(id: string): BillingProduct | undefined {
  return billingProducts.find((p) => p.id === id);
}

export const billingProductIds = billingProducts.map((p) => p.id) as [string, ...string[]];
export const packageIds = creditPackages.map((p) => p.id) as [PackageId, ...PackageId[]];

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
