#!/usr/bin/env node
// The operator CLI runs the TypeScript sources directly: tsx compiles them as they load.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
