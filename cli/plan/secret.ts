// A value Pulumi treats as secret, in a module of its own so that code handling wire values
// without the SDK (the engine tier's tests) shares the class with the planning code.

/** A value Pulumi treats as secret. Rendered as `[secret]`; policies see the value inside. */
export class Secret {
  constructor(readonly value: unknown) {}
}
