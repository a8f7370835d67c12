import { ApiProblem, type Problem } from "./api.js";
import { h, mount } from "./dom.js";

/**
 * Shows an API problem: each detail next to the field whose `data-path` is the longest prefix of
 * the detail's path (`/spec/conditions/schedule/windows/0` → the windows field), the rest and a
 * summary in the form's alert box. `strip` removes the envelope (`/spec`) from the paths.
 */
export function showProblems(form: HTMLElement, summary: HTMLElement, err: unknown, strip = ""): void {
  clearProblems(form, summary);
  if (!(err instanceof ApiProblem)) {
    mount(summary, err instanceof Error ? err.message : String(err));
    return;
  }
  const controls = [...form.querySelectorAll<HTMLElement>("[data-path]")];
  const unplaced: Problem[] = [];
  for (const problem of err.details) {
    const path = strip && problem.path.startsWith(strip) ? problem.path.slice(strip.length) : problem.path;
    let best: HTMLElement | null = null;
    for (const c of controls) {
      const p = c.dataset["path"] ?? "";
      if (p && (path === p || path.startsWith(`${p}/`)) && p.length > (best?.dataset["path"]?.length ?? 0)) best = c;
    }
    const slot = best ? form.querySelector(`#${CSS.escape(best.id)}-error`) : null;
    if (best && slot) {
      slot.textContent = slot.textContent ? `${slot.textContent}; ${problem.message}` : problem.message;
      best.setAttribute("aria-invalid", "true");
    } else unplaced.push({ path, message: problem.message });
  }
  const count = err.details.length;
  mount(
    summary,
    h("strong", {}, count > 0 ? `${count} problem${count > 1 ? "s" : ""}: see the fields marked below.` : err.message),
    unplaced.length > 0 ? h("ul", {}, ...unplaced.map((p) => h("li", {}, `${p.path || "/"}: ${p.message}`))) : null,
  );
  form.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
}

export function clearProblems(form: HTMLElement, summary: HTMLElement): void {
  mount(summary);
  for (const slot of form.querySelectorAll(".error")) slot.textContent = "";
  for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
}

/** A one-line message for an error outside a form. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiProblem) return `${err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(err);
}
