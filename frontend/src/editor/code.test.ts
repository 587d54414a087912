import { describe, expect, it } from "vitest";
import { languageChoices, languageOf, lowlight } from "./code";

describe("the code block's language picker", () => {
  it("starts with automatic detection, then the languages by the names people know", () => {
    const choices = languageChoices(["typescript", "python", "cpp", "plaintext"]);
    expect(choices).toEqual([
      { value: "", label: "Auto-detect" },
      { value: "cpp", label: "C++" },
      { value: "plaintext", label: "Plain text" },
      { value: "python", label: "Python" },
      { value: "typescript", label: "TypeScript" },
    ]);
  });

  it("stores null for automatic detection and the language's name otherwise", () => {
    expect(languageOf("")).toBeNull();
    expect(languageOf("python")).toBe("python");
  });

  it("offers the common languages, each one lowlight highlights", () => {
    const values = languageChoices(lowlight.listLanguages()).map((choice) => choice.value);
    for (const language of ["javascript", "typescript", "python", "go", "rust", "sql", "bash", "json"]) {
      expect(values).toContain(language);
    }
    const tree = lowlight.highlight("python", "def f():\n    return 1");
    expect(JSON.stringify(tree)).toContain("hljs-keyword");
  });
});
