import { describe, expect, it } from "vitest";
import { closedMessage } from "./guest";

describe("closedMessage", () => {
  it("says a revoked or expired link closed the page", () => {
    expect(closedMessage(4401)).toMatch(/revoked or has expired/);
  });
  it("says nothing for a close the client reconnects after", () => {
    expect(closedMessage(1012)).toBeNull();
    expect(closedMessage(1006)).toBeNull();
  });
  it("names any other final close", () => {
    expect(closedMessage(4413)).toBe("The server closed this connection.");
  });
});
