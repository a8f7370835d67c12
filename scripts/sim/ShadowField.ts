import { normal, type Random } from "./rng.js";

export interface ShadowFieldOptions {
  /** Standard deviation of the shadowing, dB. */
  readonly sigmaDb: number;
  /** Distance at which the correlation falls to 1/e (Gudmundson's decorrelation distance), metres. */
  readonly decorrelationM: number;
  /** Area covered; outside it the nearest edge value holds. */
  readonly bounds: {
    readonly minX: number;
    readonly maxX: number;
    readonly minY: number;
    readonly maxY: number;
  };
  /** Grid step, metres. Default 0.25. */
  readonly cellM?: number;
  /** Number of random plane waves summed. Default 96. */
  readonly waves?: number;
}

/**
 * Spatially correlated log-normal shadowing of one gateway over the floor plan: a smooth random
 * field S(x, y) in dB with standard deviation `sigmaDb` and the exponential autocorrelation
 * exp(-d / decorrelationM) that Gudmundson measured (IEEE Electronics Letters 27(23), 1991). The
 * same spot always has the same shadowing (a shelf between it and the gateway), and a walker sees it
 * change smoothly over a few metres.
 *
 * Built by spectral synthesis: a sum of plane waves cos(k·p + φ) with random phases and wave vectors
 * drawn from the field's spectral density. For exp(-r/a) in two dimensions that density is a
 * bivariate Cauchy, so k = z / (a |w|) with z ~ N(0, I₂), w ~ N(0, 1). Sampled once on a grid and
 * read with bilinear interpolation.
 */
export class ShadowField {
  private readonly minX: number;
  private readonly minY: number;
  private readonly cellM: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly grid: Float64Array;

  constructor(random: Random, options: ShadowFieldOptions) {
    const { bounds, sigmaDb, decorrelationM } = options;
    this.cellM = options.cellM ?? 0.25;
    this.minX = bounds.minX;
    this.minY = bounds.minY;
    this.nx = Math.ceil((bounds.maxX - bounds.minX) / this.cellM) + 1;
    this.ny = Math.ceil((bounds.maxY - bounds.minY) / this.cellM) + 1;
    this.grid = new Float64Array(this.nx * this.ny);
    const waves = options.waves ?? 96;
    if (sigmaDb <= 0) return;
    const kx = new Float64Array(waves);
    const ky = new Float64Array(waves);
    const phase = new Float64Array(waves);
    for (let i = 0; i < waves; i++) {
      const w = Math.max(Math.abs(normal(random)), 1e-3);
      kx[i] = normal(random) / (decorrelationM * w);
      ky[i] = normal(random) / (decorrelationM * w);
      phase[i] = 2 * Math.PI * random();
    }
    const amplitude = sigmaDb * Math.sqrt(2 / waves);
    for (let j = 0; j < this.ny; j++) {
      const y = this.minY + j * this.cellM;
      for (let i = 0; i < this.nx; i++) {
        const x = this.minX + i * this.cellM;
        let sum = 0;
        for (let w = 0; w < waves; w++)
          sum += Math.cos((kx[w] ?? 0) * x + (ky[w] ?? 0) * y + (phase[w] ?? 0));
        this.grid[j * this.nx + i] = amplitude * sum;
      }
    }
  }

  /** Shadowing at (x, y), dB (positive: stronger than the path-loss model says). */
  at(x: number, y: number): number {
    const fx = Math.min(Math.max((x - this.minX) / this.cellM, 0), this.nx - 1.000001);
    const fy = Math.min(Math.max((y - this.minY) / this.cellM, 0), this.ny - 1.000001);
    const i = Math.floor(fx);
    const j = Math.floor(fy);
    const u = fx - i;
    const v = fy - j;
    const g = this.grid;
    const base = j * this.nx + i;
    const a = g[base] ?? 0;
    const b = g[base + 1] ?? 0;
    const c = g[base + this.nx] ?? 0;
    const d = g[base + this.nx + 1] ?? 0;
    return (a * (1 - u) + b * u) * (1 - v) + (c * (1 - u) + d * u) * v;
  }
}
