'use strict';
// Shared driver for the node peer scorers (vader.js, afinn.js).
// Usage: node SCORER.js [--tsv] [--time] [FILE|-]
//   one text per line (with --tsv: the text is everything after the first TAB);
//   prints one number per line, or with --time only a timing line on stderr:
//   name<TAB>docs<TAB>seconds<TAB>docs_per_s  (scoring loop only, input already read).
const fs = require('fs');

function usage(name, code) {
  (code ? process.stderr : process.stdout).write(
    `usage: node ${name}.js [--tsv] [--time] [FILE|-]\n` +
    '  reads one text per line (stdin if FILE is - or absent); --tsv: text is after the first TAB\n' +
    '  prints one score per line; --time: prints only name<TAB>docs<TAB>seconds<TAB>docs_per_s to stderr\n');
  process.exit(code);
}

function readLines(file) {
  const data = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  const lines = data.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].endsWith('\r')) lines[i] = lines[i].slice(0, -1);
  }
  return lines;
}

function run(name, makeScorer) {
  let tsv = false, time = false, file = '-';
  let files = 0;
  for (const a of process.argv.slice(2)) {
    if (a === '--tsv') tsv = true;
    else if (a === '--time') time = true;
    else if (a === '-h' || a === '--help') usage(name, 0);
    else if (a.startsWith('--')) { process.stderr.write(`${name}: unknown option ${a}\n`); usage(name, 2); }
    else { file = a; files++; }
  }
  if (files > 1) usage(name, 2);
  let lines;
  try {
    lines = readLines(file);
  } catch (e) {
    process.stderr.write(`${name}: cannot read ${file}: ${e.message}\n`);
    process.exit(1);
  }
  if (tsv) {
    for (let i = 0; i < lines.length; i++) {
      const t = lines[i].indexOf('\t');
      lines[i] = t >= 0 ? lines[i].slice(t + 1) : lines[i];
    }
  }
  const score = makeScorer();
  const n = lines.length;
  if (time) {
    let sink = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += score(lines[i]);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    if (Number.isNaN(sink)) process.stderr.write(`${name}: warning: NaN score\n`);
    const rate = secs > 0 ? n / secs : 0;
    process.stderr.write(`${name}\t${n}\t${secs.toFixed(4)}\t${rate.toFixed(0)}\n`);
    return;
  }
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = String(score(lines[i]));
  process.stdout.write(n ? out.join('\n') + '\n' : '');
}

module.exports = { run };
