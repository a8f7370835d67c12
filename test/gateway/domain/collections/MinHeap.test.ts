import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MinHeap } from "../../../../gateway/src/domain/collections/MinHeap.js";

describe("MinHeap", () => {
  it("hands items back least first, whatever order they came in and however pushes and pops mix", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constant(null)), { maxLength: 200 }), (ops) => {
        const heap = new MinHeap<number>((a, b) => a < b);
        const model: number[] = [];
        for (const op of ops) {
          if (op === null) {
            model.sort((a, b) => a - b);
            expect(heap.pop()).toBe(model.shift());
          } else {
            heap.push(op);
            model.push(op);
          }
          expect(heap.size).toBe(model.length);
        }
        model.sort((a, b) => a - b);
        expect(heap.peek()).toBe(model[0]);
        const drained: number[] = [];
        for (let x = heap.pop(); x !== undefined; x = heap.pop()) drained.push(x);
        expect(drained).toEqual(model);
      }),
    );
  });

  it("is empty when new and after its last item leaves", () => {
    const heap = new MinHeap<string>((a, b) => a < b);
    expect(heap.peek()).toBeUndefined();
    expect(heap.pop()).toBeUndefined();
    heap.push("a");
    expect(heap.pop()).toBe("a");
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBeUndefined();
  });
});
