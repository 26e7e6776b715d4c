// The drill's picture: waiting and idle agents per minute (controller vs baseline), the rule thresholds,
// and a band per tier showing when it was live. Plain SVG, no dependency: it opens in any browser.
import type { MetricRule } from '../../workflows/types';
import type { DrillResult } from './run-drill';

const W = 960;
const PLOT_H = 320;
const BAND_H = 14;
const M = { left: 56, right: 150, top: 36 };
const TIER_COLOURS = ['#2b8a3e', '#1971c2', '#e8590c', '#c92a2a'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderDrillChart(result: DrillResult): string {
  const { controller, baseline, scenario, config } = result;
  const minutes = scenario.durationMinutes;
  const thresholds = ([1, 2, 3] as const).flatMap((t) => {
    const rule: MetricRule = config.tiers[t].activate;
    return rule.waitingAbove !== undefined ? [{ label: `tier ${t} activates: waiting > ${rule.waitingAbove}`, value: rule.waitingAbove, colour: TIER_COLOURS[t - 1] }] : [];
  });
  const maxY = Math.max(50, ...controller.series.map((s) => Math.max(s.waiting, s.agentsIdle)), ...baseline.series.map((s) => s.waiting), ...thresholds.map((t) => t.value)) * 1.08;
  const plotW = W - M.left - M.right;
  const x = (minute: number) => M.left + (minute / minutes) * plotW;
  const y = (v: number) => M.top + PLOT_H - (v / maxY) * PLOT_H;
  const line = (points: { minute: number; v: number }[], colour: string, dash = '') =>
    `<polyline fill="none" stroke="${colour}" stroke-width="1.6"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${points.map((p) => `${x(p.minute).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ')}"/>`;

  const parts: string[] = [];
  parts.push(`<text x="${M.left}" y="20" font-size="15" font-weight="bold">${esc(`Drill: ${scenario.name} (seed ${result.seed})`)}</text>`);
  // Axes and grid.
  for (let i = 0; i <= 5; i++) {
    const v = (maxY / 5) * i;
    parts.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
    parts.push(`<text x="${M.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${Math.round(v)}</text>`);
  }
  const step = minutes > 120 ? 30 : 15;
  for (let m = 0; m <= minutes; m += step) parts.push(`<text x="${x(m)}" y="${M.top + PLOT_H + 14}" font-size="11" text-anchor="middle">${m}</text>`);
  parts.push(`<text x="${M.left + plotW / 2}" y="${M.top + PLOT_H + 28}" font-size="11" text-anchor="middle">simulated minutes</text>`);
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${PLOT_H}" fill="none" stroke="#999"/>`);
  for (const t of thresholds) {
    parts.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${y(t.value)}" y2="${y(t.value)}" stroke="${t.colour}" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${M.left + plotW + 4}" y="${y(t.value) + 4}" font-size="10" fill="${t.colour}">${esc(t.label)}</text>`);
  }
  parts.push(line(baseline.series.map((s) => ({ minute: s.minute, v: s.waiting })), '#adb5bd', '4 3'));
  parts.push(line(controller.series.map((s) => ({ minute: s.minute, v: s.agentsIdle })), '#2f9e44'));
  parts.push(line(controller.series.map((s) => ({ minute: s.minute, v: s.waiting })), '#212529'));
  const legend = [
    ['#212529', 'waiting (with controller)'],
    ['#adb5bd', 'waiting (baseline, no tiers)'],
    ['#2f9e44', 'agents available (idle)'],
  ];
  legend.forEach(([colour, label], i) => {
    parts.push(`<line x1="${M.left + 10 + i * 230}" x2="${M.left + 34 + i * 230}" y1="${M.top + 12}" y2="${M.top + 12}" stroke="${colour}" stroke-width="2"/>`);
    parts.push(`<text x="${M.left + 38 + i * 230}" y="${M.top + 16}" font-size="11">${esc(label)}</text>`);
  });
  // Tier bands: the state the simulator actually felt (read from the flags row, flows and KV).
  const bandsTop = M.top + PLOT_H + 40;
  ([1, 2, 3, 4] as const).forEach((tier, i) => {
    const top = bandsTop + i * (BAND_H + 4);
    parts.push(`<text x="${M.left - 6}" y="${top + BAND_H - 3}" font-size="11" text-anchor="end">tier ${tier}</text>`);
    parts.push(`<rect x="${M.left}" y="${top}" width="${plotW}" height="${BAND_H}" fill="#f8f9fa"/>`);
    for (const s of controller.series) {
      if (s.activeTiers.includes(tier)) parts.push(`<rect x="${x(s.minute - 1).toFixed(1)}" y="${top}" width="${(plotW / minutes).toFixed(2)}" height="${BAND_H}" fill="${TIER_COLOURS[i]}"/>`);
    }
  });
  const height = bandsTop + 4 * (BAND_H + 4) + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}
