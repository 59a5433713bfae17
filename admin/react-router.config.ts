import type { Config } from "@react-router/dev/config";

export default {
  ssr: true,
  // Opt in to v8 behaviour now: silences the 7.x warnings and keeps the later upgrade small.
  future: {
    v8_middleware: true,
    v8_splitRouteModules: true,
    v8_viteEnvironmentApi: true,
    v8_passThroughRequests: true,
    v8_trailingSlashAwareDataRequests: true,
  },
} satisfies Config;
