import { allowedOrigins } from "@bizbot/shared";
import { z } from "zod";
import { MAX_PASSWORD_LENGTH } from "../../../auth/password.ts";

export const email = z.string().trim().max(254).pipe(z.email("must be an e-mail address"));
// Length is checked here only as a bound; the full policy (length, common passwords) runs in the service.
export const password = z.string().min(1, "is required").max(MAX_PASSWORD_LENGTH);
export const tenantName = z.string().trim().min(1, "is required").max(100);

export const signUpInput = z.strictObject({ email, password, tenantName, allowedOrigins: allowedOrigins.optional() });
export const signInInput = z.strictObject({ email, password });
