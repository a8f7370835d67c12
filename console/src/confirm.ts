import { h } from "./dom.js";

/**
 * Asks before an action that cannot be taken back or that reaches shoppers at once: a modal
 * dialog (the platform's own, so focus stays inside it and Escape cancels) with the consequence
 * in words. Resolves true only when the user confirms.
 */
export function confirmAction(title: string, consequence: string, confirmLabel: string): Promise<boolean> {
  const ok = h("button", { type: "button", class: "primary", value: "confirm" }, confirmLabel);
  const cancel = h("button", { type: "button", value: "cancel" }, "Cancel");
  const dialog = h(
    "dialog",
    { class: "confirm-dialog", "aria-labelledby": "confirm-title", "aria-describedby": "confirm-text" },
    h("h2", { id: "confirm-title" }, title),
    h("p", { id: "confirm-text" }, consequence),
    h("div", { class: "buttons" }, ok, cancel),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answer = false;
    ok.addEventListener("click", () => {
      answer = true;
      dialog.close();
    });
    cancel.addEventListener("click", () => dialog.close());
    // Leaving the page (another address, the back button) is a cancel, not a dialog left open.
    const leave = () => dialog.close();
    window.addEventListener("hashchange", leave);
    dialog.addEventListener("close", () => {
      window.removeEventListener("hashchange", leave);
      dialog.remove();
      resolve(answer);
    });
    dialog.showModal();
    cancel.focus();
  });
}
