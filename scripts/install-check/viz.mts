// README example of @neurona/viz: a history chart as SVG and PNG.
import { writeFile } from 'node:fs/promises';
import { historyChartSpec } from '@neurona/viz';
import { renderPng, renderSvg } from '@neurona/viz/node';

const spec = historyChartSpec({ history: { loss: [1.2, 0.8, 0.6], val_loss: [1.1, 0.9, 0.7] } });
const svg = await renderSvg(spec);
const png = await renderPng(spec);
await writeFile('history.svg', svg);
await writeFile('history.png', png);
const signature = Array.from(png.subarray(1, 4), (b) => String.fromCharCode(b)).join('');
if (!svg.startsWith('<svg') || signature !== 'PNG') throw new Error('not an SVG and a PNG');
console.log(`viz: history.svg (${svg.length} characters), history.png (${png.length} bytes)`);
