// The co-writing studio. The song is the page's (and this browser's: localStorage); the
// server keeps nothing, so every request carries the draft: `song`, the written lines of each
// stanza of the plan. Only the API of /openapi.json is used:
//   /api/models, /api/studio/analyze (the plan, syllables, rhyme letters, copies),
//   /api/studio/alternatives, /api/studio/next-words, /api/studio/rhymes.
'use strict';
const $ = id => document.getElementById(id);
const STORE = 'lyrics-studio-v1';

// state.song[s][k] = {text, locked}: the stanzas' own lines (a repeated chorus has none).
let state = { song: [], settings: {} };
let plan = [];          // [{part, label, lines, repeats}] from the server
let analysis = [];      // [[{syllables, targetSyllables, letter, rhymesWith, rhymes, copied}]]
let active = { s: 0, k: 0 };
const undoStack = [], redoStack = [];
let nonce = 0;          // varies a fixed seed between requests, so regenerating changes lines
let busy = 0;

// ---- settings ---------------------------------------------------------------------------
const fields = [['model', 'model'], ['temperature', 'temperature'], ['theme', 'theme'], ['rhyme', 'rhyme'],
  ['structure', 'structure'], ['partLines', 'partlines'], ['lines', 'lines'], ['syllables', 'syllables'],
  ['meter', 'meter'], ['count', 'count'], ['topK', 'topk'], ['topP', 'topp'], ['repetitionPenalty', 'penalty'],
  ['retrieval', 'retrieval'], ['maxCopy', 'maxcopy'], ['seed', 'seed']];
const numeric = new Set(['temperature', 'lines', 'count', 'topK', 'topP', 'repetitionPenalty', 'maxCopy', 'seed']);

function readSettings() {
  const s = {};
  for (const [key, id] of fields) s[key] = $(id).value;
  s.continueLine = $('continue-line').checked;
  return s;
}
function writeSettings(s) {
  for (const [key, id] of fields) if (s[key] !== undefined && key !== 'model') $(id).value = s[key];
  if (s.continueLine !== undefined) $('continue-line').checked = s.continueLine;
}

// The request fields every action shares: the generation fields of /api/generate and the draft.
function baseBody() {
  const s = readSettings(), body = {};
  for (const [key] of fields) {
    const v = String(s[key] ?? '').trim();
    if (v === '' || key === 'count') continue;
    body[key] = numeric.has(key) ? Number(v) : v;
  }
  if (body.structure) delete body.lines; else delete body.partLines;
  if (body.seed !== undefined) body.seed = body.seed + (nonce++);
  body.song = state.song.map(st => st.map(l => l.text));
  return body;
}

// ---- the API ----------------------------------------------------------------------------
async function api(path, body) {
  busy++; document.body.dataset.busy = String(busy); $('status').textContent = 'working…';
  try {
    const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const j = await r.json().catch(() => ({ error: r.statusText }));
    if (!r.ok) throw new Error(j.error || r.statusText);
    $('err').textContent = '';
    return j;
  } catch (e) {
    $('err').textContent = e.message;
    throw e;
  } finally {
    busy--; document.body.dataset.busy = String(busy); if (!busy) $('status').textContent = '';
  }
}

async function analyze() {
  const j = await api('/api/studio/analyze', baseBody());
  plan = j.stanzas; analysis = j.lines;
  render();
}
let analyzeTimer = null;
function analyzeSoon() { clearTimeout(analyzeTimer); analyzeTimer = setTimeout(() => analyze().catch(() => {}), 150); }

// ---- the song and its history -------------------------------------------------------------
const snapshot = () => JSON.stringify(state.song);
// The song, the settings and the history (the last 100 steps each way) stay in this browser.
function save() {
  localStorage.setItem(STORE, JSON.stringify({ song: state.song, settings: readSettings(),
    undo: undoStack.slice(-100), redo: redoStack.slice(-100) }));
}
function line(s, k) {
  while (state.song.length <= s) state.song.push([]);
  while (state.song[s].length <= k) state.song[s].push({ text: '', locked: false });
  return state.song[s][k];
}
// Every change to the song goes through here: one undo step each.
function change(mutate, before = snapshot()) {
  mutate();
  if (snapshot() === before) return;
  undoStack.push(before); redoStack.length = 0;
  save(); render(); analyzeSoon();
}
function undo() { if (!undoStack.length) return; redoStack.push(snapshot()); state.song = JSON.parse(undoStack.pop()); save(); render(); analyzeSoon(); }
function redo() { if (!redoStack.length) return; undoStack.push(snapshot()); state.song = JSON.parse(redoStack.pop()); save(); render(); analyzeSoon(); }

const textOf = (s, k) => { const own = plan[s]?.repeats ?? s; return state.song[own]?.[k]?.text ?? ''; };
const lastWord = t => (t.trim().toLowerCase().match(/[a-z']+$/) || [''])[0];
// The first empty line of a stanza the writer writes (not a repeat), in song order.
function nextEmpty() {
  for (let s = 0; s < plan.length; s++) {
    if (plan[s].repeats != null) continue;
    for (let k = 0; k < plan[s].lines; k++) if (!textOf(s, k).trim()) return { s, k };
  }
  return null;
}

// ---- rendering --------------------------------------------------------------------------
const esc = s => String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
function render() {
  const song = $('song');
  const focused = document.activeElement?.classList.contains('line') ? [document.activeElement.dataset.s, document.activeElement.dataset.k, document.activeElement.selectionStart] : null;
  song.innerHTML = '';
  plan.forEach((st, s) => {
    const sec = document.createElement('div');
    sec.className = 'stanza' + (st.repeats != null ? ' repeat' : '');
    sec.dataset.s = s;
    const label = st.label || `Stanza ${s + 1}`;
    sec.innerHTML = `<div class="label">${esc(label)}${st.repeats != null ? ` <span>(repeats stanza ${st.repeats + 1})</span>` : ''}</div>`;
    for (let k = 0; k < st.lines; k++) {
      const own = st.repeats ?? s, l = state.song[own]?.[k] || { text: '', locked: false };
      const a = analysis[s]?.[k];
      const row = document.createElement('div');
      row.className = 'row' + (active.s === s && active.k === k ? ' active' : '') + (a?.copied ? ' copied' : '');
      const target = a?.targetSyllables, syl = a && l.text ? a.syllables : '';
      const sylText = l.text ? (target ? `<span class="${syl !== target ? 'off' : ''}">${syl}/${target}</span>` : `${syl}`) : (target ? `–/${target}` : '');
      const letter = a?.letter ?? '';
      const copiedTitle = a?.copied ? copiedText(a.copied) : '';
      row.innerHTML = `<span class="letter ${a?.rhymes === false ? 'bad' : ''}" title="${a?.rhymes === false ? 'does not rhyme with its partner' : 'rhyme letter'}">${esc(letter)}</span>` +
        `<input class="line" data-s="${s}" data-k="${k}" value="${esc(l.text)}" placeholder="${st.repeats != null ? '' : 'line ' + (k + 1)}"` +
        `${st.repeats != null || l.locked ? ' readonly' : ''} title="${esc(copiedTitle)}" aria-label="${esc(label)} line ${k + 1}">` +
        `<span class="meta" title="syllables">${sylText}</span>` +
        (st.repeats != null ? '' :
          `<button class="lock" aria-pressed="${l.locked}" title="lock: regenerate leaves it">${l.locked ? 'locked' : 'lock'}</button>` +
          `<button class="alternatives" title="alternatives for this line">alts</button>` +
          `<button class="rhymes" title="words that rhyme with this line's partner (or its own end)">rhymes</button>`);
      sec.appendChild(row);
    }
    song.appendChild(sec);
  });
  if (focused) {
    const el = song.querySelector(`input.line[data-s="${focused[0]}"][data-k="${focused[1]}"]`);
    if (el) { el.focus(); el.setSelectionRange(focused[2], focused[2]); }
  }
  $('undo').disabled = !undoStack.length; $('redo').disabled = !redoStack.length;
}
function copiedText(c) {
  const out = [];
  if (c.exactCopy) out.push(`copied: training line ${c.exactCopy.line}: ${c.exactCopy.text}`);
  for (const r of c.runs || []) out.push(`shares "${r.words}" with training line ${r.source.line}: ${r.source.text}`);
  return out.join('\n');
}
function setActive(s, k) {
  active = { s, k };
  document.querySelectorAll('.row.active').forEach(r => r.classList.remove('active'));
  const el = document.querySelector(`input.line[data-s="${s}"][data-k="${k}"]`);
  el?.closest('.row').classList.add('active');
}
const partName = s => plan[s]?.part ? plan[s].part[0].toUpperCase() + plan[s].part.slice(1) : `stanza ${s + 1}`;
const where = (s, k) => `(${partName(s)}, line ${k + 1})`;

// ---- alternatives -----------------------------------------------------------------------
async function alternatives(s, k, start = '') {
  const body = Object.assign(baseBody(), { stanza: s, line: k, start, count: Number($('count').value) || 5 });
  const j = await api('/api/studio/alternatives', body);
  showAlternatives(s, k, j);
  return j;
}
function showAlternatives(s, k, j) {
  const g = j.goal, goal = [];
  if (g.letter) goal.push(`letter ${g.letter}`);
  if (g.rhymeWith) goal.push(`rhymes with “${g.rhymeWith}”`);
  if (g.syllables) goal.push(`${g.syllables} syllables`);
  if (g.meter) goal.push(`meter ${g.meter}`);
  $('goal').textContent = `${partName(s)}, line ${k + 1}: ${goal.join(', ') || 'free'}`;
  $('alts-for').textContent = where(s, k);
  const ol = $('alts');
  ol.innerHTML = '';
  if (!j.candidates.length) ol.innerHTML = '<li class="empty">no candidate</li>';
  for (const c of j.candidates) {
    const li = document.createElement('li');
    const why = [`${c.syllables} syl`, `score ${c.score.toFixed(2)}`].concat(c.missed).concat(c.copied ? ['copied'] : []).join(' · ');
    li.innerHTML = `<button class="alt${c.missed.length ? ' missed' : ''}">${esc(c.text)}<span class="why">${esc(why)}</span></button>`;
    li.firstChild.addEventListener('click', () => take(s, k, c.text));
    ol.appendChild(li);
  }
}
function take(s, k, text) {
  change(() => { line(s, k).text = text; });
  setActive(s, k);
}
// Writes line (s, k) with the best candidate and offers the others.
async function writeLine(s, k) {
  const j = await alternatives(s, k);
  if (j.candidates.length) { line(s, k).text = j.candidates[0].text; }
  setActive(s, k);
}
async function nextLine() {
  const at = nextEmpty();
  if (!at) { $('err').textContent = 'the song is complete: change the structure or lines for more'; return; }
  const before = snapshot();
  await writeLine(at.s, at.k);
  change(() => {}, before);
}
async function nextStanza() {
  const at = nextEmpty();
  if (!at) { $('err').textContent = 'the song is complete: change the structure or lines for more'; return; }
  const before = snapshot();
  try {
    for (let k = at.k; k < plan[at.s].lines; k++) if (!textOf(at.s, k).trim()) { await writeLine(at.s, k); render(); }
  } finally { change(() => {}, before); }
}
async function regenerate() {
  const before = snapshot();
  try {
    for (let s = 0; s < plan.length; s++) {
      if (plan[s].repeats != null) continue;
      for (let k = 0; k < plan[s].lines; k++) {
        const l = state.song[s]?.[k];
        if (!l || l.locked || !l.text.trim()) continue;
        await writeLine(s, k); render();
      }
    }
  } finally { change(() => {}, before); }
}

// ---- next words at the cursor ---------------------------------------------------------------
let nextTimer = null, nextAt = null;
function nextWordsSoon(input) { clearTimeout(nextTimer); nextTimer = setTimeout(() => nextWords(input).catch(() => {}), 120); }
async function nextWords(input) {
  const s = Number(input.dataset.s), k = Number(input.dataset.k);
  if (plan[s]?.repeats != null) return;
  const cursor = input.selectionStart ?? input.value.length;
  const text = input.value.slice(0, cursor);
  const j = await api('/api/studio/next-words', Object.assign(baseBody(), { stanza: s, line: k, text, count: 10 }));
  nextAt = { s, k, cursor, text };
  $('next-for').textContent = `${where(s, k)} after “${text.trim().split(/\s+/).slice(-2).join(' ') || 'the start'}” · end of line ${(100 * j.endOfLine).toFixed(1)}%`;
  const box = $('next-words');
  box.innerHTML = '';
  for (const t of j.tokens) {
    const b = document.createElement('button');
    b.className = 'word';
    b.dataset.word = t.token;
    b.innerHTML = `${esc(t.token === ' ' ? '␣' : t.token)}<small>${(100 * t.probability).toFixed(1)}%</small>`;
    b.addEventListener('click', () => insertWord(t.token, j.kind));
    box.appendChild(b);
  }
}
async function insertWord(word, kind) {
  if (!nextAt) return;
  const { s, k, cursor } = nextAt;
  const old = textOf(s, k), head = old.slice(0, cursor), tail = old.slice(cursor);
  const sep = kind === 'word' && head && !head.endsWith(' ') ? ' ' : '';
  const inserted = head + sep + word;
  const before = snapshot();
  if ($('continue-line').checked && !line(s, k).locked) {
    // The line goes on from the chosen word: the best continuation, the others offered.
    line(s, k).text = inserted;
    try {
      const j = await alternatives(s, k, inserted);
      if (j.candidates.length) line(s, k).text = j.candidates[0].text;
    } finally { change(() => {}, before); }
  } else {
    change(() => { line(s, k).text = inserted + (tail && kind === 'word' && !tail.startsWith(' ') ? ' ' : '') + tail; }, before);
  }
  setActive(s, k);
  const el = document.querySelector(`input.line[data-s="${s}"][data-k="${k}"]`);
  if (el) { el.focus(); const end = $('continue-line').checked ? el.value.length : inserted.length; el.setSelectionRange(end, end); nextWordsSoon(el); }
}

// ---- rhymes ----------------------------------------------------------------------------------
// For line (s, k): words rhyming with its partner's last word (its own when it has none),
// ranked by the model where the line's last word goes; a click puts one there.
async function rhymes(s, k) {
  const a = analysis[s]?.[k], partner = a?.rhymesWith;
  const word = lastWord(partner ? textOf(partner.stanza, partner.line) : textOf(s, k));
  if (!word) { $('err').textContent = `no word to rhyme with for ${where(s, k)}: write its partner line (or this one) first`; return; }
  const own = textOf(s, k).trim();
  // The rhyme replaces the line's last word: the model is asked what comes after the rest.
  const text = own.replace(/\s*[a-z']+$/i, '').trim();
  const j = await api('/api/studio/rhymes', Object.assign(baseBody(), { stanza: s, line: k, text, word, count: 20 }));
  $('rhymes-for').textContent = `with “${word}” ${where(s, k)}`;
  const box = $('rhyme-words');
  box.innerHTML = j.rhymes.length ? '' : '<span class="empty">no rhyme in the model’s words</span>';
  for (const r of j.rhymes) {
    const b = document.createElement('button');
    b.className = 'rhyme';
    b.dataset.word = r.word;
    b.innerHTML = `${esc(r.word)}<small>${(100 * r.probability).toPrecision(2)}%</small>`;
    b.addEventListener('click', () => change(() => { line(s, k).text = (text ? text + ' ' : '') + r.word; }));
    box.appendChild(b);
  }
  setActive(s, k);
}

// ---- export ----------------------------------------------------------------------------------
function exportText() {
  const out = [];
  plan.forEach((st, s) => {
    const lines = Array.from({ length: st.lines }, (_, k) => textOf(s, k)).filter(t => t.trim());
    if (!lines.length) return;
    out.push((st.label ? st.label + '\n' : '') + lines.join('\n'));
  });
  const text = out.join('\n\n') + '\n';
  $('export-text').value = text;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  a.download = 'song.txt';
  document.body.appendChild(a); a.click(); a.remove();
  if ($('export-dialog').showModal) $('export-dialog').showModal();
  return text;
}

// ---- events ------------------------------------------------------------------------------------
const run = f => () => f().catch(() => {});
$('next-line').addEventListener('click', run(nextLine));
$('next-stanza').addEventListener('click', run(nextStanza));
$('regenerate').addEventListener('click', run(regenerate));
$('undo').addEventListener('click', undo);
$('redo').addEventListener('click', redo);
$('export').addEventListener('click', exportText);
$('new-song').addEventListener('click', () => change(() => { state.song = []; }));
document.addEventListener('keydown', e => {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') { e.preventDefault(); e.shiftKey ? redo() : undo(); }
});
for (const [, id] of fields) $(id).addEventListener('change', () => { save(); analyzeSoon(); });
$('continue-line').addEventListener('change', save);
const song = $('song');
let editBefore = null;
song.addEventListener('focusin', e => {
  if (!e.target.classList.contains('line')) return;
  editBefore = snapshot();
  setActive(Number(e.target.dataset.s), Number(e.target.dataset.k));
  nextWordsSoon(e.target);
});
song.addEventListener('input', e => {
  if (!e.target.classList.contains('line')) return;
  line(Number(e.target.dataset.s), Number(e.target.dataset.k)).text = e.target.value;
  save(); nextWordsSoon(e.target);
});
song.addEventListener('keyup', e => { if (e.target.classList.contains('line') && e.key.startsWith('Arrow')) nextWordsSoon(e.target); });
song.addEventListener('click', e => { if (e.target.classList.contains('line')) nextWordsSoon(e.target); });
// An edit by hand is one undo step when the line is left.
song.addEventListener('change', e => {
  if (!e.target.classList.contains('line') || editBefore === null) return;
  const before = editBefore; editBefore = snapshot();
  change(() => {}, before);
});
song.addEventListener('click', e => {
  const b = e.target.closest('button'); if (!b) return;
  const input = b.closest('.row').querySelector('input.line');
  const s = Number(input.dataset.s), k = Number(input.dataset.k);
  if (b.classList.contains('lock')) change(() => { line(s, k).locked = !line(s, k).locked; });
  else if (b.classList.contains('alternatives')) { setActive(s, k); alternatives(s, k).catch(() => {}); }
  else if (b.classList.contains('rhymes')) rhymes(s, k).catch(() => {});
});

// ---- start: the models, the kept song, its plan ------------------------------------------------
async function start() {
  const kept = JSON.parse(localStorage.getItem(STORE) || 'null');
  if (kept) {
    state.song = kept.song || []; writeSettings(kept.settings || {});
    undoStack.push(...(kept.undo || [])); redoStack.push(...(kept.redo || []));
  }
  const models = await (await fetch('/api/models')).json();
  $('model').innerHTML = models.map(m => `<option value="${esc(m.name)}" title="${esc(m.summary)}">${esc(m.name)} (${m.kind})</option>`).join('');
  if (kept?.settings?.model && models.some(m => m.name === kept.settings.model)) $('model').value = kept.settings.model;
  await analyze();
  document.body.dataset.ready = '1';
}
start().catch(e => { $('err').textContent = String(e.message || e); });
