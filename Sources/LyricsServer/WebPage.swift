/// The single page `lyrics serve` shows: pick a model, type a prompt, set length, temperature,
/// top-k, top-p, repetition penalty and (word models) the retrieval rule, get lyrics; or a song
/// with a rhyme scheme, syllables, parts and a copy cap, shown with its rhyme words in bold,
/// copied lines highlighted (their source line as a tooltip) and missed constraints marked. It
/// only talks to the JSON API, so whatever the page can do a script can too.
enum WebPage {
    static let html = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>lyrics</title>
    <style>
      body { font-family: Georgia, serif; max-width: 760px; margin: 2em auto; padding: 0 1em; color: #222; }
      h1 { font-weight: normal; }
      label { display: block; margin: .6em 0 .2em; font-family: sans-serif; font-size: .9em; }
      select, textarea, input { font-size: 1em; padding: .3em; }
      textarea { width: 100%; height: 4em; }
      .row { display: flex; gap: 1.5em; flex-wrap: wrap; }
      button { margin-top: 1em; font-size: 1.05em; padding: .4em 1.4em; }
      #out { white-space: pre-wrap; font-size: 1.1em; line-height: 1.5; background: #faf7f0; padding: 1em; min-height: 6em; }
      #err { color: #b00; font-family: sans-serif; }
      #meta { color: #777; font-family: sans-serif; font-size: .8em; }
      #out b.rhyme { color: #1a4f8b; }
      #out .copied { background: #ffe08a; }
      #out .missed { border-bottom: 2px dotted #b00; }
      #out .label { color: #777; font-family: sans-serif; font-size: .85em; }
      fieldset { margin-top: 1em; border: 1px solid #ddd; }
      legend { font-family: sans-serif; font-size: .9em; }
    </style>
    </head>
    <body>
    <h1>lyrics</h1>
    <label for="model">Model</label>
    <select id="model"></select> <span id="summary" class="meta"></span>
    <label for="prompt">Prompt</label>
    <textarea id="prompt" maxlength="1000">the night is</textarea>
    <div class="row">
      <div><label for="length">Length (words or characters)</label><input id="length" type="number" min="1" max="2000" value="60"></div>
      <div><label for="temperature">Temperature (0 = greedy)</label><input id="temperature" type="number" min="0" max="5" step="0.1" value="0.8"></div>
      <div><label for="topk">Top-k</label><input id="topk" type="number" min="1" max="1000" value="10"></div>
      <div><label for="topp">Top-p (1 = off)</label><input id="topp" type="number" min="0.05" max="1" step="0.05" value="1"></div>
      <div><label for="penalty">Repetition penalty (1 = off)</label><input id="penalty" type="number" min="1" max="10" step="0.1" value="1"></div>
      <div><label for="retrieval">Retrieval (word models)</label><select id="retrieval"><option value="">model default</option><option value="cosine">cosine (notebook)</option><option value="prior">cosine + fitted prior</option></select></div>
      <div><label for="seed">Random seed (optional)</label><input id="seed" type="number" min="0"></div>
    </div>
    <fieldset><legend>Song (any of these writes line by line; counted in lines)</legend>
    <div class="row">
      <div><label for="rhyme">Rhyme scheme</label><input id="rhyme" size="8" placeholder="AABB"></div>
      <div><label for="syllables">Syllables per line</label><input id="syllables" size="8" placeholder="8 or 8,6,8,6"></div>
      <div><label for="meter">Meter</label><input id="meter" size="10" placeholder="iambic or 0101"></div>
      <div><label for="lines">Lines</label><input id="lines" type="number" min="1" max="200" value="8"></div>
      <div><label for="structure">Structure</label><input id="structure" size="30" placeholder="verse chorus verse chorus"></div>
      <div><label for="partlines">Lines per part</label><input id="partlines" size="20" placeholder="verse=4,chorus=4"></div>
      <div><label for="maxcopy">Max copied words</label><input id="maxcopy" type="number" min="3" max="50" placeholder="off"></div>
    </div>
    </fieldset>
    <button id="go">Write lyrics</button>
    <p id="err"></p>
    <div id="out"></div>
    <p id="meta"></p>
    <script>
    const $ = id => document.getElementById(id);
    let models = [];
    async function loadModels() {
      const r = await fetch('/api/models');
      models = await r.json();
      $('model').innerHTML = models.map(m => `<option value="${m.name}">${m.name} (${m.kind})</option>`).join('');
      showSummary();
    }
    function showSummary() {
      const m = models.find(m => m.name === $('model').value);
      $('summary').textContent = m ? m.summary : '';
    }
    $('model').addEventListener('change', showSummary);
    async function generate() {
      $('err').textContent = ''; $('meta').textContent = ''; $('out').textContent = '…';
      const body = { model: $('model').value, prompt: $('prompt').value,
        length: Number($('length').value), temperature: Number($('temperature').value), topK: Number($('topk').value),
        topP: Number($('topp').value), repetitionPenalty: Number($('penalty').value) };
      if ($('retrieval').value !== '') body.retrieval = $('retrieval').value;
      if ($('seed').value !== '') body.seed = Number($('seed').value);
      for (const [k, id] of [['rhyme','rhyme'],['syllables','syllables'],['meter','meter'],['structure','structure'],['partLines','partlines']]) {
        if ($(id).value.trim() !== '') body[k] = $(id).value.trim();
      }
      if ($('maxcopy').value !== '') body.maxCopy = Number($('maxcopy').value);
      if (body.rhyme || body.syllables || body.meter || body.structure || body.maxCopy) body.lines = Number($('lines').value);
      try {
        const r = await fetch('/api/generate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        const j = await r.json();
        if (!r.ok) { $('out').textContent = ''; $('err').textContent = j.error || r.statusText; return; }
        if (j.lines) { $('out').innerHTML = renderLines(j.lines); } else { $('out').textContent = j.text; }
        $('meta').textContent = `model ${j.model}, seed ${j.seed}` + (j.notes && j.notes.length ? ' — ' + j.notes.join('; ') : '');
      } catch (e) { $('out').textContent = ''; $('err').textContent = String(e); }
    }
    const esc = s => s.replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
    // A song: stanzas with their part labels, rhyme words in bold, copied lines highlighted with
    // their source (tooltip), lines that missed a constraint underlined with the reason.
    function renderLines(lines) {
      let html = '', stanza = -1;
      for (const l of lines) {
        if (l.stanza !== stanza) {
          if (stanza >= 0) html += '\\n';
          stanza = l.stanza;
          if (l.part) html += `<span class="label">[${esc(l.part[0].toUpperCase() + l.part.slice(1))}]</span>\\n`;
        }
        let text = esc(l.text);
        if (l.rhymeWord && l.text.endsWith(l.rhymeWord)) {
          text = esc(l.text.slice(0, l.text.length - l.rhymeWord.length)) + `<b class="rhyme">${esc(l.rhymeWord)}</b>`;
        }
        const titles = [];
        if (l.copied) {
          const c = l.copied;
          if (c.exactCopy) titles.push(`copied: training line ${c.exactCopy.line}: ${c.exactCopy.text}`);
          for (const r of c.runs || []) titles.push(`shares "${r.words}" with training line ${r.source.line}: ${r.source.text}`);
        }
        if (l.missed && l.missed.length) titles.push('missed: ' + l.missed.join('; '));
        const cls = [l.copied ? 'copied' : '', l.missed && l.missed.length ? 'missed' : ''].filter(Boolean).join(' ');
        html += cls ? `<span class="${cls}" title="${esc(titles.join('\\n'))}">${text}</span>\\n` : text + '\\n';
      }
      return html;
    }
    $('go').addEventListener('click', generate);
    // Query parameters prefill the form (?model=&prompt=&length=&temperature=&topk=&topp=&penalty=&retrieval=&seed=
    // &rhyme=&syllables=&meter=&lines=&structure=&partlines=&maxcopy=) and
    // ?go=1 generates at once, so a link (or a headless browser) can show a result directly.
    loadModels().then(() => {
      const q = new URLSearchParams(location.search);
      for (const [k, id] of [['model','model'],['prompt','prompt'],['length','length'],['temperature','temperature'],['topk','topk'],['topp','topp'],['penalty','penalty'],['retrieval','retrieval'],['seed','seed'],
                           ['rhyme','rhyme'],['syllables','syllables'],['meter','meter'],['lines','lines'],['structure','structure'],['partlines','partlines'],['maxcopy','maxcopy']]) {
        if (q.has(k)) $(id).value = q.get(k);
      }
      showSummary();
      if (q.get('go') === '1') generate();
    });
    </script>
    </body>
    </html>
    """
}
