import { describe, expect, it } from "vitest";
import { changes, type ObservedMutation } from "./roving";

const element = (attributes: Record<string, string>) => ({ getAttribute: (name: string) => attributes[name] ?? null });
const ELEMENT = { nodeType: 1 };
const TEXT = { nodeType: 3 };

function record(fields: Partial<ObservedMutation>): ObservedMutation {
  return { type: "attributes", attributeName: null, oldValue: null, target: element({}), addedNodes: [], removedNodes: [], ...fields };
}

describe("changes", () => {
  it("takes elements added or removed", () => {
    expect(changes(record({ type: "childList", addedNodes: [ELEMENT] }))).toBe(true);
    expect(changes(record({ type: "childList", removedNodes: [TEXT, ELEMENT] }))).toBe(true);
  });

  it("skips text replaced (the zoom label on each zoom step)", () => {
    expect(changes(record({ type: "childList", addedNodes: [TEXT], removedNodes: [TEXT] }))).toBe(false);
  });

  it("takes an attribute that now has another value", () => {
    expect(changes(record({ attributeName: "disabled", oldValue: null, target: element({ disabled: "" }) }))).toBe(true);
    expect(changes(record({ attributeName: "hidden", oldValue: "", target: element({}) }))).toBe(true);
  });

  it("skips an attribute set to the value it had", () => {
    expect(changes(record({ attributeName: "disabled", oldValue: "", target: element({ disabled: "" }) }))).toBe(false);
  });
});
