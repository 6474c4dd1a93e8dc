// The SVG chart of a run: speed-up over plain TypeScript loops per kernel and variant, on a log scale.
import type { VariantName } from './args.js';
import type { Analysis } from './analysis.js';

const colors: Readonly<Record<VariantName, string>> = {
  ts: '#888888',
  interpreter: '#b279a2',
  cpp: '#4c78a8',
  'cpp-auto': '#f58518',
  openblas: '#54a24b',
};

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const num = (x: number) => (Math.round(x * 10) / 10).toString();

function label(x: number): string {
  return x >= 1 ? `${x}×` : `${Number(x.toPrecision(1))}×`;
}

/** Powers of ten spanning every value and 1 (the baseline). */
export function logRange(values: readonly number[]): { lo: number; hi: number } {
  const usable = values.filter((v) => Number.isFinite(v) && v > 0);
  let lo = Math.floor(Math.log10(Math.min(1, ...usable)));
  let hi = Math.ceil(Math.log10(Math.max(1, ...usable)));
  if (hi === lo) hi = lo + 1;
  return { lo, hi };
}

export interface ChartOptions {
  readonly title: string;
  readonly subtitle?: string;
}

/**
 * Grouped bars: one group per kernel (plus the geometric means), one bar per variant with a speed-up, drawn from
 * the 1× line up (faster than ts) or down (slower). Bars carry `class="bar"` and a tooltip with the figure.
 */
export function speedupChart(analysis: Analysis, options: ChartOptions): string {
  const variants = [...new Set(analysis.kernels.flatMap((k) => k.variants.filter((v) => v.speedup).map((v) => v.variant)))];
  const groups = analysis.kernels.map((k) => ({
    name: k.kernel,
    bars: k.variants.filter((v) => v.speedup).map((v) => ({ variant: v.variant, value: v.speedup!.ofMedians })),
  }));
  const means = variants.flatMap((v) => (analysis.geomeans[v] !== undefined ? [{ variant: v, value: analysis.geomeans[v]! }] : []));
  const { lo, hi } = logRange([...groups.flatMap((g) => g.bars.map((b) => b.value)), ...means.map((m) => m.value)]);

  const barWidth = 12, gap = 14;
  const groupWidth = Math.max(1, variants.length) * barWidth + gap;
  const left = 78, right = 150, top = 56, plotHeight = 300, bottom = 110;
  const count = groups.length + (means.length > 0 ? 1 : 0);
  const width = Math.max(720, left + Math.max(1, count) * groupWidth + right);
  const height = top + plotHeight + bottom;
  const y = (v: number) => top + plotHeight * (1 - (Math.log10(v) - lo) / (hi - lo));

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${left}" y="22" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`);
  if (options.subtitle) out.push(`<text x="${left}" y="40" fill="#555">${escapeXml(options.subtitle)}</text>`);

  // grid: every power of ten, labelled; the 1× line (the baseline) darker
  for (let e = lo; e <= hi; e++) {
    const v = 10 ** e, yy = num(y(v));
    out.push(`<line x1="${left}" x2="${width - right}" y1="${yy}" y2="${yy}" stroke="${e === 0 ? '#333' : '#ddd'}"/>`);
    out.push(`<text x="${left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${escapeXml(label(v))}</text>`);
  }

  const drawGroup = (index: number, name: string, bars: readonly { variant: VariantName; value: number }[], cls: string) => {
    const x0 = left + index * groupWidth + gap / 2;
    for (const b of bars) {
      const x = x0 + variants.indexOf(b.variant) * barWidth;
      const y1 = y(Math.max(b.value, 10 ** lo)), base = y(1);
      const text = `${name} ${b.variant}: ${b.value >= 10 ? b.value.toFixed(1) : b.value.toPrecision(3)}× ts`;
      out.push(`<rect class="${cls}" data-kernel="${escapeXml(name)}" data-variant="${b.variant}" x="${num(x)}" y="${num(Math.min(y1, base))}" width="${barWidth - 1}" height="${num(Math.max(Math.abs(base - y1), 1))}" fill="${colors[b.variant]}"><title>${escapeXml(text)}</title></rect>`);
    }
    const cx = x0 + (variants.length * barWidth) / 2, ly = top + plotHeight + 12;
    out.push(`<text x="${num(cx)}" y="${ly}" text-anchor="end" transform="rotate(-45 ${num(cx)} ${ly})">${escapeXml(name)}</text>`);
  };
  groups.forEach((g, i) => drawGroup(i, g.name, g.bars, 'bar'));
  if (means.length > 0) drawGroup(groups.length, 'geometric mean', means, 'geomean');

  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotHeight}" stroke="#333"/>`);
  out.push(`<text transform="rotate(-90 14 ${top + plotHeight / 2})" x="14" y="${top + plotHeight / 2}" text-anchor="middle">speed-up over plain TypeScript (log)</text>`);
  variants.forEach((v, i) => {
    const lx = width - right + 16, ly = top + 8 + i * 18;
    out.push(`<rect x="${lx}" y="${ly - 9}" width="12" height="12" fill="${colors[v]}"/>`);
    out.push(`<text x="${lx + 18}" y="${ly + 1}">${escapeXml(v)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
