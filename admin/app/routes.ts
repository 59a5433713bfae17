import { type RouteConfig, index, layout, route } from "@react-router/dev/routes";

export default [
  layout("routes/public-layout.tsx", [
    index("routes/home.tsx"),
    route("pricing", "routes/pricing.tsx"),
    route("signup", "routes/signup.tsx"),
    route("login", "routes/login.tsx"),
    route("forgot-password", "routes/forgot-password.tsx"),
    route("reset-password", "routes/reset-password.tsx"),
    route("no-tenant", "routes/no-tenant.tsx"),
  ]),
  route("logout", "routes/logout.ts"),
  route("switch-tenant", "routes/switch-tenant.ts"),
  layout("routes/tenant-layout.tsx", [
    route("dashboard", "routes/dashboard.tsx"),
    route("keys", "routes/keys.tsx"),
    route("widget", "routes/widget.tsx"),
    route("knowledge", "routes/knowledge.tsx"),
    route("agents", "routes/agents.tsx"),
    route("agents/:agentId", "routes/agent.tsx"),
    route("conversations", "routes/conversations.tsx"),
    route("conversations/:id", "routes/conversation.tsx"),
    route("conversations/:id/export", "routes/conversation-export.ts"),
    route("team", "routes/team.tsx"),
    route("audit", "routes/audit.tsx"),
    route("settings", "routes/settings.tsx"),
    route("billing", "routes/billing.tsx"),
  ]),
] satisfies RouteConfig;
