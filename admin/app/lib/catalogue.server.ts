import { agents, billingProduct, CREDIT_PRICE_USD, creditPackages } from "@bizbot/shared";

/** The agents and packages as the public pages show them: plain data, so no schema code reaches the browser. */
export function publicCatalogue() {
  return {
    creditPriceUsd: CREDIT_PRICE_USD,
    agents: agents.map((a) => ({ id: a.id, name: a.name, credits: a.credits, description: a.description, usd: a.credits * CREDIT_PRICE_USD })),
    packages: creditPackages.map((p) => ({
      id: p.id,
      title: billingProduct(p.id)!.title,
      usd: p.usd,
      credits: p.credits,
      bonusPercent: Math.round((p.credits / (p.usd / CREDIT_PRICE_USD) - 1) * 100),
    })),
  };
}

export type PublicCatalogue = ReturnType<typeof publicCatalogue>;
