// JSON.stringify that a host page cannot bend. Old libraries (Prototype.js) put a toJSON on Array.prototype, which
// makes every array serialize as a string: an agent's list input would reach the platform as "[\"a\"]". The
// method is set aside for the one call, synchronously, and put back.
export function stringify(value: unknown, indent?: number): string {
  const proto = Array.prototype as { toJSON?: unknown };
  const own = Object.getOwnPropertyDescriptor(proto, "toJSON");
  if (!own?.configurable) return JSON.stringify(value, null, indent);
  delete proto.toJSON;
  try {
    return JSON.stringify(value, null, indent);
  } finally {
    Object.defineProperty(proto, "toJSON", own);
  }
}
