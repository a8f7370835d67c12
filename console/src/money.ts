/**
 * Money as the API carries it (integer minor units and an ISO 4217 code) and as people read and
 * type it ("1,500.00 HKD", "15"). The minor unit's size comes from `Intl` (ISO 4217's exponent):
 * two digits for HKD and EUR, none for JPY, three for KWD.
 */

const digits = new Map<string, number>();

/** Digits after the decimal point of `currency`; 2 when the browser does not know the code. */
export function minorDigits(currency: string): number {
  let d = digits.get(currency);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      d = 2;
    }
    digits.set(currency, d);
  }
  return d;
}

/** `150.00 HKD`, `1,500 JPY`: the amount with its code, as the cloud's own texts write it. */
export function fmtMoney(minor: number | null, currency: string): string {
  if (minor === null) return "—";
  const d = minorDigits(currency);
  const major = minor / 10 ** d;
  return `${major.toLocaleString("en-GB", { minimumFractionDigits: d, maximumFractionDigits: d })} ${currency}`;
}

/** Minor units as a plain decimal for an input (`1500.5` HKD for 150050): no grouping, no code. */
export function moneyInput(minor: number | undefined, currency: string): string {
  if (minor === undefined) return "";
  const d = minorDigits(currency);
  return (minor / 10 ** d).toFixed(d);
}

/**
 * What a person typed as an amount of `currency`, in minor units: `undefined` when empty, `null`
 * when it is not an amount (letters, too many decimals for the currency, negative).
 */
export function parseMoney(text: string, currency: string): number | undefined | null {
  const t = text.trim().replace(/[\s,]/g, "");
  if (t === "") return undefined;
  const d = minorDigits(currency);
  const m = /^(\d+)(?:\.(\d*))?$/.exec(t);
  if (!m) return null;
  const fraction = m[2] ?? "";
  if (fraction.length > d) return null;
  return Number(m[1]) * 10 ** d + Number(fraction.padEnd(d, "0") || "0");
}
